"""Security headers on every kind of response, and the session cookie's flags."""

from __future__ import annotations

import pytest

from tests.conftest import DEFAULT_PASSWORD


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";")}
    assert directives["default-src"] == "default-src 'self'"
    assert "'unsafe-inline'" not in directives.get("script-src", "")
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/", 200),
        ("get", "/login", 200),
        ("get", "/account", 302),
        ("get", "/no/such/page", 404),
        ("get", "/static/css/app.css", 200),
        ("get", "/static/js/app.js", 200),
        ("get", "/logout", 405),
        ("get", "/set-password/unknown", 404),
        ("post", "/login", 200),
    ],
)
def test_headers_on_every_kind_of_response(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert_security_headers(response)


def test_headers_on_forbidden_and_signed_in_pages(client, make_user, login_as):
    login_as(make_user("observer"))
    page = client.get("/account")
    assert page.status_code == 200
    assert_security_headers(page)
    assert page.headers["Cache-Control"] == "no-store"
    forbidden = client.get("/admin/users/")
    assert forbidden.status_code == 403
    assert_security_headers(forbidden)


def test_headers_on_rate_limited_and_csrf_refusals(make_app, make_user, db):
    user = make_user("observer")
    protected = make_app(WTF_CSRF_ENABLED=True).test_client()
    refused = protected.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert refused.status_code == 400
    assert_security_headers(refused)


def test_pages_have_no_inline_scripts_or_styles(client, make_user, login_as):
    login_as(make_user("admin"))
    for path in ("/account", "/account/two-factor", "/admin/users/", "/admin/security-log/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path
        assert "onclick" not in html.lower(), path


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "observer_session=" in c]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user("observer")
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http


def test_session_cookie_is_secure_in_production(make_app, make_user, db):
    user = make_user("observer")
    production = make_app(
        PRODUCTION=True,
        SECRET_KEY="a-long-random-production-secret-key",
        PUBLIC_URL="https://localhost",
    )
    response = production.test_client().post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_a_secret_key(make_app):
    with pytest.raises(RuntimeError):
        make_app(PRODUCTION=True, SECRET_KEY=None)
