"""`flask GROUP load FILE [--dry-run]` for any record kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup

from observer.imports.engine import Plan, RecordKind, run_import


def echo_plan(plan: Plan, path: Path, dry_run: bool) -> None:
    if not plan.ok:
        lines = [f"{path}: nothing written, {len(plan.problems) + plan.more_problems} problem(s):"]
        lines += [f"  {problem}" for problem in plan.problems]
        if plan.more_problems:
            lines.append(f"  ... and {plan.more_problems} more")
        raise click.ClickException("\n".join(lines))
    prefix = "Dry run, nothing written. " if dry_run else ""
    click.echo(
        f"{prefix}{path}: {plan.created} to create, {plan.updated} to update, "
        f"{plan.unchanged} unchanged."
        if dry_run
        else f"{path}: {plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged."
    )
    for row in plan.rows:
        if row.action == "update":
            changed = ", ".join(sorted(row.changes))
            click.echo(f"  row {row.row}: {'would update' if dry_run else 'updated'} {changed}")


def add_load_command(group: AppGroup, kind_factory: Callable[[], RecordKind], doc: str) -> None:
    """Adds `load` to the group; `kind_factory` builds the RecordKind inside the app context."""

    @group.command("load", help=doc)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check the file and report, but write nothing.")
    def load(path: Path, dry_run: bool) -> None:
        plan = run_import(kind_factory(), path.read_bytes(), path.name, dry_run=dry_run)
        echo_plan(plan, path, dry_run)
