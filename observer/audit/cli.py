"""flask audit verify"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from observer.audit.service import verify_review_chain
from observer.extensions import db
from observer.models import ReviewEvent

audit_cli = AppGroup("audit", help="Check the tamper-evident review history.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the review-event hash chain; exit 1 naming the first broken event."""
    count = db.session.execute(select(func.count(ReviewEvent.id))).scalar_one()
    broken = verify_review_chain()
    if broken is not None:
        where = f"event #{broken.seq}" + (f" (id {broken.event_id})" if broken.event_id else "")
        click.echo(f"BROKEN at {where}: {broken.reason}", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {count} review events, chain intact")
