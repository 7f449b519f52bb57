"""flask backup FILE / flask restore FILE [--force]"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from observer.backup.archive import ArchiveError


def _summary(outcome) -> str:
    return (
        f"{outcome.rows:,} rows in {len(outcome.tables)} tables, schema revision "
        f"{outcome.revision}, {outcome.size / 1_048_576:,.1f} MiB"
    )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file: str) -> None:
    """Write the whole database (evidence and audit chain included) to an archive FILE."""
    from observer.backup.service import backup_database
    from observer.extensions import db

    try:
        outcome = backup_database(db.engine, file)
    except (ArchiveError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {_summary(outcome)} to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace everything in a database that has data.")
@with_appcontext
def restore_command(file: str, force: bool) -> None:
    """Restore an archive made by `flask backup` into this (migrated, empty) database."""
    from observer.audit.service import verify_review_chain
    from observer.backup.service import restore_database
    from observer.extensions import db

    try:
        outcome = restore_database(db.engine, file, force=force)
    except (ArchiveError, OSError) as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        first_line = str(getattr(error, "orig", error)).splitlines()[0]
        raise click.ClickException(
            f"The restore failed and was rolled back; the database is unchanged: {first_line}"
        ) from error
    click.echo(f"Restored {_summary(outcome)} from {file}")
    broken = verify_review_chain()
    if broken is not None:
        raise click.ClickException(
            f"Restored, but the review chain is broken at #{broken.seq}: {broken.reason}"
        )
    click.echo("Review-event chain verified.")
