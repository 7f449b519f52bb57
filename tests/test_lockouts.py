"""Lockouts a stranger cannot turn into a weapon, and the rate limits of every sign-in step.

Someone who knows a coordinator's email fails again and again: the account's lockout is short
and grows, a browser the coordinator signed in from before is not locked by it, and many
observers behind one address still sign in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from observer.auth.lockout import LockoutPolicy
from observer.auth.service import issue_set_password_link_token
from observer.auth.sessions import BROWSER_COOKIE
from observer.models import KnownBrowser, User, utcnow
from tests.test_auth import REFUSED, code_for, events, is_signed_in, sign_in

WRONG = "wrong password!!"


def fail(client, email, times=5):
    for _ in range(times):
        response = sign_in(client, email, WRONG)
        assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)


def unlock_now(db, user):
    db.session.refresh(user)
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_lockout_minutes_double_up_to_the_maximum():
    policy = LockoutPolicy(threshold=5, first_minutes=1, max_minutes=30)
    assert [policy.minutes_for(n) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert policy.minutes_for(10_000) == 30


def test_lockouts_are_short_grow_and_start_afresh_after_a_good_sign_in(client, make_user, db):
    user = make_user("observer")
    fail(client, user.email)
    db.session.refresh(user)
    first = user.locked_until - utcnow()
    assert timedelta(seconds=50) < first <= timedelta(minutes=1)
    assert REFUSED in sign_in(client, user.email).get_data(as_text=True)

    unlock_now(db, user)
    fail(client, user.email)
    db.session.refresh(user)
    assert timedelta(minutes=1, seconds=50) < user.locked_until - utcnow() <= timedelta(minutes=2)
    assert user.lockouts == 2

    unlock_now(db, user)
    assert sign_in(client, user.email).status_code == 302
    db.session.refresh(user)
    assert (user.failed_logins, user.lockouts, user.locked_until) == (0, 0, None)


def test_a_strangers_failures_do_not_lock_out_a_browser_that_signed_in_before(app, make_user, db):
    coordinator = make_user("coordinator")
    own_browser = app.test_client()
    sign_in(own_browser, coordinator.email)
    assert own_browser.post("/login/code", data={"code": code_for(coordinator)}).status_code == 302
    assert own_browser.get_cookie(BROWSER_COOKIE) is not None
    own_browser.post("/logout")

    stranger = app.test_client()
    for _ in range(3):  # three lockouts in a row, as on election night
        fail(stranger, coordinator.email)
        assert REFUSED in sign_in(stranger, coordinator.email).get_data(as_text=True)
        unlock_now(db, coordinator)
    fail(stranger, coordinator.email)
    db.session.refresh(coordinator)
    assert coordinator.is_locked(utcnow())

    # The coordinator's own browser signs in, code step included, during the lockout.
    response = sign_in(own_browser, coordinator.email)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    response = own_browser.post("/login/code", data={"code": code_for(coordinator, 30)})
    assert response.status_code == 302
    assert is_signed_in(own_browser)
    # The stranger is still locked out, even with the right password.
    assert REFUSED in sign_in(stranger, coordinator.email).get_data(as_text=True)
    db.session.refresh(coordinator)
    assert coordinator.is_locked(utcnow())


def test_a_known_browser_has_its_own_count(app, make_user, db):
    user = make_user("observer")
    own_browser = app.test_client()
    assert sign_in(own_browser, user.email).status_code == 302
    own_browser.post("/logout")
    fail(own_browser, user.email)
    browser = db.session.execute(db.select(KnownBrowser)).scalar_one()
    assert browser.is_locked(utcnow())
    assert REFUSED in sign_in(own_browser, user.email).get_data(as_text=True)
    # The account itself is not locked: another browser may sign in.
    db.session.refresh(user)
    assert not user.is_locked(utcnow())
    assert sign_in(app.test_client(), user.email).status_code == 302
    assert events(db, "lockout") == ["lockout"]


def test_a_made_up_browser_cookie_is_a_stranger(app, make_user, db):
    user = make_user("observer")
    assert sign_in(app.test_client(), user.email).status_code == 302  # someone's real browser
    stranger = app.test_client()
    stranger.set_cookie(BROWSER_COOKIE, "guessed-value")
    fail(stranger, user.email)
    assert REFUSED in sign_in(stranger, user.email).get_data(as_text=True)
    stranger.set_cookie(BROWSER_COOKIE, "x" * 3000)
    response = sign_in(stranger, user.email)
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)


def test_the_browser_cookie_is_long_lived_httponly_and_secure_in_production(make_app, make_user):
    user = make_user("observer")
    production = make_app(
        PRODUCTION=True, SECRET_KEY="another-long-production-secret", PUBLIC_URL="https://localhost"
    )
    response = sign_in(production.test_client(), user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if BROWSER_COOKIE in c)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie


def test_reauth_failures_count_on_the_known_browser_only(app, make_user, db):
    user = make_user("observer")
    browser = app.test_client()
    assert sign_in(browser, user.email).status_code == 302
    for _ in range(5):
        browser.post("/reauth", data={"password": WRONG})
    assert not is_signed_in(browser)
    db.session.refresh(user)
    assert not user.is_locked(utcnow())
    assert sign_in(app.test_client(), user.email).status_code == 302


# --- rate limits -----------------------------------------------------------------------------


@pytest.fixture
def limited_app(make_app, db):
    limited = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="40 per minute",
    )
    yield limited
    # The limiter object is shared: rebuilding an app with limits off switches it off again.
    make_app()


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_flood_of_sign_ins_for_one_email_meets_the_limit_never_an_error(limited_app, make_user):
    user = make_user("observer")
    client = from_address(limited_app, "203.0.113.7")
    statuses = [sign_in(client, user.email, WRONG).status_code for _ in range(8)]
    assert statuses == [200, 200, 200, 429, 429, 429, 429, 429]
    page = sign_in(client, user.email)
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    # Another address is counted on its own.
    assert sign_in(from_address(limited_app, "203.0.113.8"), user.email).status_code == 302


def test_many_observers_behind_one_address_still_sign_in(limited_app, make_user):
    observers = [make_user("observer") for _ in range(12)]
    for observer in observers:
        client = from_address(limited_app, "198.51.100.1")  # one Tor exit
        assert sign_in(client, observer.email, WRONG).status_code == 200  # a typo each
        assert sign_in(client, observer.email).status_code == 302
        assert is_signed_in(client)


def test_one_address_is_bounded_across_accounts(limited_app, make_user):
    client = from_address(limited_app, "192.0.2.50")
    statuses = [sign_in(client, f"guess{n}@example.org", WRONG).status_code for n in range(45)]
    assert statuses.count(200) == 40 and statuses[40:] == [429] * 5


def test_the_code_step_is_rate_limited(limited_app, make_user, db):
    coordinator = make_user("coordinator")
    client = from_address(limited_app, "203.0.113.20")
    assert sign_in(client, coordinator.email).status_code == 302
    statuses = [client.post("/login/code", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in client.post("/login/code", data={"code": "1"}).get_data(
        as_text=True
    )


def test_re_authentication_is_rate_limited(limited_app, make_user, login_as):
    user = make_user("observer")
    client = login_as(user, from_address(limited_app, "203.0.113.30"))
    statuses = [client.post("/reauth", data={"password": WRONG}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert is_signed_in(client)


def test_set_password_is_rate_limited(limited_app, make_user, db):
    user = make_user("observer", password=None)
    token = issue_set_password_link_token(db.session.get(User, user.id), 72)
    db.session.commit()
    client = from_address(limited_app, "203.0.113.40")
    short = {"new_password": "short", "confirm": "short"}
    statuses = [client.post(f"/set-password/{token}", data=short).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Guessing other links from the same address meets the per-address limit.
    guesses = [client.post(f"/set-password/guess{n}", data=short).status_code for n in range(40)]
    assert 429 in guesses and set(guesses) <= {404, 429}
    db.session.refresh(user)
    assert user.password_hash is None


def test_browsers_unseen_for_a_year_are_forgotten(app, make_user, db):
    user = make_user("observer")
    old, new = app.test_client(), app.test_client()
    assert sign_in(old, user.email).status_code == 302
    browser = db.session.execute(db.select(KnownBrowser)).scalar_one()
    browser.last_sign_in_at = utcnow() - timedelta(days=366)
    old_hash = browser.token_hash
    db.session.commit()
    assert sign_in(new, user.email).status_code == 302
    db.session.expire_all()
    remaining = db.session.execute(db.select(KnownBrowser.token_hash)).scalars().all()
    assert len(remaining) == 1 and remaining[0] != old_hash
