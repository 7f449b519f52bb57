"""Signing in and out, two-factor, lockout, rate limit, passwords, links, re-authentication."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from flask import url_for
from sqlalchemy import select

from observer.auth.service import issue_set_password_link_token
from observer.models import AuditLog, User, utcnow
from tests.conftest import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new harmonica tune"
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')
REFUSED = "The email or password is incorrect, or the account is temporarily locked."


def sign_in(client, email, password=DEFAULT_PASSWORD, next_url=None):
    path = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(path, data={"email": email, "password": password})


def code_for(user, offset=0):
    return pyotp.TOTP(user.totp_secret).at(time.time() + offset)


def path_of(response):
    return response.headers["Location"].split("?")[0]


def home_of(app, endpoint):
    with app.test_request_context():
        return url_for(endpoint)


def events(db, name=None):
    query = select(AuditLog.event).order_by(AuditLog.id)
    if name:
        query = query.where(AuditLog.event == name)
    return list(db.session.execute(query).scalars())


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# --- signing in -------------------------------------------------------------------------------


def test_login_page_renders_with_labelled_fields(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label class="label" for="email">' in html
    assert '<label class="label" for="password">' in html


def test_observer_signs_in_and_lands_on_their_reports(app, client, make_user, db):
    user = make_user("observer")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert path_of(response) == home_of(app, "reports.mine")
    assert is_signed_in(client)
    assert "login_succeeded" in events(db)


def test_email_is_case_insensitive(client, make_user):
    make_user("observer", email="mixed@example.org")
    assert sign_in(client, "  MIXED@Example.org ").status_code == 302


@pytest.mark.parametrize(
    ("role", "home"), [("coordinator", "review.queue"), ("admin", "users.index")]
)
def test_staff_sign_in_needs_a_code_then_lands_on_role_home(app, client, make_user, db, role, home):
    user = make_user(role)
    response = sign_in(client, user.email)
    assert path_of(response) == "/login/code"
    assert not is_signed_in(client)  # password alone is not enough
    response = client.post("/login/code", data={"code": code_for(user)})
    assert response.status_code == 302
    assert path_of(response) == home_of(app, home)
    assert is_signed_in(client)


def test_signed_in_user_visiting_login_is_sent_home(app, client, make_user, login_as):
    login_as(make_user("observer"))
    response = client.get("/login")
    assert response.status_code == 302
    assert path_of(response) == home_of(app, "reports.mine")


def test_sign_in_replaces_the_session(client, make_user):
    user = make_user("observer")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()
        assert "last_seen" in session and "reauth_at" in session


def test_logout_is_post_only_and_ends_the_session(client, make_user, login_as):
    login_as(make_user("observer"))
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302 and path_of(response) == "/"
    assert "You have signed out." in client.get("/").get_data(as_text=True)
    assert not is_signed_in(client)


# --- no account enumeration, lockout ------------------------------------------------------------


def test_unknown_email_and_wrong_password_look_the_same(client, make_user, db):
    user = make_user("observer", email="known@example.org")
    inactive = make_user("observer", email="gone@example.org")
    inactive.is_active_account = False
    locked = make_user("observer", email="locked@example.org")
    locked.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()

    answers = [
        sign_in(client, "nobody@example.org", "whatever password 1"),
        sign_in(client, user.email, "whatever password 1"),
        sign_in(client, inactive.email, DEFAULT_PASSWORD),
        sign_in(client, locked.email, DEFAULT_PASSWORD),
    ]
    emails = ["nobody@example.org", user.email, inactive.email, locked.email]
    # Only the typed-in email and the time-stamped CSRF tokens may differ.
    bodies = [
        CSRF_VALUE.sub("CSRF", r.get_data(as_text=True).replace(email, "EMAIL"))
        for r, email in zip(answers, emails, strict=True)
    ]
    assert {r.status_code for r in answers} == {200}
    assert all(REFUSED in body for body in bodies)
    assert len(set(bodies)) == 1
    assert not is_signed_in(client)


def test_empty_form_is_refused_with_messages(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter your email address." in html and "Enter your password." in html


def test_lockout_after_five_failures_until_it_expires(client, make_user, db):
    user = make_user("observer")
    for _ in range(5):
        assert REFUSED in sign_in(client, user.email, "wrong password!!").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locked_until is not None
    # The right password is refused while the lock lasts.
    response = sign_in(client, user.email)
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert events(db).count("login_failed") == 5
    assert events(db, "lockout") == ["lockout"]
    assert events(db, "login_refused_locked") == ["login_refused_locked"]

    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert sign_in(client, user.email).status_code == 302
    db.session.refresh(user)
    assert user.failed_logins == 0 and user.locked_until is None


@pytest.fixture
def rate_limited_app(make_app, db):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    yield limited
    # The limiter object is shared: rebuilding an app with limits off switches it off again.
    make_app()


def test_login_is_rate_limited(rate_limited_app, make_user):
    user = make_user("observer")
    limited_client = rate_limited_app.test_client()
    for _ in range(3):
        assert sign_in(limited_client, user.email, "wrong password!!").status_code == 200
    response = sign_in(limited_client, user.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    # Showing the form is not limited.
    assert limited_client.get("/login").status_code == 200


# --- safe redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "/\\evil", "javascript:alert(1)"]
)
def test_unsafe_next_is_ignored(app, client, make_user, target):
    user = make_user("observer")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == home_of(app, "reports.mine")


def test_local_next_is_honoured(client, make_user):
    user = make_user("observer")
    response = client.post(
        "/login",
        query_string={"next": "/account?tab=1"},
        data={"email": user.email, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/account?tab=1"


def test_anonymous_visit_comes_back_after_sign_in(client, make_user):
    user = make_user("observer")
    response = client.get("/account")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    response = client.post(
        response.headers["Location"], data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/account"


def test_local_next_survives_the_code_step(client, make_user):
    user = make_user("coordinator")
    client.post(
        "/login",
        query_string={"next": "/account"},
        data={"email": user.email, "password": DEFAULT_PASSWORD},
    )
    response = client.post("/login/code", data={"code": code_for(user)})
    assert response.headers["Location"] == "/account"


# --- two-factor ---------------------------------------------------------------------------


def test_replayed_code_is_refused(client, make_user, db):
    user = make_user("coordinator")
    code = code_for(user)
    sign_in(client, user.email)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    sign_in(client, user.email)
    response = client.post("/login/code", data={"code": code})
    assert response.status_code == 200
    assert "That code is not valid" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_wrong_codes_count_towards_lockout(client, make_user, db):
    user = make_user("admin")
    sign_in(client, user.email)
    for _ in range(4):
        response = client.post("/login/code", data={"code": "000000"})
        assert "That code is not valid" in response.get_data(as_text=True)
    response = client.post("/login/code", data={"code": "000000"})
    assert response.status_code == 302 and path_of(response) == "/login"
    db.session.refresh(user)
    assert user.is_locked(utcnow())
    assert events(db, "two_factor_failed") == ["two_factor_failed"] * 5
    # Locked: even the password step is refused now.
    assert REFUSED in sign_in(client, user.email).get_data(as_text=True)


def test_code_step_expires_after_five_minutes(client, make_user):
    user = make_user("coordinator")
    sign_in(client, user.email)
    with client.session_transaction() as session:
        session["pending_sign_in"] = {**session["pending_sign_in"], "at": time.time() - 301}
    response = client.post("/login/code", data={"code": code_for(user)})
    assert response.status_code == 302 and path_of(response) == "/login"
    assert not is_signed_in(client)


def test_code_step_without_password_goes_to_login(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and path_of(response) == "/login"


def enrol(client, expect_status=302):
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<img src="data:image/svg+xml;base64,' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == expect_status
    return secret


def test_observer_enrols_in_two_factor_then_signs_in_with_it(client, make_user, login_as, db):
    user = make_user("observer")
    login_as(user)
    assert "Turn on two-factor" in client.get("/account").get_data(as_text=True)
    wrong = client.post("/account/two-factor", data={"code": "123456"})
    assert "That code is not valid" in wrong.get_data(as_text=True)
    secret = enrol(client)
    db.session.refresh(user)
    assert user.totp_enabled and user.totp_secret == secret
    assert "two_factor_enrolled" in events(db)

    client.post("/logout")
    assert path_of(sign_in(client, user.email)) == "/login/code"
    # The enrolment code was used; the next time step's code is valid.
    response = client.post("/login/code", data={"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert response.status_code == 302
    assert is_signed_in(client)


def test_observer_may_turn_two_factor_off_with_password(client, make_user, login_as, db):
    user = make_user("observer", two_factor=True)
    login_as(user)
    response = client.post("/account/two-factor/off", data={"password": "not my password"})
    assert response.status_code == 400
    assert "The password is not correct." in response.get_data(as_text=True)
    response = client.post("/account/two-factor/off", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.totp_enabled and user.totp_secret is None
    assert "two_factor_disabled" in events(db)


def test_staff_may_not_turn_two_factor_off(client, make_user, login_as, db):
    user = make_user("coordinator")
    login_as(user)
    assert "Turn it off" not in client.get("/account/two-factor").get_data(as_text=True)
    response = client.post("/account/two-factor/off", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    db.session.refresh(user)
    assert user.totp_enabled


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_without_two_factor_are_sent_to_enrolment_from_every_page(
    app, client, make_user, login_as, db, role
):
    user = make_user(role, two_factor=False)
    login_as(user)
    with app.test_request_context():
        pages = [
            url_for(e)
            for e in (
                "auth.account",
                "reports.mine",
                "reports.new",
                "review.queue",
                "dashboard.index",
                "statements.index",
                "auth.change_password",
                "public.home",
            )
        ]
        if role == "admin":
            pages += [url_for("users.index"), url_for("audit.security_log")]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert path_of(response) == "/account/two-factor", page
    assert "Your role requires two-factor" in client.get("/account/two-factor").get_data(
        as_text=True
    )
    enrol(client)
    assert client.get("/account").status_code == 200


def test_sign_in_of_staff_without_two_factor_leads_to_enrolment(client, make_user):
    user = make_user("coordinator", two_factor=False)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert path_of(response) == "/account/two-factor"


# --- sessions ------------------------------------------------------------------------------------


def test_idle_session_is_signed_out(client, make_user, login_as):
    login_as(make_user("observer"))
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/account")
    assert response.status_code == 302 and path_of(response) == "/login"
    assert not is_signed_in(client)


def test_password_change_ends_other_sessions(app, client, make_user, login_as, db):
    user = make_user("observer")
    other = app.test_client()
    login_as(user)
    login_as(user, other)
    assert is_signed_in(other)
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other)
    assert "password_changed" in events(db)
    client.post("/logout")
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "current_password": "wrong wrong wrong",
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
            "The current password is not correct.",
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "new_password": "short", "confirm": "short"},
            "Use at least 12 characters.",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": "password1234",
                "confirm": "password1234",
            },
            "too common",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD + "x",
            },
            "The two passwords do not match.",
        ),
    ],
)
def test_password_change_refusals(client, make_user, login_as, db, data, message):
    user = make_user("observer")
    login_as(user)
    old_hash = user.password_hash
    response = client.post("/account/password", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_account_page_shows_code_and_saves_language(client, make_user, login_as, db):
    user = make_user("observer")
    login_as(user)
    html = client.get("/account").get_data(as_text=True)
    assert user.observer_code in html
    response = client.post("/account", data={"display_name": "New Name", "locale": "be"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.locale == "be" and user.display_name == "New Name"
    assert '<html lang="be">' in client.get("/account").get_data(as_text=True)
    user.locale = "en"  # read the refusal below in English
    db.session.commit()
    response = client.post("/account", data={"display_name": "", "locale": "xx"})
    assert response.status_code == 200
    assert "Enter a name." in response.get_data(as_text=True)


# --- set-password links -------------------------------------------------------------------------


def issue(db, user, hours=72):
    token = issue_set_password_link_token(user, hours)
    db.session.commit()
    return token


def test_set_password_link_works_once(client, make_user, db):
    user = make_user("observer", password=None)
    token = issue(db, user)
    page = client.get(f"/set-password/{token}")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    bad = client.post(f"/set-password/{token}", data={"new_password": "short", "confirm": "short"})
    assert bad.status_code == 200 and "Use at least 12 characters." in bad.get_data(as_text=True)
    response = client.post(
        f"/set-password/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and path_of(response) == "/login"
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    again = client.get(f"/set-password/{token}")
    assert again.status_code == 404
    assert "expired or was already used" in again.get_data(as_text=True)


def test_set_password_link_expires_after_72_hours(client, make_user, db):
    user = make_user("observer", password=None)
    token = issue(db, user)
    db.session.refresh(user)
    assert timedelta(hours=71) < user.set_password_expires - utcnow() <= timedelta(hours=72)
    user.set_password_expires = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/set-password/{token}").status_code == 404
    response = client.post(
        f"/set-password/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert client.get("/set-password/made-up-token").status_code == 404


# --- re-authentication -----------------------------------------------------------------------


def age_reauth(client, seconds=3600):
    with client.session_transaction() as session:
        session["reauth_at"] = time.time() - seconds


def test_reauth_with_password_for_observer(client, make_user, login_as, db):
    user = make_user("observer")
    login_as(user)
    age_reauth(client)
    assert client.get("/reauth?next=/account").status_code == 200
    wrong = client.post("/reauth?next=/account", data={"password": "not it at all"})
    assert wrong.status_code == 200
    assert "The password is not correct." in wrong.get_data(as_text=True)
    response = client.post("/reauth?next=/account", data={"password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account"
    with client.session_transaction() as session:
        assert time.time() - session["reauth_at"] < 5


def test_reauth_of_staff_needs_a_fresh_code(app, client, make_user, login_as):
    user = make_user("coordinator")
    login_as(user)
    age_reauth(client)
    response = client.post("/reauth?next=/account", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    response = client.post(
        "/reauth?next=//evil.example", data={"password": DEFAULT_PASSWORD, "code": code_for(user)}
    )
    assert response.headers["Location"] == home_of(app, "review.queue")


def test_reauth_failures_lock_and_sign_out(client, make_user, login_as, db):
    user = make_user("observer")
    login_as(user)
    for _ in range(4):
        client.post("/reauth", data={"password": "not it at all"})
    response = client.post("/reauth", data={"password": "not it at all"})
    assert path_of(response) == "/login"
    assert not is_signed_in(client)
    db.session.refresh(user)
    assert user.is_locked(utcnow())


def test_reauth_needs_sign_in(client):
    response = client.get("/reauth")
    assert response.status_code == 302 and path_of(response) == "/login"


# --- CSRF and the security log ------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(make_app, make_user, db):
    user = make_user("observer")
    protected = make_app(WTF_CSRF_ENABLED=True)
    browser = protected.test_client()
    response = browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = browser.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_security_log_records_sign_ins_and_shows_them_to_admins(client, make_user, login_as, db):
    observer = make_user("observer")
    sign_in(client, observer.email, "wrong password!!")
    sign_in(client, observer.email)
    client.post("/logout")
    admin = make_user("admin")
    login_as(admin)
    html = client.get("/admin/security-log/").get_data(as_text=True)
    # Events in words, not codes.
    for words in ("<td>Failed sign-in</td>", "<td>Signed in</td>", "<td>Signed out</td>"):
        assert words in html
    assert "<code>login_failed</code>" not in html
    assert observer.observer_code in html and observer.email in html
    only = client.get("/admin/security-log/?event=login_failed").get_data(as_text=True)
    assert "<td>Failed sign-in</td>" in only and "<td>Signed in</td>" not in only
    assert '<option value="login_failed" selected>Failed sign-in</option>' in only


def test_security_log_pages_by_keyset(client, make_user, login_as, db):
    from observer.audit.service import log_security_event

    admin = make_user("admin")
    for number in range(60):
        log_security_event("test_event", details={"n": number})
    db.session.commit()
    login_as(admin)
    first = client.get("/admin/security-log/?event=test_event").get_data(as_text=True)
    assert "n: 59" in first and "n: 10" in first and "n: 9<" not in first
    next_url = re.search(r'class="pager".*?href="([^"]+)"', first, re.S).group(1)
    second = client.get(next_url.replace("&amp;", "&")).get_data(as_text=True)
    assert "n: 9<" in second and "n: 0<" in second and "n: 59" not in second
    assert 'class="pager"' not in second


def test_unknown_users_count_as_anonymous(client):
    with client.session_transaction() as session:
        session["_user_id"] = "999999:nope"
    assert not is_signed_in(client)


def test_deactivated_user_session_ends(client, make_user, login_as, db):
    user = make_user("observer")
    login_as(user)
    user.is_active_account = False
    db.session.commit()
    assert not is_signed_in(client)
    assert db.session.execute(select(User).where(User.id == user.id)).scalar_one()
