"""flask demo seed: demo accounts, the 2024 catalog and demo reports. Safe to run twice."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for trying Observer out.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo accounts and data (idempotent) and print the sign-ins."""
    from observer.demo.seed import seed_demo

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
