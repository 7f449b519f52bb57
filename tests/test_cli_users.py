"""flask users create|list and flask demo seed."""

from __future__ import annotations

import pyotp
from sqlalchemy import func, select

from observer.auth import passwords
from observer.models import User

PASSWORD = "a perfectly long cli password"


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_create_reads_the_password_from_stdin(app, db, client):
    result = run(
        app,
        "users",
        "create",
        "Cli.Admin@Example.org",
        "--role",
        "admin",
        "--name",
        "Cli Admin",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "created cli.admin@example.org as admin (OBS-" in result.output
    user = db.session.execute(
        select(User).where(User.email == "cli.admin@example.org")
    ).scalar_one()
    assert user.role == "admin" and user.display_name == "Cli Admin"
    assert passwords.verify_password(user.password_hash, PASSWORD)
    # The new admin signs in with the password and is then made to enrol in two-factor.
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/users/").headers["Location"] == "/account/two-factor"


def test_users_create_refuses_weak_passwords_and_duplicates(app, db):
    result = run(app, "users", "create", "a@example.org", "--password-stdin", input="short\n")
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    result = run(
        app, "users", "create", "a@example.org", "--password-stdin", input="password1234\n"
    )
    assert result.exit_code != 0 and "too common" in result.output
    assert (
        run(
            app, "users", "create", "a@example.org", "--password-stdin", input=PASSWORD + "\n"
        ).exit_code
        == 0
    )
    result = run(app, "users", "create", "a@example.org", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code != 0 and "exists already" in result.output
    result = run(
        app,
        "users",
        "create",
        "b@example.org",
        "--role",
        "king",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0
    assert db.session.execute(select(func.count(User.id))).scalar_one() == 1


def test_users_list_shows_code_role_state_and_two_factor(app, db, make_user):
    observer = make_user("observer", email="obs@example.org")
    make_user("coordinator", email="coord@example.org")
    observer.is_active_account = False
    db.session.commit()
    result = run(app, "users", "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].split("\t") == [
        observer.observer_code,
        "observer",
        "inactive",
        "-",
        "obs@example.org",
    ]
    assert lines[1].split("\t")[1:] == ["coordinator", "active", "2fa", "coord@example.org"]


def test_demo_seed_twice_prints_sign_ins_and_changes_nothing(app, db, client):
    first = run(app, "demo", "seed")
    assert first.exit_code == 0, first.output
    assert (
        "admin@demo.observer" in first.output and "password: demo-admin-pass-2024" in first.output
    )
    assert "TOTP secret: OBSERVERADMINDEMOSECRETAAAAAAAAA" in first.output
    count = db.session.execute(select(func.count(User.id))).scalar_one()
    second = run(app, "demo", "seed")
    assert second.exit_code == 0, second.output
    assert db.session.execute(select(func.count(User.id))).scalar_one() == count
    assert "admin@demo.observer" in second.output

    # The printed credentials work, code included.
    response = client.post(
        "/login", data={"email": "admin@demo.observer", "password": "demo-admin-pass-2024"}
    )
    assert response.headers["Location"] == "/login/code"
    code = pyotp.TOTP("OBSERVERADMINDEMOSECRETAAAAAAAAA").now()
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/admin/users/").status_code == 200
