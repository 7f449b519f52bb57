"""The OpenRosa server as ODK Collect and Tella use it: device credentials, the form list, the
XForm (checked by ODK Validate), submissions becoming reports, and every kind of bad input."""

from __future__ import annotations

import io

import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import func, select

from observer.extensions import db
from observer.models import AuditLog, DeviceCredential, Report, Status
from observer.openrosa import credentials
from observer.openrosa.xform import build_form, form_id
from tests.factories_openrosa import basic, instance_xml, multipart, new_device
from tests.factories_reports import jpeg_with_metadata

NS = {"x": "http://openrosa.org/xforms/xformsList", "r": "http://openrosa.org/http/response"}


def reports() -> list[Report]:
    db.session.expire_all()
    return list(db.session.execute(select(Report)).scalars())


def submit(client, headers, xml=None, **files):
    return client.post(
        "/openrosa/submission",
        data=multipart(instance_xml() if xml is None else xml, **files),
        headers=headers,
        content_type="multipart/form-data",
    )


def message(response) -> str:
    root = fromstring(response.data)
    return "".join(root.itertext())


@pytest.fixture
def observer(make_user):
    return make_user("observer")


@pytest.fixture
def device(catalog, observer):
    issued, headers = new_device(observer)
    return issued, headers


# --- authentication --------------------------------------------------------------------------


def test_without_credentials_every_endpoint_asks_for_basic_auth(client, catalog):
    for method, url in (
        ("GET", "/openrosa/formList"),
        ("HEAD", "/openrosa/submission"),
        ("POST", "/openrosa/submission"),
        ("GET", "/openrosa/forms/x"),
    ):
        response = client.open(url, method=method)
        assert response.status_code == 401, url
        assert response.headers["X-OpenRosa-Version"] == "1.0"
        assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_a_signed_in_browser_session_does_not_open_openrosa(client, device, observer, login_as):
    login_as(observer)
    assert client.get("/openrosa/formList").status_code == 401


def test_wrong_password_and_revoked_credential_are_refused(client, device, observer):
    issued, headers = device
    assert (
        client.get("/openrosa/formList", headers=basic(issued.username, "wrong")).status_code == 401
    )
    assert client.get("/openrosa/formList", headers=headers).status_code == 200
    credentials.revoke(observer, issued.credential)
    response = client.get("/openrosa/formList", headers=headers)
    assert response.status_code == 401
    assert response.headers["X-OpenRosa-Version"] == "1.0"


def test_a_deactivated_observer_s_credential_stops_working(client, device, observer):
    _issued, headers = device
    observer.is_active_account = False
    db.session.commit()
    assert client.get("/openrosa/formList", headers=headers).status_code == 401


def test_a_device_credential_never_opens_the_web_app(client, device):
    issued, headers = device
    for url in ("/reports/", "/reports/new", "/account", "/review/"):
        response = client.get(url, headers=headers)
        assert response.status_code in (302, 303, 404), url
        if response.status_code != 404:
            assert "/login" in response.headers["Location"]
    # Nor does it sign in as a password.
    client.post("/login", data={"email": issued.username, "password": issued.password})
    assert "/login" in client.get("/reports/").headers["Location"]


# --- form list and form --------------------------------------------------------------------


def test_form_list_offers_the_active_campaign_form(client, device, catalog):
    _issued, headers = device
    response = client.get("/openrosa/formList", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    root = fromstring(response.data)
    forms = root.findall("x:xform", NS)
    assert len(forms) == 1
    assert forms[0].findtext("x:formID", namespaces=NS) == form_id(catalog)
    assert forms[0].findtext("x:version", namespaces=NS) == catalog.catalog_version
    url = forms[0].findtext("x:downloadUrl", namespaces=NS)
    form = client.get(url, headers=headers)
    assert form.status_code == 200
    assert forms[0].findtext("x:hash", namespaces=NS) == "md5:" + build_form(catalog).md5
    assert b"<h:html" in form.data


def test_the_form_carries_the_catalog_codes_and_three_languages(client, device, catalog):
    _issued, headers = device
    xml = client.get(f"/openrosa/forms/{form_id(catalog)}", headers=headers).data.decode()
    for language in ("English (en)", "Belarusian (be)", "Russian (ru)"):
        assert f'lang="{language}"' in xml
    assert "<name>EV-01</name><stage>early_voting</stage>" in xml
    assert "<name>BY-HM</name>" in xml
    assert "<name>Baranavichy</name><region>BY-BR</region>" in xml
    assert "Выбарчыя камісіі" in xml or "камісі" in xml  # Belarusian labels
    assert "instance('criteria')/root/item[stage = /data/stage]" in xml
    assert 'mediatype="video/*"' in xml and 'mediatype="audio/*"' in xml
    assert 'mediatype="image/*"' in xml and 'mediatype="application/*"' in xml


def test_unknown_form_is_a_404_in_openrosa_terms(client, device):
    _issued, headers = device
    response = client.get("/openrosa/forms/no-such-thing", headers=headers)
    assert response.status_code == 404
    assert response.headers["X-OpenRosa-Version"] == "1.0"


def test_a_catalog_change_gives_a_new_form_version(client, device, catalog):
    _issued, headers = device
    before = build_form(catalog)
    from tests.factories_reports import criterion

    criterion("EV-01").name_en = "Early voting without pressure"
    db.session.commit()
    db.session.refresh(catalog)
    after = build_form(catalog)
    assert after.version != before.version and after.md5 != before.md5
    assert "Early voting without pressure" in after.xml


def test_the_xform_passes_odk_validate(catalog, tmp_path):
    from pyxform.validators.odk_validate import check_xform

    path = tmp_path / "form.xml"
    path.write_text(build_form(catalog).xml, encoding="utf-8")
    warnings = check_xform(str(path))  # raises ODKValidateError when the form is invalid
    assert isinstance(warnings, list)


def test_odk_validate_does_reject_a_broken_form(catalog, tmp_path):
    """The validator really checks: the same form with a label that does not exist fails."""
    from pyxform.validators.odk_validate import ODKValidateError, check_xform

    xml = build_form(catalog).xml.replace(
        "jr:itext('/data/title:label')", "jr:itext('/data/missing:label')"
    )
    path = tmp_path / "broken.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(ODKValidateError):
        check_xform(str(path))


# --- submission --------------------------------------------------------------------------


def test_head_submission_tells_the_limit(client, device, app):
    _issued, headers = device
    response = client.head("/openrosa/submission", headers=headers)
    assert response.status_code == 204
    limit = int(response.headers["X-OpenRosa-Accept-Content-Length"])
    assert limit == app.config["MAX_REQUEST_MB"] * 1024 * 1024


def test_a_submission_becomes_a_submitted_report_of_the_observer(client, device, observer):
    issued, headers = device
    photo = jpeg_with_metadata()
    xml = instance_xml(files=[("photo", "1708500000.jpg")], district="Savetski")
    response = submit(client, headers, xml, **{"1708500000.jpg": photo})
    assert response.status_code == 201, response.data
    assert "submitted" in message(response)
    [report] = reports()
    assert report.author_id == observer.id
    assert report.status == Status.SUBMITTED
    assert report.reference.startswith("R-2024-")
    assert report.from_device and report.device_credential_id == issued.credential.id
    assert report.criterion.code == "EV-01" and report.region.iso_code == "BY-HM"
    assert report.district.name_en == "Savetski"
    assert str(report.occurred_at) == "10:30:00"
    [attachment] = report.attachments
    assert attachment.media_type == "image/jpeg"
    from observer.reports import storage

    assert b"Ivan Secret-Author" not in storage.read_bytes(attachment)
    db.session.refresh(issued.credential)
    assert issued.credential.last_used_at is not None


def test_a_resent_submission_succeeds_and_creates_nothing(client, device):
    _issued, headers = device
    xml = instance_xml(instance_id="uuid:5b1f7c8e-0000-4000-8000-000000000001")
    first = submit(client, headers, xml)
    again = submit(client, headers, xml)
    assert first.status_code == again.status_code == 201
    assert "already received" in message(again)
    assert len(reports()) == 1


def test_an_invalid_submission_says_what_is_wrong_and_stores_nothing(client, device):
    _issued, headers = device
    xml = instance_xml(criterion="COM-01", narrative="too short", polling_station="0")
    response = submit(client, headers, xml)
    assert response.status_code == 400
    text = message(response)
    assert "criterion:" in text and "narrative:" in text and "polling_station:" in text
    assert reports() == []


def test_unknown_codes_are_refused(client, device):
    _issued, headers = device
    response = submit(client, headers, instance_xml(region_code="XX-00", stage="nope"))
    assert response.status_code == 400
    assert "region_code:" in message(response) and "stage:" in message(response)
    assert reports() == []


def test_an_old_form_version_is_accepted_while_it_still_validates(client, device):
    _issued, headers = device
    assert submit(client, headers, instance_xml(version="old-one")).status_code == 201
    response = submit(client, headers, instance_xml(version="old-one", criterion="NO-99"))
    assert response.status_code == 400
    assert "older version" in message(response)
    assert len(reports()) == 1


def test_another_form_is_refused(client, device):
    _issued, headers = device
    response = submit(client, headers, instance_xml(form_id="someone-elses-form"))
    assert response.status_code == 400
    assert reports() == []


@pytest.mark.parametrize(
    "xml",
    [
        b"<data><title>unclosed",
        b"not xml at all",
        b"",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><data id="observer-belarus-2024">'
        b"<title>&lol2;</title><meta><instanceID>uuid:x</instanceID></meta></data>",
        b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<data id="observer-belarus-2024"><title>&xxe;</title></data>',
    ],
    ids=["unclosed", "garbage", "empty", "billion-laughs", "external-entity"],
)
def test_malformed_xml_and_xml_bombs_are_refused(client, device, xml):
    _issued, headers = device
    response = submit(client, headers, xml)
    assert response.status_code == 400
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert reports() == []


def test_no_xml_part_is_refused(client, device):
    _issued, headers = device
    response = client.post(
        "/openrosa/submission",
        data={"other": "x"},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "xml_submission_file" in message(response)


def test_an_attachment_named_but_missing_is_refused(client, device):
    _issued, headers = device
    xml = instance_xml(files=[("photo", "missing.jpg")])
    response = submit(client, headers, xml)
    assert response.status_code == 400
    assert "missing.jpg" in message(response)
    assert reports() == []


def test_a_bad_attachment_refuses_the_whole_submission(client, device):
    _issued, headers = device
    xml = instance_xml(files=[("video", "clip.mp4")])
    response = submit(
        client, headers, xml, **{"clip.mp4": b"\x00\x00\x00\x18ftypisom" + b"x" * 500}
    )
    assert response.status_code == 400
    assert "clip.mp4" in message(response)
    assert reports() == []


def test_a_submission_over_the_limit_is_refused_before_it_is_read(make_app, db, catalog, make_user):
    app = make_app(MAX_REQUEST_MB=1)
    client = app.test_client()
    _issued, headers = new_device(make_user("observer"))
    body = b"x" * (2 * 1024 * 1024)
    read = {"bytes": 0}

    class Counting(io.BytesIO):
        def read(self, size=-1):
            chunk = super().read(size)
            read["bytes"] += len(chunk)
            return chunk

        def readline(self, size=-1):
            chunk = super().readline(size)
            read["bytes"] += len(chunk)
            return chunk

    response = client.post(
        "/openrosa/submission",
        input_stream=Counting(body),
        headers={**headers, "Content-Length": str(len(body))},
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert read["bytes"] == 0
    assert reports() == []


def test_rate_limit_per_credential(make_app, db, catalog, make_user):
    app = make_app(RATELIMIT_ENABLED=True, OPENROSA_RATE_LIMIT="3 per minute")
    client = app.test_client()
    user = make_user("observer")
    _first, first_headers = new_device(user, "one")
    _second, second_headers = new_device(user, "two")
    statuses = [
        client.get("/openrosa/formList", headers=first_headers).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/openrosa/formList", headers=second_headers).status_code == 200


def test_device_reports_show_as_such_in_my_reports_and_the_queue(
    client, device, observer, make_user, login_as
):
    _issued, headers = device
    assert submit(client, headers).status_code == 201
    login_as(observer)
    page = client.get("/reports/").get_data(as_text=True)
    assert "From a device" in page
    coordinator = make_user("coordinator")
    staff = login_as(coordinator, client.application.test_client())
    queue = staff.get("/review/").get_data(as_text=True)
    assert "From a device" in queue


def test_credential_events_are_in_the_security_log(device, observer):
    issued, _headers = device
    credentials.revoke(observer, issued.credential)
    events = db.session.execute(select(AuditLog.event)).scalars().all()
    assert "device_credential_created" in events and "device_credential_revoked" in events
    assert db.session.execute(select(func.count(DeviceCredential.id))).scalar_one() == 1


def test_a_resend_is_a_success_even_when_it_would_no_longer_validate(client, device, catalog):
    """ODK Collect resends when it missed the answer; the report exists, so the resend must
    succeed even if the catalog changed meanwhile (else the phone retries for ever)."""
    _issued, headers = device
    xml = instance_xml(instance_id="uuid:5b1f7c8e-0000-4000-8000-000000000002")
    assert submit(client, headers, xml).status_code == 201
    from tests.factories_reports import criterion

    criterion("EV-01").active = False
    db.session.commit()
    again = submit(client, headers, xml)
    assert again.status_code == 201 and "already received" in message(again)
    assert len(reports()) == 1


def test_the_same_instance_id_from_another_observer_is_another_report(client, device, make_user):
    _issued, headers = device
    _other, other_headers = new_device(make_user("observer"))
    xml = instance_xml(instance_id="uuid:5b1f7c8e-0000-4000-8000-000000000003")
    assert submit(client, headers, xml).status_code == 201
    assert submit(client, other_headers, xml).status_code == 201
    assert len(reports()) == 2


def test_a_submission_sent_in_parts_gathers_every_file_once(client, device):
    """ODK Collect splits a large submission into posts with one instanceID, all but the last
    marked *isIncomplete*: the report gets each file once, whichever post brought it."""
    _issued, headers = device
    photo, second = jpeg_with_metadata(), jpeg_with_metadata(size=(48, 48))
    xml = instance_xml(files=[("photo", "first.jpg"), ("photo", "second.jpg")])
    first_part = multipart(xml, **{"first.jpg": photo})
    first_part["*isIncomplete*"] = "yes"
    response = client.post(
        "/openrosa/submission", data=first_part, headers=headers, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.data
    [report] = reports()
    assert [a.original_name for a in report.attachments] == ["first.jpg"]

    last = submit(client, headers, xml, **{"first.jpg": photo, "second.jpg": second})
    assert last.status_code == 201, last.data
    [report] = reports()
    assert sorted(a.original_name for a in report.attachments) == ["first.jpg", "second.jpg"]

    again = submit(client, headers, xml, **{"second.jpg": second})
    assert again.status_code == 201
    [report] = reports()
    assert len(report.attachments) == 2

    refused = submit(client, headers, xml, **{"second.jpg": b"not an image at all"})
    assert refused.status_code == 400
    assert "second.jpg" in message(refused)
    [report] = reports()
    assert len(report.attachments) == 2
