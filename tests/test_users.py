"""User administration: access, creating accounts, admin actions, the CSV import."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from observer.models import AuditLog, Region, User
from observer.users import service
from tests.conftest import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new harmonica tune"


def region(db, iso_code):
    return db.session.execute(select(Region).where(Region.iso_code == iso_code)).scalar_one()


def events(db, name):
    return list(
        db.session.execute(select(AuditLog).where(AuditLog.event == name).order_by(AuditLog.id))
        .scalars()
        .all()
    )


def user_count(db):
    return db.session.execute(select(func.count(User.id))).scalar_one()


def link_in(html):
    return re.search(r'id="one-time-link">([^<]+)<', html).group(1)


@pytest.fixture
def in_request(app, db):
    """Service calls outside a page: messages are translated strings, which need a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def admin(make_user, login_as):
    user = make_user("admin", email="chief@example.org")
    login_as(user)
    return user


# --- access ------------------------------------------------------------------------------------

ADMIN_GETS = ["/admin/users/", "/admin/users/new", "/admin/users/import", "/admin/security-log/"]
ADMIN_POSTS = ["deactivate", "reactivate", "role", "regions", "reset-two-factor", "link"]


@pytest.mark.parametrize("role", ["observer", "coordinator"])
def test_admin_pages_are_refused_to_other_roles(client, make_user, login_as, role):
    target = make_user("observer")
    login_as(make_user(role))
    paths = [*ADMIN_GETS, f"/admin/users/{target.id}"]
    for path in paths:
        assert client.get(path).status_code == 403, path
    for action in ADMIN_POSTS:
        assert client.post(f"/admin/users/{target.id}/{action}").status_code == 403, action
    assert client.post("/admin/users/new", data={"email": "x@example.org"}).status_code == 403
    assert client.post("/admin/users/import").status_code == 403


def test_admin_pages_send_anonymous_visitors_to_sign_in(client, make_user):
    target = make_user("observer")
    for path in [*ADMIN_GETS, f"/admin/users/{target.id}"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path
    for action in ADMIN_POSTS:
        response = client.post(f"/admin/users/{target.id}/{action}")
        assert response.status_code == 302, action


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/deactivate").status_code == 404


# --- list and create ----------------------------------------------------------------------


def test_list_shows_accounts_and_filters(client, admin, make_user, catalog, db):
    coordinator = make_user("coordinator", regions=[region(db, "BY-MI")])
    observer = make_user("observer", display_name="Quiet Person")
    html = client.get("/admin/users/").get_data(as_text=True)
    for user in (admin, coordinator, observer):
        assert user.observer_code in html and user.email in html
    assert "BY-MI" in html
    only_staff = client.get("/admin/users/?role=coordinator").get_data(as_text=True)
    assert coordinator.email in only_staff and observer.email not in only_staff
    search = client.get("/admin/users/?q=quiet").get_data(as_text=True)
    assert observer.email in search and coordinator.email not in search
    assert client.get("/admin/users/?role=nonsense").status_code == 200


def test_list_pages_by_keyset(client, admin, make_user, monkeypatch):
    from observer.users import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    others = [make_user("observer") for _ in range(3)]
    first = client.get("/admin/users/").get_data(as_text=True)
    assert others[0].email in first and others[1].email not in first
    next_url = re.search(r'class="pager".*?href="([^"]+)"', first, re.S).group(1)
    second = client.get(next_url.replace("&amp;", "&")).get_data(as_text=True)
    assert others[1].email in second and others[2].email in second
    assert admin.email not in second


def test_create_account_gives_a_one_time_link(client, admin, catalog, db):
    minsk = region(db, "BY-MI")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.org",
            "display_name": "New Person",
            "role": "coordinator",
            "regions": [str(minsk.id)],
            "locale": "ru",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = link_in(html)
    assert link.startswith("http://localhost/set-password/")
    user = db.session.execute(
        select(User).where(User.email == "new.person@example.org")
    ).scalar_one()
    assert user.role == "coordinator" and user.locale == "ru"
    assert [r.iso_code for r in user.regions] == ["BY-MI"]
    assert user.password_hash is None
    assert events(db, "user_created")[-1].actor_id == admin.id
    assert events(db, "set_password_link_issued")[-1].subject_id == user.id

    # The person sets a password through the link; the staff account must then enrol in 2FA.
    path = link.removeprefix("http://localhost")
    client.post("/logout")
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    response = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").headers["Location"] == "/account/two-factor"


def test_create_refuses_bad_input_and_keeps_it(client, admin, make_user):
    existing = make_user("observer", email="taken@example.org")
    response = client.post(
        "/admin/users/new",
        data={"email": existing.email, "display_name": "Someone", "role": "observer"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "An account with this email exists already." in html
    assert 'value="Someone"' in html
    response = client.post(
        "/admin/users/new", data={"email": "not-an-email", "display_name": "", "role": "king"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a valid email address." in html and "Enter a name." in html
    assert "Not a valid choice" in html
    response = client.post(
        "/admin/users/new",
        data={
            "email": "a@example.org",
            "display_name": "A",
            "role": "observer",
            "regions": "99999",
        },
    )
    assert response.status_code == 400


# --- actions on one user -----------------------------------------------------------------------


def test_deactivate_and_reactivate(app, client, admin, make_user, login_as, db):
    target = make_user("observer")
    their_client = app.test_client()
    login_as(target, their_client)
    assert their_client.get("/account").status_code == 200

    response = client.post(f"/admin/users/{target.id}/deactivate")
    assert response.status_code == 302
    db.session.refresh(target)
    assert not target.is_active
    assert their_client.get("/account").status_code == 302  # their session ended
    refused = their_client.post(
        "/login", data={"email": target.email, "password": DEFAULT_PASSWORD}
    )
    assert "The email or password is incorrect" in refused.get_data(as_text=True)
    assert "Deactivated" in client.get(f"/admin/users/{target.id}").get_data(as_text=True)

    client.post(f"/admin/users/{target.id}/reactivate")
    db.session.refresh(target)
    assert target.is_active
    ok = their_client.post("/login", data={"email": target.email, "password": DEFAULT_PASSWORD})
    assert ok.status_code == 302
    assert [e.subject_id for e in events(db, "user_deactivated")] == [target.id]
    assert [e.subject_id for e in events(db, "user_reactivated")] == [target.id]


def test_admin_cannot_deactivate_or_demote_themselves(client, admin, db):
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "observer"}, follow_redirects=True
    )
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_active and admin.role == "admin"
    assert events(db, "user_deactivated") == [] and events(db, "role_changed") == []


def test_change_role(client, admin, make_user, db):
    target = make_user("observer")
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "coordinator"})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role == "coordinator"
    event = events(db, "role_changed")[-1]
    assert event.details == {"from": "observer", "to": "coordinator"}
    assert event.actor_id == admin.id
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "king"}).status_code == 400


def test_reset_two_factor(app, client, admin, make_user, login_as, db):
    target = make_user("coordinator")
    their_client = app.test_client()
    login_as(target, their_client)
    client.post(f"/admin/users/{target.id}/reset-two-factor")
    db.session.refresh(target)
    assert not target.totp_enabled and target.totp_secret is None
    assert events(db, "two_factor_reset")[-1].subject_id == target.id
    # The reset ends their sessions; at the next sign-in they must enrol again.
    assert their_client.get("/account").status_code == 302
    their_client.post("/login", data={"email": target.email, "password": DEFAULT_PASSWORD})
    assert their_client.get("/review/").headers["Location"] == "/account/two-factor"


def test_assign_regions(client, admin, make_user, catalog, db):
    target = make_user("coordinator")
    minsk, homiel = region(db, "BY-MI"), region(db, "BY-HM")
    response = client.post(
        f"/admin/users/{target.id}/regions", data={"regions": [str(minsk.id), str(homiel.id)]}
    )
    assert response.status_code == 302
    db.session.refresh(target)
    assert sorted(r.iso_code for r in target.regions) == ["BY-HM", "BY-MI"]
    assert events(db, "regions_changed")[-1].details["to"] == ["BY-HM", "BY-MI"]
    client.post(f"/admin/users/{target.id}/regions", data={})
    db.session.refresh(target)
    assert target.regions == []
    bad = client.post(f"/admin/users/{target.id}/regions", data={"regions": "424242"})
    assert bad.status_code == 400


def test_new_link_replaces_the_old_one(client, admin, make_user, db):
    target = make_user("observer")
    first = link_in(client.post(f"/admin/users/{target.id}/link").get_data(as_text=True))
    second = link_in(client.post(f"/admin/users/{target.id}/link").get_data(as_text=True))
    assert first != second
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert client.get(second.removeprefix("http://localhost")).status_code == 200
    assert len(events(db, "set_password_link_issued")) == 2


def test_detail_page_shows_the_account(client, admin, make_user, catalog, db):
    target = make_user("coordinator", regions=[region(db, "BY-HM")])
    html = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert target.email in html and target.observer_code in html
    assert "Reset two-factor" in html and "Deactivate" in html
    own = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "You cannot change your own role." in own
    assert f"/admin/users/{admin.id}/deactivate" not in own


# --- CSV import ----------------------------------------------------------------------------------

GOOD_CSV = (
    "email,name,role,regions\n"
    "obs.one@example.org,Observer One,observer,BY-MI\n"
    "coord@example.org,Coordinator,coordinator,BY-MI;BY-HM\n"
    "obs.two@example.org,,observer,\n"
)


def test_import_creates_accounts_with_links(db, admin, catalog):
    result = service.import_users_csv(GOOD_CSV, admin, 72)
    db.session.commit()
    assert result.ok and result.applied
    assert [u.email for u, _token in result.created] == [
        "obs.one@example.org",
        "coord@example.org",
        "obs.two@example.org",
    ]
    coord = db.session.execute(select(User).where(User.email == "coord@example.org")).scalar_one()
    assert coord.role == "coordinator"
    assert sorted(r.iso_code for r in coord.regions) == ["BY-HM", "BY-MI"]
    assert len(events(db, "users_imported")) == 1


def test_reimporting_the_same_file_changes_nothing(db, admin, catalog):
    service.import_users_csv(GOOD_CSV, admin, 72)
    db.session.commit()
    before = user_count(db), len(events(db, "set_password_link_issued"))
    result = service.import_users_csv(GOOD_CSV, admin, 72)
    db.session.commit()
    assert result.ok and not result.applied
    assert len(result.unchanged) == 3 and not result.to_create and not result.to_update
    assert (user_count(db), len(events(db, "set_password_link_issued"))) == before
    assert len(events(db, "users_imported")) == 1


def test_import_updates_changed_accounts_and_reports_them(db, admin, catalog):
    service.import_users_csv(GOOD_CSV, admin, 72)
    db.session.commit()
    changed = GOOD_CSV.replace(
        "coord@example.org,Coordinator,coordinator,BY-MI;BY-HM",
        "coord@example.org,Coordinator,observer,BY-HM",
    )
    result = service.import_users_csv(changed, admin, 72)
    db.session.commit()
    assert result.ok
    assert [(r.email, r.changes) for r in result.to_update] == [
        ("coord@example.org", ["role", "regions"])
    ]
    coord = db.session.execute(select(User).where(User.email == "coord@example.org")).scalar_one()
    assert coord.role == "observer" and [r.iso_code for r in coord.regions] == ["BY-HM"]
    assert len(events(db, "role_changed")) == 1 and len(events(db, "regions_changed")) == 1


def test_import_reports_every_bad_row_and_writes_nothing(db, in_request, admin, catalog):
    text = (
        "email,name,role,regions\n"
        "good@example.org,Good,observer,BY-MI\n"
        "not-an-email,Bad Email,observer,\n"
        "other@example.org,Bad Role,chief,\n"
        "\n"
        "third@example.org,Bad Region,observer,BY-MI;XX-YY\n"
        "GOOD@example.org,Duplicate,observer,\n"
        "short@example.org,Too few\n"
    )
    before = user_count(db)
    result = service.import_users_csv(text, admin, 72)
    db.session.rollback()
    assert not result.ok and not result.applied
    lines = [(e.line, e.column, str(e.message)) for e in result.errors]
    assert [(line, column) for line, column, _m in lines] == [
        (3, "email"),
        (4, "role"),
        (6, "regions"),
        (7, "email"),
        (8, "role"),
    ]
    assert "not a valid email address" in lines[0][2]
    assert "“chief” is not one of observer, coordinator, admin" in lines[1][2]
    assert "XX-YY" in lines[2][2]
    assert "the same record as row 2" in lines[3][2]
    assert "is required" in lines[4][2]  # a short row: its missing cells are empty
    assert user_count(db) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("mail,name\nx@example.org,X\n", "the first row must name the columns"),
    ],
)
def test_import_refuses_a_bad_header(db, in_request, admin, text, message):
    result = service.plan_import(text, admin)
    assert {e.line for e in result.errors} == {1}
    assert message in str(result.errors[0].message)


def test_import_cannot_change_the_importers_own_role(db, in_request, admin):
    result = service.import_users_csv(
        "email,name,role,regions\nchief@example.org,Chief,observer,\n", admin, 72
    )
    assert not result.ok and result.errors[0].line == 2
    db.session.rollback()
    db.session.refresh(admin)
    assert admin.role == "admin"


def upload(client, text, name="users.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_import_page_shows_links_then_nothing_on_reimport(client, admin, catalog, db):
    assert client.get("/admin/users/import").status_code == 200
    response = upload(client, "\ufeff" + GOOD_CSV)  # as saved by a spreadsheet program
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("http://localhost/set-password/") == 3
    assert "Created: 3" in html
    again = upload(client, GOOD_CSV).get_data(as_text=True)
    assert "Created: 0" in again and "Already up to date: 3" in again
    assert "set-password/" not in again


def test_import_page_lists_errors_with_line_numbers(client, admin, catalog, db):
    before = user_count(db)
    response = upload(client, "email,name,role,regions\nok@example.org,Ok,observer,\nbad,B,x,\n")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "Line 3, column email:" in html and "Line 3, column role:" in html
    assert user_count(db) == before


def test_import_page_refuses_missing_and_non_utf8_files(client, admin, db):
    response = client.post("/admin/users/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a CSV file." in response.get_data(as_text=True)
    response = upload(client, "email,name,role,regions\nя@x.org,Я,observer,\n".encode("cp1251"))
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
