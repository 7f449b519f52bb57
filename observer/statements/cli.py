"""`flask statements render SLUG [-o FILE]`: a statement's PDF (published: the stored bytes;
draft: a fresh render from the current data). `flask statements verify FILE SIGNATURE`: checks a
published file against its detached minisign signature."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from observer.extensions import db
from observer.models import Statement
from observer.statements import keys, signing
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


@statements_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("signature", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A minisign .pub file (default: the mission's key in the database).",
)
def verify(file: str, signature: str, public_key: str | None) -> None:
    """Check that FILE is exactly what the mission signed (SIGNATURE: its .minisig)."""
    if public_key is not None:
        with open(public_key, encoding="utf-8") as handle:
            text = handle.read()
    else:
        row = keys.active_key()
        if row is None:
            raise click.ClickException("The mission has no signing key; pass --public-key.")
        text = row.public_key
    try:
        key = signing.parse_public_key(text)
        with open(file, "rb") as data, open(signature, "rb") as sig:
            verified = signing.verify(data.read(), sig.read(), key)
    except signing.SignatureError as error:
        raise click.ClickException(f"NOT VERIFIED: {error}") from error
    click.echo(f"verified: signed by key {verified.key_id_hex}")
    click.echo(f"trusted comment: {verified.trusted_comment}")
