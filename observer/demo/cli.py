"""flask demo seed: demo accounts, the 2024 catalog and demo reports. Safe to run twice."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for trying Observer out.")


def refuse_in_production(command: str) -> None:
    """Demo accounts have passwords and two-factor secrets anyone can read in the code: a
    production database must never hold them."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(
            f"`flask demo {command}` refuses to run because OBSERVER_PRODUCTION is set: it "
            "creates accounts whose passwords and two-factor secrets are published in "
            "Observer's source. Create real accounts with `flask users create EMAIL --role admin`."
        )


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo accounts and data (idempotent) and print the sign-ins."""
    from observer.demo.seed import seed_demo

    refuse_in_production("seed")
    accounts = seed_demo()
    click.echo("")
    click.echo("Demo sign-ins (for trying Observer locally; never use them in production):")
    for account in accounts:
        line = f"  {account.role:<12} {account.email:<32} password: {account.password}"
        if account.totp_secret:
            line += f"   TOTP secret: {account.totp_secret}"
        click.echo(line)
    click.echo(
        "  Coordinator and admin sign-ins ask for a 6-digit code: add the TOTP secret to an "
        "authenticator app, or run: python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\""
    )


@demo_cli.command("generate")
@click.option(
    "--reports",
    "count",
    type=click.IntRange(min=1),
    required=True,
    help="How many synthetic reports to create.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed on the same database gives the same data.",
)
@click.option(
    "--observers",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="How many synthetic observer accounts file them (made if missing).",
)
@click.option("--batch-size", type=click.IntRange(min=100), default=5000, show_default=True)
def generate_command(count: int, seed: int, observers: int, batch_size: int) -> None:
    """Bulk-create synthetic reports with references and a valid review-event chain."""
    from observer.demo.generate import GenerationError, generate_reports

    refuse_in_production("generate")

    def progress(done: int) -> None:
        if done % 100_000 < batch_size or done == count:
            click.echo(f"  {done:>10,} reports", err=True)

    try:
        result = generate_reports(
            count, seed=seed, observers=observers, batch_size=batch_size, progress=progress
        )
    except GenerationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Created {result.reports:,} reports, {result.events:,} review events and "
        f"{result.further_criteria:,} further-criterion links by {result.observers} observers "
        f"in {result.seconds:.1f} s: {result.rows_per_second:,.0f} rows/s "
        f"({result.reports / result.seconds:,.0f} reports/s)"
    )
