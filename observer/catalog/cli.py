"""flask catalog load FILE: load or update a catalog from a JSON or YAML file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

catalog_cli = AppGroup("catalog", help="Manage the criteria catalog.")


@catalog_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, but write nothing.")
@click.option("--verbose", "-v", is_flag=True, help="List every created row, not only counts.")
def load_command(path: Path, dry_run: bool, verbose: bool) -> None:
    """Create or update the campaign, stages, criteria, regions and districts in PATH.

    Rows are matched by code (campaign slug, stage code, criterion code, region ISO code,
    district English name), so loading the same file again changes nothing. The format is
    described in docs/catalog-format.md.
    """
    from observer.catalog.fileformat import read_catalog_file
    from observer.catalog.seed import CatalogError, load_catalog
    from observer.extensions import db

    try:
        result = load_catalog(read_catalog_file(path))
    except CatalogError as error:
        db.session.rollback()
        raise click.ClickException(f"{path}: {error}") from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()

    prefix = "Dry run, nothing written. " if dry_run else ""
    click.echo(f"{prefix}Loaded {path}:")
    for line in result.summary_lines():
        click.echo(f"  {line}")
    for kind, key, outcome in result.changes:
        if outcome == "updated" or verbose:
            click.echo(f"  {outcome} {kind} {key}")
    if not result.changed:
        click.echo("  Nothing changed: the database already matches the file.")
