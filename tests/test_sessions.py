"""The session cookie is written only when the session changes, never by static files: a page's
parallel requests can then not overwrite what the page itself just stored."""

from __future__ import annotations

from time import time


def test_static_files_never_write_the_session(client, make_user, login_as):
    login_as(make_user("observer"))
    assert client.get("/reports/").status_code == 200  # the page settles the session
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_an_unchanged_session_is_not_sent_again(client, make_user, login_as):
    login_as(make_user("observer"))
    first = client.get("/reports/")
    assert first.status_code == 200
    again = client.get("/reports/")
    assert again.status_code == 200
    assert "Set-Cookie" not in again.headers


def test_activity_is_still_recorded_so_idle_expiry_counts_from_the_last_request(
    client, make_user, login_as
):
    login_as(make_user("observer"))
    with client.session_transaction() as session:
        session["last_seen"] = time() - 20 * 60  # 20 idle minutes: still signed in
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "Set-Cookie" in response.headers  # the activity stamp moved forward
    with client.session_transaction() as session:
        assert time() - session["last_seen"] < 5
