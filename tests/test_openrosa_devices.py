"""The account pages for device credentials: created with a name, shown once as labelled text
and as ODK Collect's settings QR code, last use shown, revoked by the observer or by staff, with
a confirmation with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from observer.extensions import db
from observer.models import DeviceCredential
from observer.openrosa import credentials
from tests.factories_openrosa import basic, new_device


@pytest.fixture
def observer(make_user):
    return make_user("observer")


def create(client, name="Grey Android"):
    return client.post("/account/devices/", data={"name": name})


def test_an_observer_creates_a_credential_shown_once(client, catalog, observer, login_as):
    login_as(observer)
    response = create(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    server = re.search(r'id="device-server">([^<]+)<', page).group(1)
    username = re.search(r'id="device-username">([^<]+)<', page).group(1)
    password = re.search(r'id="device-password">([^<]+)<', page).group(1)
    assert server == "http://localhost/openrosa"
    assert "Server URL" in page and "Username" in page and "Password" in page
    assert 'src="data:image/svg+xml;base64,' in page
    # The credential works over OpenRosa...
    assert client.get("/openrosa/formList", headers=basic(username, password)).status_code == 200
    # ...and the password is never shown again.
    again = client.get("/account/devices/").get_data(as_text=True)
    assert password not in again
    assert "Grey Android" in again and username in again
    [stored] = db.session.execute(select(DeviceCredential)).scalars()
    assert password not in stored.secret_hash


def test_the_qr_code_carries_odk_collect_settings(observer, db):
    text = credentials.collect_settings("https://example.org/openrosa", "dev-1", "secret")
    assert credentials.read_collect_settings(text) == {
        "general": {
            "server_url": "https://example.org/openrosa",
            "username": "dev-1",
            "password": "secret",
        },
        "admin": {},
    }


def test_a_credential_needs_a_name(client, observer, login_as):
    login_as(observer)
    response = create(client, name="   ")
    assert response.status_code == 422
    assert "Give the phone a name." in response.get_data(as_text=True)
    assert db.session.execute(select(DeviceCredential)).first() is None


def test_last_use_is_shown(client, catalog, observer, login_as):
    _issued, headers = new_device(observer, "Tella phone")
    login_as(observer)
    assert "Never used" in client.get("/account/devices/").get_data(as_text=True)
    client.get("/openrosa/formList", headers=headers)
    from tests.test_openrosa import submit

    assert submit(client, headers).status_code == 201
    assert "Last used" in client.get("/account/devices/").get_data(as_text=True)


def test_revoking_asks_first_without_javascript(client, catalog, observer, login_as):
    issued, headers = new_device(observer)
    login_as(observer)
    url = f"/account/devices/{issued.credential.id}/revoke"
    asked = client.post(url)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Revoke the credential" in page and 'name="confirmed" value="yes"' in page
    assert client.get("/openrosa/formList", headers=headers).status_code == 200
    done = client.post(url, data={"confirmed": "yes"})
    assert done.status_code == 302
    assert client.get("/openrosa/formList", headers=headers).status_code == 401
    assert "Revoked" in client.get("/account/devices/").get_data(as_text=True)


def test_an_observer_cannot_revoke_another_s_credential(client, observer, make_user, login_as):
    other = make_user("observer")
    issued, _headers = new_device(other, "Other observer's Nokia")
    login_as(observer)
    response = client.post(
        f"/account/devices/{issued.credential.id}/revoke", data={"confirmed": "yes"}
    )
    assert response.status_code == 404
    db.session.refresh(issued.credential)
    assert not issued.credential.is_revoked
    assert issued.credential.name not in client.get("/account/devices/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_see_and_revoke_anyone_s_credential(client, observer, make_user, login_as, role):
    issued, headers = new_device(observer, "Seized phone")
    login_as(make_user(role))
    listing = client.get("/account/devices/all").get_data(as_text=True)
    assert "Seized phone" in listing and observer.observer_code in listing
    assert observer.email not in listing and observer.display_name not in listing
    response = client.post(
        f"/account/devices/{issued.credential.id}/revoke", data={"confirmed": "yes"}
    )
    assert response.status_code == 302
    db.session.refresh(issued.credential)
    assert issued.credential.is_revoked


def test_observers_cannot_list_all_credentials(client, observer, login_as):
    login_as(observer)
    assert client.get("/account/devices/all").status_code == 403
