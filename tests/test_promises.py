"""Tests that guard what Observer promises in public: a published statement never changes, the
review history's digest covers every field of an event, a two-factor reset ends the person's
sessions everywhere."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from observer.audit.service import verify_review_chain
from observer.models import Report, ReviewEvent, Status
from observer.statements import service
from observer.statements.pdf import render_statement
from tests.factories import make_report
from tests.factories_review import people_fixture  # noqa: F401
from tests.factories_statements import db_counts, make_reports, make_statement, pdf_text
from tests.test_audit_chain import decided  # noqa: F401
from tests.test_auth import code_for, is_signed_in, sign_in

TOTAL = re.compile(r"Documented cases \(verified\)</dt><dd>(\d+)</dd>")


# --- a published statement is frozen ---------------------------------------------------------


def test_public_page_and_pdf_serve_the_frozen_figures_and_bytes(client, catalog, make_user, db):
    coordinator, observer = make_user("coordinator"), make_user("observer")
    make_reports(observer, coordinator)
    statement = make_statement(coordinator, catalog)
    service.publish(statement, coordinator)
    db.session.commit()
    frozen_pdf, frozen_total = statement.pdf, db_counts(catalog)["total"]
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert int(TOTAL.search(page)[1]) == frozen_total

    # More verified reports arrive inside the statement's period after publication.
    for day in (3, 4, 5):
        make_report(
            observer,
            criterion="CAM-05",
            region="BY-MI",
            occurred_on=date(2024, 2, day),
            status=Status.VERIFIED,
            reviewer=coordinator,
        )
    assert db_counts(catalog)["total"] == frozen_total + 3
    # A fresh render today would differ: the test below would notice one being served.
    fresh = render_statement(service.build_document(statement, service.draft_snapshot(statement)))
    assert hashlib.sha256(fresh).hexdigest() != statement.pdf_sha256

    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert int(TOTAL.search(page)[1]) == frozen_total
    assert statement.pdf_sha256 in page
    download = client.get(f"/statements/{statement.slug}.pdf")
    assert download.data == frozen_pdf
    assert hashlib.sha256(download.data).hexdigest() == statement.pdf_sha256
    assert str(frozen_total + 3) not in re.findall(r"\d+", pdf_text(download.data).split("\n")[0])


# --- the review-event digest covers every field --------------------------------------------------

# Not content: the row's surrogate key and the chain's own digests.
NOT_CONTENT = {"id", "prev_digest", "digest"}
CONTENT_COLUMNS = [c.name for c in ReviewEvent.__table__.columns if c.name not in NOT_CONTENT]


def tampered(column: str, event: ReviewEvent, people, other_report: Report):
    """Another valid value for `column` of `event`: what someone editing the table would write."""
    value = getattr(event, column)
    replacements = {
        "seq": lambda: value + 1000,
        "report_id": lambda: other_report.id,
        "actor_id": lambda: people.admin.id if value != people.admin.id else people.observer.id,
        "created_at": lambda: value + timedelta(seconds=1),
        "kind": lambda: "comment" if value != "comment" else "status",
        "from_status": lambda: "rejected" if value != "rejected" else "verified",
        "to_status": lambda: "rejected" if value != "rejected" else "verified",
        "note": lambda: (value or "") + " (edited)",
        "details": lambda: {**(value or {}), "edited": True},
    }
    if column not in replacements:
        pytest.fail(f"review_events.{column} is new: say how to tamper with it here")
    return replacements[column]()


@pytest.mark.parametrize("column", CONTENT_COLUMNS)
def test_changing_any_field_of_an_event_breaks_the_chain(db, decided, people, column):  # noqa: F811
    other_report = make_report(people.other_observer, status=Status.SUBMITTED)
    db.session.commit()
    assert verify_review_chain() is None
    event = db.session.execute(db.select(ReviewEvent).where(ReviewEvent.seq == 4)).scalar_one()
    new_value = tampered(column, event, people, other_report)
    with db.engine.begin() as connection:
        connection.execute(
            update(ReviewEvent.__table__)
            .where(ReviewEvent.__table__.c.id == event.id)
            .values({column: new_value})
        )
    db.session.expire_all()
    found = verify_review_chain()
    assert found is not None, f"editing review_events.{column} went unnoticed"
    assert found.seq in (4, 5)  # the edited event (or, for its seq, the gap it leaves)


# --- a two-factor reset ends every session of the person -----------------------------------------


def test_a_two_factor_reset_ends_the_persons_other_sessions(app, make_user, login_as, db):
    coordinator = make_user("coordinator")
    devices = [app.test_client(), app.test_client()]
    for offset, device in enumerate(devices):
        sign_in(device, coordinator.email)
        response = device.post("/login/code", data={"code": code_for(coordinator, 30 * offset)})
        assert response.status_code == 302 and is_signed_in(device)

    admin_browser = login_as(make_user("admin"), app.test_client())
    response = admin_browser.post(f"/admin/users/{coordinator.id}/reset-two-factor")
    assert response.status_code == 302

    for device in devices:
        assert not is_signed_in(device)
        assert device.get("/review/").status_code == 302
    db.session.refresh(coordinator)
    assert coordinator.totp_secret is None
