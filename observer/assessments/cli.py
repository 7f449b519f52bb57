"""flask recommendations load FILE: the registry of earlier recommendations and this
campaign's ratings, from CSV or XLSX (docs/assessments.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

recommendations_cli = AppGroup("recommendations", help="The registry of earlier recommendations.")


@recommendations_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, but write nothing.")
@click.option("--campaign", "slug", help="Campaign whose criteria and ratings the file holds "
              "(default: the active campaign).")  # fmt: skip
@click.option("--as", "email", help="The coordinator or admin who proposes the file's ratings "
              "(needed when the file has ratings).")  # fmt: skip
def load_command(path: Path, dry_run: bool, slug: str | None, email: str | None) -> None:
    """Load recommendations (CSV or XLSX): all or nothing; loading the same file twice
    changes nothing."""
    from observer.assessments.recommendations import recommendation_kind
    from observer.auth.service import find_user_by_email
    from observer.catalog.queries import active_campaign, campaign_by_slug
    from observer.imports import run_import
    from observer.imports.cli import echo_plan

    campaign = campaign_by_slug(slug) if slug else active_campaign()
    if campaign is None:
        raise click.ClickException(
            f"No campaign {slug!r}." if slug else "No active campaign: load the catalog first."
        )
    actor = None
    if email:
        actor = find_user_by_email(email)
        if actor is None or not actor.is_staff or not actor.is_active:
            raise click.ClickException(f"{email} is not an active coordinator or admin.")
    from observer.assessments.scales import ensure_default_scales
    from observer.extensions import db

    ensure_default_scales()
    db.session.commit()
    kind = recommendation_kind(campaign.id, actor)
    plan = run_import(kind, path.read_bytes(), path.name, dry_run=dry_run)
    echo_plan(plan, path, dry_run)
