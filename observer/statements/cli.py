"""`flask statements render SLUG [-o FILE]`: a statement's PDF (published: the stored bytes;
draft: a fresh render from the current data)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from observer.extensions import db
from observer.models import Statement
from observer.statements.service import render_pdf

statements_cli = AppGroup("statements", help="Findings statements.")


@statements_cli.command("render")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the PDF here (default: <slug>.pdf; '-' for standard output).",
)
def render(slug: str, output: str | None) -> None:
    statement = db.session.execute(
        select(Statement).where(Statement.slug == slug)
    ).scalar_one_or_none()
    if statement is None:
        raise click.ClickException(f"No statement with the slug {slug!r}.")
    pdf = render_pdf(statement)
    if output == "-":
        sys.stdout.buffer.write(pdf)
        return
    path = output or f"{slug}.pdf"
    with open(path, "wb") as handle:
        handle.write(pdf)
    kind = "stored" if statement.status != "draft" else "draft preview"
    click.echo(f"{path}: {len(pdf)} bytes ({kind}, status {statement.status})", err=True)
