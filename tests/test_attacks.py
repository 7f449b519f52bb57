"""Holes found by trying Observer as an attacker would, each closed: links built from a forged
Host header, a session cookie replayed after sign-out, a forged X-Forwarded-For."""

from __future__ import annotations

import io
import re

import pytest

from tests.factories_statements import make_statement, publish_statement
from tests.test_auth import is_signed_in, sign_in

PUBLIC = "https://observer.example.org"
ONION = "http://observerexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxx.onion"
FORGED = {"Host": "evil.example"}
ON_ONION = {"Host": ONION.removeprefix("http://")}
ON_PUBLIC = {"Host": PUBLIC.removeprefix("https://")}
LINK = re.compile(r'id="one-time-link">([^<]+)<')


@pytest.fixture
def public_app(make_app):
    return make_app(PUBLIC_URL=PUBLIC, ONION_URL=ONION)


@pytest.fixture
def production_app(make_app):
    return make_app(
        PRODUCTION=True, SECRET_KEY="a-long-production-secret", PUBLIC_URL=PUBLIC, ONION_URL=ONION
    )


def admin_client(app, make_user, login_as):
    """A signed-in admin whose requests may carry another Host header (the test client sends
    cookies by host name, so the session cookie is copied to those hosts)."""
    admin = make_user("admin")
    client = app.test_client()
    login_as(admin, client)
    cookie = client.get_cookie("observer_session").value
    for headers in (FORGED, ON_ONION):
        client.set_cookie("observer_session", cookie, domain=headers["Host"])
    return admin, client


def test_set_password_links_ignore_a_forged_host(public_app, make_user, login_as, catalog, db):
    _, client = admin_client(public_app, make_user, login_as)
    created = client.post(
        "/admin/users/new",
        data={"email": "new@example.org", "display_name": "New", "role": "observer"},
        headers=FORGED,
    )
    new_link = LINK.search(created.get_data(as_text=True))[1]
    assert new_link.startswith(f"{PUBLIC}/set-password/")

    target = make_user("observer", password=None)
    again = client.post(f"/admin/users/{target.id}/link", headers=FORGED)
    assert LINK.search(again.get_data(as_text=True))[1].startswith(f"{PUBLIC}/set-password/")

    csv = b"email,name,role,regions\nx@example.org,X,observer,\n"
    upload = {"file": (io.BytesIO(csv), "u.csv")}
    imported = client.post(
        "/admin/users/import", data=upload, content_type="multipart/form-data", headers=FORGED
    ).get_data(as_text=True)
    assert f"{PUBLIC}/set-password/" in imported
    assert "evil.example" not in imported


def test_an_admin_on_the_onion_service_gets_onion_links(public_app, make_user, login_as, db):
    _, client = admin_client(public_app, make_user, login_as)
    target = make_user("observer", password=None)
    response = client.post(f"/admin/users/{target.id}/link", headers=ON_ONION)
    assert LINK.search(response.get_data(as_text=True))[1].startswith(f"{ONION}/set-password/")


def test_the_feed_links_to_the_public_url_whatever_the_host(public_app, catalog, make_user, db):
    author = make_user("coordinator")
    publish_statement(make_statement(author, catalog), author)
    client = public_app.test_client()
    feed = client.get("/statements.atom", headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in feed
    assert f'href="{PUBLIC}/statements/' in feed
    onion_feed = client.get("/statements.atom", headers=ON_ONION).get_data(as_text=True)
    assert f'href="{ONION}/statements/' in onion_feed
    # Entry ids stay the same whichever address the feed was read at.
    ids = re.findall(r"<id>([^<]+)</id>", feed)
    assert ids == re.findall(r"<id>([^<]+)</id>", onion_feed)
    assert all(i.startswith(PUBLIC) for i in ids)


def test_pages_name_no_host_so_the_onion_address_works(production_app, catalog, make_user, db):
    author = make_user("coordinator")
    statement = publish_statement(make_statement(author, catalog), author)
    client = production_app.test_client()
    for path in ("/", "/login", f"/statements/{statement.slug}", "/static/css/app.css"):
        response = client.get(path, headers=ON_ONION)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert "observer.example.org" not in body and "http://" not in body.replace(
            "http://www.w3.org", ""
        ), path
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/login", "/statements.atom", "/statements/", "/nowhere"])
def test_production_refuses_unknown_hosts_with_a_clear_page(production_app, db, path):
    client = production_app.test_client()
    response = client.get(path, headers=FORGED)
    assert response.status_code == 400
    assert "not served at this address" in response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/", headers=ON_PUBLIC).status_code == 200
    assert client.get("/", headers=ON_ONION).status_code == 200


def test_production_needs_a_public_url(make_app):
    with pytest.raises(RuntimeError, match="OBSERVER_PUBLIC_URL"):
        make_app(PRODUCTION=True, SECRET_KEY="a-long-production-secret", PUBLIC_URL="")


# --- sessions ---------------------------------------------------------------------------------


def session_cookie(client):
    return client.get_cookie("observer_session").value


def test_a_cookie_copied_before_sign_out_no_longer_opens_reports(app, make_user, db):
    observer = make_user("observer")
    browser = app.test_client()
    assert sign_in(browser, observer.email).status_code == 302
    assert browser.get("/reports/").status_code == 200
    copied = session_cookie(browser)

    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie("observer_session", copied)
    response = thief.get("/reports/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not is_signed_in(thief)


def test_signing_out_on_one_device_leaves_the_other_signed_in(app, make_user, db):
    observer = make_user("observer")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, observer.email)
    sign_in(laptop, observer.email)
    phone.post("/logout")
    assert not is_signed_in(phone)
    assert laptop.get("/reports/").status_code == 200


def test_a_session_cookie_without_its_server_session_is_anonymous(client, make_user, db):
    observer = make_user("observer")
    with client.session_transaction() as session:
        session["_user_id"] = observer.get_id()  # a forged or pre-upgrade cookie: no session id
        session["sid"] = "made-up"
    assert not is_signed_in(client)


# --- the client address behind proxies ---------------------------------------------------------


@pytest.fixture
def limited(make_app, db):
    def build(proxies):
        return make_app(
            RATELIMIT_ENABLED=True,
            LOGIN_RATE_LIMIT="2 per minute",
            LOGIN_ADDRESS_RATE_LIMIT="100 per minute",
            PROXY_COUNT=proxies,
        )

    yield build
    make_app()


def attempts(app, email, forwarded_for):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # the proxy
    return [
        client.post(
            "/login",
            data={"email": email, "password": "wrong password!!"},
            headers={"X-Forwarded-For": value},
        ).status_code
        for value in forwarded_for
    ]


def test_behind_one_proxy_each_client_has_its_own_count(limited, make_user):
    app = limited(1)
    user = make_user("observer")
    # Two clients behind the proxy: each gets its own two attempts.
    assert attempts(app, user.email, ["198.51.100.1", "198.51.100.2"] * 2) == [200] * 4
    assert attempts(app, user.email, ["198.51.100.1"]) == [429]


def test_a_forged_forwarded_for_does_not_buy_more_attempts(limited, make_user):
    app = limited(1)
    user = make_user("observer")
    # The client prepends made-up addresses; the proxy appends the real one, which is all
    # that counts.
    forged = [f"10.9.9.{n}, 198.51.100.7" for n in range(5)]
    assert attempts(app, user.email, forged) == [200, 200, 429, 429, 429]


def test_without_proxies_forwarded_for_is_ignored(limited, make_user):
    app = limited(0)
    user = make_user("observer")
    assert attempts(app, user.email, [f"198.51.100.{n}" for n in range(4)]) == [
        200,
        200,
        429,
        429,
    ]


# --- a hostile PDF as evidence ------------------------------------------------------------------


def test_a_hostile_pdf_sent_as_evidence_is_stored_harmless(catalog, make_user, login_as, client):
    from tests.factories_reports import form_data, hostile_pdf, only_report, upload

    login_as(make_user("observer"))
    data = form_data(evidence=[upload(hostile_pdf(), "protocol.pdf")])
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = only_report().attachments[0].data
    for marker in (b"/JavaScript", b"/OpenAction", b"/EmbeddedFile", b"/URI", b"/Launch"):
        assert marker not in stored


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        b"%PDF-1.4\n" + b"[" * 50_000 + b"\n%%EOF",
        b"%PDF-1.4\n1 0 obj << /Length 999999999 >> stream\nxx\nendstream endobj\n%%EOF",
    ],
    ids=["pages-loop", "deep-nesting", "lying-length"],
)
def test_a_malformed_pdf_is_refused_with_a_message_never_a_500(
    catalog, make_user, login_as, client, data
):
    from tests.factories_reports import count_reports, form_data, upload

    login_as(make_user("observer"))
    form = form_data(evidence=[upload(data, "crafted.pdf")])
    response = client.post("/reports/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "crafted.pdf could not be read" in response.get_data(as_text=True)
    assert count_reports() == 0
