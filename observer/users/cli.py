"""flask users create|list"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from observer.auth import passwords
from observer.auth.service import AccountError, create_user
from observer.extensions import db
from observer.models import ROLES, User

users_cli = AppGroup("users", help="Manage accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="observer", show_default=True)
@click.option("--name", "display_name", default=None, help="Display name (defaults to the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create an account with a password."""
    password = _read_password(password_stdin)
    problem = passwords.password_problem(password)
    if problem == "too_short":
        raise click.ClickException(f"the password needs at least {passwords.MIN_LENGTH} characters")
    if problem:
        raise click.ClickException("that password is too common; choose another")
    try:
        user = create_user(email, display_name or email, role, password=password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"created {user.email} as {user.role} ({user.observer_code})")


@users_cli.command("list")
def list_command() -> None:
    """List accounts: code, role, state, email."""
    for user in db.session.execute(db.select(User).order_by(User.id)).scalars():
        state = "active" if user.is_active else "inactive"
        two_factor = "2fa" if user.totp_enabled else "-"
        click.echo(f"{user.observer_code}\t{user.role}\t{state}\t{two_factor}\t{user.email}")
