"""Evidence through the pages: upload with the report, limits, downloads, access, security log."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from observer.extensions import db
from observer.models import Attachment, AuditLog, KeptEvidence, Report, Status, utcnow
from observer.reports import service
from observer.reports.service import ReportData, ReportInvalid, Upload
from tests.factories import make_report
from tests.factories_reports import (
    SECRET,
    count_attachments,
    count_reports,
    form_data,
    jpeg_with_metadata,
    only_report,
    pdf_with_metadata,
    png_with_text,
    upload,
)


@pytest.fixture
def observer(catalog, make_user):
    return make_user("observer")


@pytest.fixture
def signed_in(client, observer, login_as):
    login_as(observer)
    return client


def post_new(client, data):
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


KEPT = re.compile(r'name="kept_evidence" value="([^"]+)" checked> ([^<]+?) <small')


def kept_tokens(page: str) -> list[str]:
    return [token for token, _name in KEPT.findall(page)]


def kept_names(page: str) -> list[str]:
    return [name for _token, name in KEPT.findall(page)]


def count_kept() -> int:
    return db.session.execute(select(func.count(KeptEvidence.id))).scalar_one()


def test_files_are_cleaned_and_stored_with_the_report(signed_in):
    data = form_data(
        evidence=[
            upload(jpeg_with_metadata(orientation=6), "IMG_0042.JPG"),
            upload(pdf_with_metadata(), "../../protocol.pdf"),
        ]
    )
    assert post_new(signed_in, data).status_code == 302
    report = only_report()
    names = sorted((a.original_name, a.media_type) for a in report.attachments)
    assert names == [("IMG_0042.JPG", "image/jpeg"), ("protocol.pdf", "application/pdf")]
    for attachment in report.attachments:
        assert SECRET.encode() not in attachment.data
        assert len(attachment.data) == attachment.size
    photo = next(a for a in report.attachments if a.is_image)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (32, 64) and dict(image.getexif()) == {}


def test_refused_file_keeps_everything_typed_and_stores_nothing(signed_in):
    data = form_data(
        evidence=[
            upload(jpeg_with_metadata(), "fine.jpg"),
            upload(b"MZ\x90\x00 an executable", "invoice.pdf.exe"),
        ]
    )
    response = post_new(signed_in, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "invoice.pdf.exe is not a JPEG, PNG, WebP or HEIC photo, an MP4, MOV or WebM video" in page
    )
    assert 'id="evidence-error"' in page
    assert "Students taken to vote early by bus" in page and 'value="512"' in page
    # The good file is kept for the next attempt; the refused one is not.
    assert kept_names(page) == ["fine.jpg"]
    assert count_reports() == 0 and count_attachments() == 0


def test_file_over_the_per_file_limit_is_named_beside_the_field(make_app, db, observer, login_as):
    app = make_app(MAX_FILE_MB=1)
    client = app.test_client()
    login_as(observer, client)
    big = jpeg_with_metadata() + b"\0" * (1024 * 1024)
    with app.app_context():
        response = client.post(
            "/reports/new",
            data=form_data(evidence=[upload(big, "big.jpg")]),
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "big.jpg is larger than the 1 MB limit for one file." in page
    assert "deputy director checked their names" in page
    assert count_reports() == 0


def test_request_over_the_total_limit_gets_a_clear_413_with_the_form(
    make_app, db, observer, login_as
):
    app = make_app(MAX_REQUEST_MB=1)
    client = app.test_client()
    login_as(observer, client)
    big = b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024)
    with app.app_context():
        response = client.post(
            "/reports/new",
            data=form_data(evidence=[upload(big, "huge.jpg")]),
            content_type="multipart/form-data",
        )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The files you sent were too large, so nothing was saved." in page
    assert "Back button" in page
    assert 'name="title"' in page  # the form itself, ready to use
    assert count_reports() == 0


def test_413_on_the_edit_page_shows_the_stored_report(make_app, db, observer, login_as):
    report = make_report(observer)
    app = make_app(MAX_REQUEST_MB=1)
    client = app.test_client()
    login_as(observer, client)
    with app.app_context():
        response = client.post(
            f"/reports/{report.id}/edit",
            data={"evidence": upload(b"x" * (2 * 1024 * 1024), "a.jpg")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 413
    assert "Activist questioned after a picket" in response.get_data(as_text=True)


def test_form_announces_limits_to_the_local_script(signed_in):
    page = signed_in.get("/reports/new").get_data(as_text=True)
    assert 'data-max-file-bytes="15728640"' in page
    assert "/static/js/evidence.js" in page


def test_too_many_files_refused(app, observer, catalog):
    from tests.factories_reports import DEFAULT_DATE, criterion, district_of

    crit = criterion("EV-01")
    dist = district_of("BY-HM", 0)
    files = [Upload(f"{n}.png", png_with_text()) for n in range(service.MAX_FILES_PER_REPORT + 1)]
    data = ReportData(
        stage_id=crit.stage_id,
        criterion_id=crit.id,
        occurred_on=DEFAULT_DATE,
        region_id=dist.region_id,
        district_id=dist.id,
        title="Many files",
        narrative="n" * 40,
        source_type="document",
        severity=2,
        scope="isolated",
    )
    with app.test_request_context(), pytest.raises(ReportInvalid) as invalid:
        service.save_report(observer, data, files, campaign=catalog)
    with app.test_request_context():
        assert "at most 20 files" in str(invalid.value.errors["evidence"][0])
    assert count_reports() == 0


# --- adding and removing while editable -----------------------------------------------------


def edit_data(report, **extra):
    return form_data(
        criterion_code="CAM-05", occurred_on="2024-02-10", version=str(report.version), **extra
    )


def test_add_and_remove_evidence_while_draft(signed_in, observer):
    report = make_report(observer)
    response = signed_in.post(
        f"/reports/{report.id}/edit",
        data=edit_data(report, evidence=[upload(png_with_text(), "screen.png")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.execute(select(Attachment)).scalar_one()
    page = signed_in.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert "screen.png" in page and "/remove" in page
    url = f"/reports/{report.id}/evidence/{attachment.id}/remove"
    asked = signed_in.post(url)  # without JavaScript, a page asks first
    assert asked.status_code == 200 and "Remove screen.png from the report?" in asked.text
    assert count_attachments() == 1
    response = signed_in.post(url, data={"confirmed": "yes"})
    assert response.status_code == 302
    assert count_attachments() == 0


def test_evidence_cannot_be_removed_after_submission(signed_in, observer):
    report = make_report(observer, status=Status.SUBMITTED)
    with db.session.no_autoflush:
        from observer.reports.sanitize import sanitize
        from observer.reports.storage import add_evidence

        add_evidence(report, sanitize("a.png", png_with_text()))
        db.session.commit()
    attachment = db.session.execute(select(Attachment)).scalar_one()
    response = signed_in.post(f"/reports/{report.id}/evidence/{attachment.id}/remove")
    assert response.status_code == 404
    assert count_attachments() == 1


# --- downloads and access -------------------------------------------------------------------


@pytest.fixture
def filed(observer, catalog):
    """A submitted report in Minsk oblast with one photo and one PDF."""
    from observer.reports.sanitize import sanitize
    from observer.reports.storage import add_evidence

    report = make_report(observer, status=Status.SUBMITTED, region="BY-MI")
    photo = add_evidence(report, sanitize("photo.jpg", jpeg_with_metadata()))
    pdf = add_evidence(report, sanitize("protocol.pdf", pdf_with_metadata()))
    db.session.commit()
    return report, photo, pdf


def test_author_downloads_as_attachment_with_safe_headers(signed_in, filed):
    report, photo, pdf = filed
    response = signed_in.get(f"/reports/{report.id}/evidence/{photo.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "photo.jpg" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data == photo.data
    logged = select(AuditLog).where(AuditLog.event == "evidence_downloaded")
    assert db.session.execute(logged).scalars().all() == []  # one's own files: not logged


def test_staff_download_is_written_to_the_security_log(client, filed, make_user, login_as):
    report, photo, pdf = filed
    coordinator = make_user("coordinator")
    login_as(coordinator)
    response = client.get(f"/reports/{report.id}/evidence/{pdf.id}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    entry = db.session.execute(
        select(AuditLog).where(AuditLog.event == "evidence_downloaded")
    ).scalar_one()
    assert entry.event == "evidence_downloaded" and entry.actor_id == coordinator.id
    assert entry.details["reference"] == report.reference


def test_preview_is_inline_images_only_and_staff_only(client, filed, make_user, login_as, observer):
    report, photo, pdf = filed
    login_as(observer)
    assert client.get(f"/reports/{report.id}/evidence/{photo.id}/preview").status_code == 403
    login_as(make_user("admin"))
    response = client.get(f"/reports/{report.id}/evidence/{photo.id}/preview")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/reports/{report.id}/evidence/{pdf.id}/preview").status_code == 404


def test_coordinator_outside_region_scope_gets_404(client, filed, make_user, login_as):
    from tests.factories_reports import region

    report, photo, pdf = filed
    coordinator = make_user("coordinator")
    coordinator.regions = [region("BY-BR")]
    db.session.commit()
    login_as(coordinator)
    for url in (
        f"/reports/{report.id}",
        f"/reports/{report.id}/evidence/{photo.id}",
        f"/reports/{report.id}/evidence/{photo.id}/preview",
    ):
        assert client.get(url).status_code == 404, url
    coordinator.regions = [region("BY-MI")]
    db.session.commit()
    assert client.get(f"/reports/{report.id}/evidence/{photo.id}").status_code == 200


def test_attachment_of_another_report_is_404(signed_in, filed, observer):
    report, photo, pdf = filed
    other = make_report(observer)
    assert signed_in.get(f"/reports/{other.id}/evidence/{photo.id}").status_code == 404


def test_another_observer_gets_404_on_every_report_route(
    client, filed, make_user, login_as, observer
):
    report, photo, pdf = filed
    draft = make_report(observer)
    login_as(make_user("observer"))
    for target in (report, draft):
        rid = target.id
        gets = [f"/reports/{rid}", f"/reports/{rid}/edit", f"/reports/{rid}/evidence/{photo.id}"]
        posts = [
            f"/reports/{rid}/edit",
            f"/reports/{rid}/delete",
            f"/reports/{rid}/evidence/{photo.id}/remove",
        ]
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, data=form_data()).status_code == 404, url
    assert count_attachments() == 2
    assert db.session.get(Report, draft.id) is not None


def test_staff_cannot_see_drafts_or_edit_others_reports(client, observer, make_user, login_as):
    draft = make_report(observer)
    submitted = make_report(observer, status=Status.SUBMITTED)
    login_as(make_user("admin"))
    assert client.get(f"/reports/{draft.id}").status_code == 404
    assert client.get(f"/reports/{submitted.id}").status_code == 200
    assert client.get(f"/reports/{submitted.id}/edit").status_code == 404
    assert client.post(f"/reports/{submitted.id}/delete").status_code == 404


def test_the_route_that_does_not_exist_is_404(signed_in):
    assert signed_in.get("/reports/999999").status_code == 404
    assert signed_in.get("/reports/999999/evidence/1").status_code == 404


def test_413_is_explained_even_when_csrf_checks_the_request_first(make_app, db, observer, login_as):
    app = make_app(MAX_REQUEST_MB=1, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_as(observer, client)
    with app.app_context():
        response = client.post(
            "/reports/new",
            data=form_data(evidence=[upload(b"x" * (2 << 20), "big.jpg")]),
            content_type="multipart/form-data",
        )
    assert response.status_code == 413
    assert "The files you sent were too large" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(make_app, db, observer, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_as(observer, client)
    with app.app_context():
        response = client.post("/reports/new", data=form_data(), content_type="multipart/form-data")
    assert response.status_code == 400
    assert count_reports() == 0


# --- files kept while the observer corrects the form -----------------------------------------

TOO_SHORT = "Too short."


def test_files_sent_with_a_form_that_comes_back_are_kept_and_attached_on_resend(signed_in):
    files = [
        upload(jpeg_with_metadata(orientation=6), "IMG_0042.JPG"),
        upload(pdf_with_metadata(), "protocol.pdf"),
    ]
    first = post_new(signed_in, form_data(narrative=TOO_SHORT, evidence=files))
    assert first.status_code == 422
    page = first.get_data(as_text=True)
    assert "Files you already sent" in page
    assert kept_names(page) == ["IMG_0042.JPG", "protocol.pdf"]
    assert count_reports() == 0 and count_attachments() == 0
    stored = db.session.execute(select(KeptEvidence)).scalars().all()
    assert all(SECRET.encode() not in item.data for item in stored)  # cleaned before keeping

    again = post_new(signed_in, form_data(kept_evidence=kept_tokens(page)))
    assert again.status_code == 302
    report = only_report()
    assert sorted(a.original_name for a in report.attachments) == ["IMG_0042.JPG", "protocol.pdf"]
    assert count_kept() == 0


def test_a_kept_file_can_be_left_out_and_new_files_added(signed_in):
    first = post_new(
        signed_in,
        form_data(
            narrative=TOO_SHORT,
            evidence=[upload(jpeg_with_metadata(), "a.jpg"), upload(png_with_text(), "b.png")],
        ),
    )
    tokens = dict(
        zip(
            kept_names(first.get_data(as_text=True)),
            kept_tokens(first.get_data(as_text=True)),
            strict=True,
        )
    )
    second = post_new(
        signed_in,
        form_data(
            title="",  # still a problem: the kept file and the new one are both offered again
            kept_evidence=[tokens["a.jpg"]],
            evidence=[upload(pdf_with_metadata(), "c.pdf")],
        ),
    )
    assert second.status_code == 422
    page = second.get_data(as_text=True)
    assert kept_names(page) == ["a.jpg", "c.pdf"]
    assert post_new(signed_in, form_data(kept_evidence=kept_tokens(page))).status_code == 302
    assert sorted(a.original_name for a in only_report().attachments) == ["a.jpg", "c.pdf"]


def test_another_observers_kept_files_are_out_of_reach(client, observer, make_user, login_as):
    login_as(observer)
    first = post_new(
        client, form_data(narrative=TOO_SHORT, evidence=[upload(pdf_with_metadata(), "mine.pdf")])
    )
    token = kept_tokens(first.get_data(as_text=True))[0]
    for other_role in ("observer", "coordinator", "admin"):
        other = make_user(other_role)
        login_as(other)
        refused = post_new(client, form_data(narrative=TOO_SHORT, kept_evidence=[token]))
        assert refused.status_code == 422
        assert "mine.pdf" not in refused.get_data(as_text=True)
        assert post_new(client, form_data(kept_evidence=[token])).status_code == 302
    assert count_attachments() == 0  # none of their reports received the file
    assert count_kept() == 1  # and it is still the first observer's


def test_kept_files_expire_after_a_day(signed_in):
    first = post_new(
        signed_in, form_data(narrative=TOO_SHORT, evidence=[upload(pdf_with_metadata(), "old.pdf")])
    )
    token = kept_tokens(first.get_data(as_text=True))[0]
    db.session.execute(update(KeptEvidence).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    again = post_new(signed_in, form_data(narrative=TOO_SHORT, kept_evidence=[token]))
    assert "old.pdf" not in again.get_data(as_text=True)
    assert count_kept() == 0  # expired files are removed when others are kept


def test_kept_files_count_towards_the_limit(signed_in):
    files = [upload(png_with_text(), f"p{n}.png") for n in range(service.MAX_FILES_PER_REPORT)]
    first = post_new(signed_in, form_data(narrative=TOO_SHORT, evidence=files))
    tokens = kept_tokens(first.get_data(as_text=True))
    assert len(tokens) == service.MAX_FILES_PER_REPORT
    one_more = post_new(
        signed_in,
        form_data(kept_evidence=tokens, evidence=[upload(pdf_with_metadata(), "extra.pdf")]),
    )
    assert one_more.status_code == 422
    page = one_more.get_data(as_text=True)
    assert f"A report can have at most {service.MAX_FILES_PER_REPORT} files." in page
    assert count_reports() == 0 and "extra.pdf" not in kept_names(page)


def test_an_answer_to_a_question_keeps_files_too(signed_in, observer, make_user):
    report = make_report(observer, status=Status.NEEDS_INFO, reviewer=make_user("coordinator"))
    url = f"/reports/{report.id}/edit"
    page = signed_in.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)[1]
    first = signed_in.post(
        url,
        data=form_data(
            narrative=TOO_SHORT,
            version=version,
            answer="The photo shows the bus.",
            evidence=[upload(jpeg_with_metadata(), "bus.jpg")],
        ),
        content_type="multipart/form-data",
    )
    assert first.status_code == 422
    tokens = kept_tokens(first.get_data(as_text=True))
    resent = signed_in.post(
        url,
        data=form_data(
            version=version,
            answer="The photo shows the bus.",
            kept_evidence=tokens,
            save_draft=None,
            submit_report="Send",
        ),
        content_type="multipart/form-data",
    )
    assert resent.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Report, report.id)
    assert [a.original_name for a in stored.attachments] == ["bus.jpg"]
    assert stored.status == Status.SUBMITTED
