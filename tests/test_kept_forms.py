"""Idle sign-out never loses work: a report form (new or edit, with its files), a coordinator's
decision note or a statement draft posted after the session expired is kept for the account the
expired session named, for a day, for nobody else; after signing in again (with the code, for
staff) the person lands on the form, filled in, files kept, with a message."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from time import time
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from observer.models import KeptEvidence, KeptForm, Status, utcnow
from tests.conftest import DEFAULT_PASSWORD
from tests.factories import make_report
from tests.factories_reports import (
    count_reports,
    form_data,
    jpeg_with_metadata,
    only_report,
    upload,
)


def go_idle(client, minutes: int = 31) -> None:
    with client.session_transaction() as session:
        session["last_seen"] = time() - minutes * 60


def sign_in(client, user) -> str:
    """Sign in through the real pages; returns where the person lands."""
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    if urlsplit(response.headers["Location"]).path == "/login/code":
        code = pyotp.TOTP(user.totp_secret).now()
        response = client.post("/login/code", data={"code": code})
        assert response.status_code == 302
    return response.headers["Location"]


@pytest.fixture
def observer(catalog, make_user):
    return make_user("observer")


def test_a_report_posted_after_the_idle_limit_comes_back_with_its_photo(
    client, observer, login_as, db
):
    login_as(observer)
    go_idle(client)
    data = form_data(title="Buses at the technical college", save_draft=None, submit_report="1")
    data["evidence"] = [upload(jpeg_with_metadata(), "bus.jpg")]
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count_reports() == 0
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "period of inactivity" in login_page and "it is kept for you" in login_page

    landed = sign_in(client, observer)
    assert landed.startswith("/reports/new?kept=")
    page = client.get(landed).get_data(as_text=True)
    assert "was not saved. Here it is as you left it" in page
    assert 'value="Buses at the technical college"' in page
    assert "bus.jpg" in page and 'name="kept_evidence"' in page
    kept_file = db.session.scalars(select(KeptEvidence)).one()
    assert kept_file.owner_id == observer.id and b"Exif" not in kept_file.data  # cleaned

    # Sending the restored form files the report, photo attached, once.
    fields = dict(re.findall(r'name="(once)" type="hidden" value="([^"]+)"', page))
    data = form_data(title="Buses at the technical college", save_draft=None, submit_report="1")
    data.update(kept_evidence=kept_file.token, once=unescape(fields.get("once", "")))
    sent = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert sent.status_code == 302
    assert count_reports() == 1
    report_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "bus.jpg" in report_page
    # Offered once: the next sign-in goes home as usual.
    client.post("/logout")
    assert "kept=" not in sign_in(client, observer)


def test_nobody_else_can_open_a_kept_form(client, observer, make_user, login_as, app, db):
    login_as(observer)
    go_idle(client)
    client.post("/reports/new", data=form_data(title="Private words"))
    landed = sign_in(client, observer)
    other = login_as(make_user("observer"), app.test_client())
    response = other.get(landed)
    assert response.status_code == 404
    assert "Private words" not in response.get_data(as_text=True)
    assert "Nothing is kept under this link" in response.get_data(as_text=True)
    # The owner, too, only on the page it belongs to, and never with a broken token.
    token = landed.split("kept=")[1]
    for url in (
        f"/reports/new?kept={token}x",
        "/reports/new?kept=",
        f"/admin/statements/new?kept={token}",
    ):
        assert client.get(url).status_code in (403, 404)
    assert client.get(landed).status_code == 200


def test_a_kept_form_lasts_a_day(client, observer, login_as, db):
    login_as(observer)
    go_idle(client)
    client.post("/reports/new", data=form_data(title="Old words"))
    kept = db.session.scalars(select(KeptForm)).one()
    kept.created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    landed = sign_in(client, observer)
    assert "kept=" not in landed
    assert client.get(f"/reports/new?kept={kept.token}").status_code == 404


def test_an_edit_posted_after_the_idle_limit_is_kept(client, observer, login_as, db):
    login_as(observer)
    assert client.post("/reports/new", data=form_data()).status_code == 302
    report = only_report()
    assert db.session.scalars(select(KeptForm)).all() == []  # saved in time: nothing kept
    go_idle(client)
    client.post(
        f"/reports/{report.id}/edit",
        data=form_data(title="A much better title", version=str(report.version)),
    )
    landed = sign_in(client, observer)
    assert landed.startswith(f"/reports/{report.id}/edit?kept=")
    page = client.get(landed).get_data(as_text=True)
    assert 'value="A much better title"' in page


def test_a_coordinators_decision_note_survives_sign_in_with_the_code(
    client, observer, make_user, db
):
    coordinator = make_user("coordinator")
    report = make_report(observer, status=Status.SUBMITTED)
    from tests.conftest import login

    login(client, coordinator)
    go_idle(client, minutes=45)
    note = "Confirmed by two independent witnesses at the station; photos match the account."
    response = client.post(
        f"/review/{report.id}/decide/reject",
        data={"reject-note": note, "reject-version": str(report.version)},
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    landed = sign_in(client, coordinator)
    assert landed.startswith(f"/review/{report.id}?kept=")
    page = client.get(landed).get_data(as_text=True)
    assert note in page
    assert "Here it is as you left it" in page


def test_a_statement_draft_being_edited_is_kept(client, make_user, catalog, db):
    from tests.conftest import login
    from tests.factories_statements import make_statement

    author = make_user("coordinator")
    statement = make_statement(author, catalog)
    login(client, author)
    go_idle(client)
    client.post(
        f"/admin/statements/{statement.id}/edit", data={"title": "Preliminary findings, v2"}
    )
    landed = sign_in(client, author)
    assert landed.startswith(f"/admin/statements/{statement.id}/edit?kept=")
    page = client.get(landed).get_data(as_text=True)
    assert 'value="Preliminary findings, v2"' in page


def test_pages_that_keep_nothing_just_sign_out(client, observer, login_as, db):
    login_as(observer)
    go_idle(client)
    response = client.post("/account", data={"display_name": "x"})
    assert "/login" in response.headers["Location"]
    assert db.session.scalars(select(KeptForm)).all() == []
    assert "kept=" not in sign_in(client, observer)


def test_the_cookie_outlives_the_idle_limit_so_a_late_form_still_names_its_account(make_app):
    """Browsers drop a cookie at its expiry: if it expired with the idle limit, the form sent
    after it would come with no session and could not be kept for anyone."""
    config = make_app(SESSION_IDLE_MINUTES=30).config
    assert config["PERMANENT_SESSION_LIFETIME"] >= timedelta(minutes=30, days=1)
