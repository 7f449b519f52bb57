"""The review page and decisions: access by role, scope, allowed actions, bad input, conflicts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select, text

from observer.extensions import db
from observer.models import Attachment, Report, ReviewEvent, Status
from observer.review import service
from observer.review.workflow import ConflictError, TransitionError
from tests.conftest import login
from tests.factories import make_report
from tests.factories_review import limit_to, people_fixture  # noqa: F401


def page(client, report):
    return client.get(f"/review/{report.id}")


def post(client, report, action, version=None, **fields):
    data = {f"{action}-{key}": value for key, value in fields.items()}
    data[f"{action}-version"] = str(report.version if version is None else version)
    return client.post(f"/review/{report.id}/decide/{action}", data=data)


def fresh(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def forms_on(html: str) -> set[str]:
    return set(re.findall(r"/decide/(\w+)\" class=\"card decision", html))


# --- access by role and scope ---------------------------------------------------------------


def test_anonymous_goes_to_sign_in(client, people):
    report = make_report(people.observer, status=Status.SUBMITTED)
    response = page(client, report)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = post(client, report, "verify", source_reliability="A", info_credibility="1")
    assert response.status_code == 302
    assert fresh(report).status == Status.SUBMITTED


def test_observers_reach_none_of_it(client, people, login_as):
    report = make_report(people.observer, status=Status.SUBMITTED)
    for who in (people.observer, people.other_observer):
        login_as(who)
        assert page(client, report).status_code == 403
        response = post(client, report, "verify", source_reliability="A", info_credibility="1")
        assert response.status_code == 403
        assert (
            client.post(f"/review/{report.id}/comment", data={"comment-note": "x"}).status_code
            == 403
        )
    assert fresh(report).status == Status.SUBMITTED


def test_drafts_and_missing_reports_are_404(client, people, login_as):
    draft = make_report(people.observer)
    login_as(people.coordinator)
    assert page(client, draft).status_code == 404
    assert client.get("/review/999999").status_code == 404
    assert (
        post(client, draft, "verify", source_reliability="A", info_credibility="1").status_code
        == 404
    )


def test_other_regions_are_404_for_a_limited_coordinator(client, people, login_as):
    gomel = make_report(people.observer, region="BY-HO", status=Status.SUBMITTED)
    brest = make_report(people.observer, region="BY-BR", status=Status.SUBMITTED)
    limit_to(people.coordinator, "BY-BR")
    login_as(people.coordinator)
    assert page(client, brest).status_code == 200
    assert page(client, gomel).status_code == 404
    assert post(client, gomel, "reject", note="no").status_code == 404
    assert client.post(f"/review/{gomel.id}/comment", data={"comment-note": "x"}).status_code == 404
    assert fresh(gomel).status == Status.SUBMITTED
    # Nor can a report outside the scope be named as the original of a duplicate.
    response = post(client, brest, "duplicate", duplicate_of=gomel.reference)
    assert response.status_code == 400
    assert "is available to you" in response.get_data(as_text=True)
    with pytest.raises(service.ReportNotFound):
        service.decide(gomel.id, people.coordinator, "reject", version=gomel.version, note="x")


def test_admin_sees_every_region(client, people, login_as):
    gomel = make_report(people.observer, region="BY-HO", status=Status.SUBMITTED)
    limit_to(people.admin, "BY-BR")
    login_as(people.admin)
    assert page(client, gomel).status_code == 200


# --- the page -------------------------------------------------------------------------------


def test_page_shows_the_report_history_and_evidence(client, people, login_as, app):
    report = make_report(
        people.observer,
        status=Status.NEEDS_INFO,
        reviewer=people.second_coordinator,
        settlement="Barysaw",
        polling_station=12,
        actors="Local police",
    )
    for name, media_type in (("photo.jpg", "image/jpeg"), ("protocol.pdf", "application/pdf")):
        db.session.add(
            Attachment(
                report_id=report.id,
                original_name=name,
                media_type=media_type,
                size=3,
                sha256="0" * 64,
                data=b"abc",
            )
        )
    db.session.commit()
    login_as(people.coordinator)
    html = page(client, report).get_data(as_text=True)
    for expected in (
        report.reference,
        report.title,
        "Barysaw",
        "Local police",
        "CAM-05",
        "Which polling station?",
        "photo.jpg",
        "protocol.pdf",
        people.observer.observer_code,
        people.second_coordinator.observer_code,
    ):
        assert expected in html
    for secret in (
        people.observer.display_name,
        people.observer.email,
        people.second_coordinator.display_name,
    ):
        assert secret not in html
    images = re.findall(r"<img src=\"([^\"]+)\"", html)
    if "reports.attachment_preview" in app.view_functions:
        assert len(images) == 1 and "/reports/" in images[0]
    else:
        assert images == []


def test_only_allowed_actions_are_offered(client, people, login_as):
    c = people.second_coordinator
    submitted = make_report(people.observer, status=Status.SUBMITTED)
    verified = make_report(people.observer, status=Status.VERIFIED, reviewer=c)
    login_as(people.coordinator)
    assert forms_on(page(client, submitted).get_data(as_text=True)) == {
        "verify",
        "reject",
        "needs_info",
        "duplicate",
    }
    assert forms_on(page(client, verified).get_data(as_text=True)) == {"reopen"}


def test_a_coordinator_cannot_decide_on_their_own_report(client, people, login_as):
    own = make_report(people.coordinator, status=Status.SUBMITTED)
    login_as(people.coordinator)
    html = page(client, own).get_data(as_text=True)
    assert forms_on(html) == set()
    assert "You wrote this report" in html
    response = post(client, own, "verify", source_reliability="A", info_credibility="1")
    assert response.status_code == 400
    assert "may not take this action" in response.get_data(as_text=True)
    assert fresh(own).status == Status.SUBMITTED


# --- every decision, by coordinator and admin -----------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_every_decision_through_the_page(client, people, login_as, who):
    user = getattr(people, who)
    login_as(user)
    original = make_report(people.other_observer, status=Status.SUBMITTED)

    a = make_report(people.observer, status=Status.SUBMITTED)
    response = post(client, a, "verify", source_reliability="B", info_credibility="2", note="Seen")
    # The answer is already the next waiting report of the queue (one request per decision).
    assert response.status_code == 200
    assert fresh(a).status == Status.VERIFIED and fresh(a).grading == "B2"
    html = response.get_data(as_text=True)
    assert "is verified" in html and original.reference in html.split("<h1>", 1)[1][:200]
    assert post(client, fresh(a), "reopen", note="New facts").status_code == 302
    assert fresh(a).status == Status.SUBMITTED

    b = make_report(people.observer, status=Status.SUBMITTED)
    assert post(client, b, "reject", note="Outside the mission's scope").status_code == 200
    assert fresh(b).status == Status.REJECTED

    c = make_report(people.observer, status=Status.SUBMITTED)
    assert post(client, c, "needs_info", note="Which station?").status_code == 200
    assert fresh(c).status == Status.NEEDS_INFO

    d = make_report(people.observer, status=Status.SUBMITTED)
    ref = original.reference.lower()  # references are matched whatever their case
    assert post(client, d, "duplicate", duplicate_of=ref).status_code == 200
    assert fresh(d).status == Status.DUPLICATE and fresh(d).duplicate_of_id == original.id

    events = (
        db.session.execute(
            select(ReviewEvent).where(ReviewEvent.actor_id == user.id).order_by(ReviewEvent.seq)
        )
        .scalars()
        .all()
    )
    assert [(e.from_status, e.to_status) for e in events] == [
        ("submitted", "verified"),
        ("verified", "submitted"),
        ("submitted", "rejected"),
        ("submitted", "needs_info"),
        ("submitted", "duplicate"),
    ]
    assert events[0].details == {"source_reliability": "B", "info_credibility": 2}
    assert events[1].note == "New facts"


# --- refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action, fields, message",
    [
        ("reject", {"note": "   "}, "A reason is required to reject a report."),
        ("needs_info", {}, "Write the question the observer should answer."),
        ("verify", {"info_credibility": "2"}, "Choose how reliable the source is"),
        ("verify", {"source_reliability": "Z", "info_credibility": "2"}, "not a valid choice"),
        ("verify", {"source_reliability": "A", "info_credibility": "9"}, "not a valid choice"),
        ("duplicate", {}, "Give the reference of the report this one duplicates."),
        ("duplicate", {"duplicate_of": "12"}, "References look like R-2024-000012."),
        ("duplicate", {"duplicate_of": "R-2024-999999"}, "is available to you"),
        ("reopen", {"note": "why"}, "that action is not possible now"),
    ],
)
def test_refused_decisions_say_why(client, people, login_as, action, fields, message):
    report = make_report(people.observer, status=Status.SUBMITTED)
    login_as(people.coordinator)
    response = post(client, report, action, **fields)
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    assert fresh(report).status == Status.SUBMITTED


def test_refused_form_keeps_what_was_typed(client, people, login_as):
    report = make_report(people.observer, status=Status.SUBMITTED)
    login_as(people.coordinator)
    response = post(client, report, "duplicate", duplicate_of="R-2024-999999", note="my note")
    html = response.get_data(as_text=True)
    assert 'value="R-2024-999999"' in html and "my note" in html


def test_a_report_cannot_duplicate_itself(client, people, login_as):
    report = make_report(people.observer, status=Status.SUBMITTED)
    login_as(people.coordinator)
    response = post(client, report, "duplicate", duplicate_of=report.reference)
    assert response.status_code == 400
    assert "cannot be a duplicate of itself" in response.get_data(as_text=True)


def test_verify_a_verified_report_and_unknown_actions(client, people, login_as):
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.admin)
    login_as(people.coordinator)
    response = post(client, report, "verify", source_reliability="A", info_credibility="1")
    assert response.status_code == 400
    assert "that action is not possible now" in response.get_data(as_text=True)
    assert fresh(report).grading == "B2"
    assert post(client, report, "publish").status_code == 400
    response = client.post(f"/review/{report.id}/decide/reopen", data={"reopen-note": "x"})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_verify_a_draft_is_refused_by_the_service(db, people):
    draft = make_report(people.observer)
    with pytest.raises(service.ReportNotFound):
        service.decide(
            draft.id,
            people.coordinator,
            "verify",
            version=draft.version,
            source_reliability="A",
            info_credibility=1,
        )


def test_observer_author_cannot_verify_own_report_via_the_service(db, people):
    report = make_report(people.observer, status=Status.SUBMITTED)
    with pytest.raises(TransitionError):
        service.decide(
            report.id,
            people.observer,
            "verify",
            version=report.version,
            source_reliability="A",
            info_credibility=1,
        )
    assert fresh(report).status == Status.SUBMITTED


# --- optimistic locking --------------------------------------------------------------------


def test_second_coordinator_gets_a_conflict_and_nothing_is_overwritten(app, people, login_as):
    report = make_report(people.observer, status=Status.SUBMITTED)
    first, second = app.test_client(), app.test_client()
    login_as(people.coordinator, first)
    login_as(people.second_coordinator, second)
    seen = report.version
    assert page(first, report).status_code == 200
    assert page(second, report).status_code == 200

    ok = post(first, report, "verify", version=seen, source_reliability="A", info_credibility="1")
    assert ok.status_code == 302
    late = post(second, report, "reject", version=seen, note="I think it is off-topic")
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "changed while you were reading it" in html
    assert people.coordinator.observer_code in html  # who changed it
    assert "Verified" in html
    assert fresh(report).status == Status.VERIFIED and fresh(report).grading == "A1"
    events = (
        db.session.execute(
            select(ReviewEvent).where(ReviewEvent.report_id == report.id).order_by(ReviewEvent.seq)
        )
        .scalars()
        .all()
    )
    assert [e.to_status for e in events] == ["submitted", "verified"]
    # Only reopening is possible now; the second coordinator's text for it is not lost either.
    assert forms_on(html) == {"reopen"}


def test_conflict_keeps_the_typed_text_when_the_action_is_still_possible(app, people, login_as):
    report = make_report(people.observer, status=Status.NEEDS_INFO, reviewer=people.admin)
    seen = report.version
    # The observer edits the report meanwhile (their edit bumps the version).
    fresh(report).actors = "Edited by the observer"
    db.session.commit()
    client = login_as(people.coordinator, app.test_client())
    response = post(client, report, "reopen", version=seen, note="Reopening for another look")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Reopening for another look" in html
    assert f'name="reopen-version" type="hidden" value="{seen + 1}"' in html
    assert fresh(report).status == Status.NEEDS_INFO


def test_concurrent_update_inside_the_transaction_is_a_conflict(db, people):
    """Both coordinators loaded version n; the other one's UPDATE commits between our read and
    our flush. SQLAlchemy's version check (StaleDataError) must become ConflictError."""
    report = make_report(people.observer, status=Status.SUBMITTED)
    seen = report.version
    loaded = db.session.get(Report, report.id)  # stays in this session's identity map, at `seen`
    assert loaded.version == seen
    with db.engine.begin() as other:
        other.execute(
            text("UPDATE reports SET status = 'rejected', version = version + 1 WHERE id = :id"),
            {"id": report.id},
        )
    with pytest.raises(ConflictError) as raised:
        service.decide(
            report.id,
            people.coordinator,
            "verify",
            version=seen,
            source_reliability="A",
            info_credibility=1,
        )
    assert raised.value.report.status == Status.REJECTED
    assert fresh(report).status == Status.REJECTED
    assert (
        db.session.execute(select(ReviewEvent).where(ReviewEvent.to_status == "verified")).first()
        is None
    )


def test_stale_version_is_refused_by_the_service(db, people):
    report = make_report(people.observer, status=Status.SUBMITTED)
    with pytest.raises(ConflictError):
        service.decide(
            report.id, people.coordinator, "reject", version=report.version - 1, note="late"
        )


# --- comments ------------------------------------------------------------------------------


def test_comment_is_added_to_the_history(client, people, login_as):
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.admin)
    login_as(people.coordinator)
    response = client.post(f"/review/{report.id}/comment", data={"comment-note": "Cross-checked"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cross-checked" in html and "Your comment was added" in html
    empty = client.post(f"/review/{report.id}/comment", data={"comment-note": "  "})
    assert empty.status_code == 400
    assert "The comment is empty." in empty.get_data(as_text=True)


# --- likely duplicates ---------------------------------------------------------------------


def test_likely_duplicates_are_ranked_and_one_click(client, people, login_as):
    base = {"occurred_on": date(2024, 2, 10), "status": Status.SUBMITTED}
    target = make_report(
        people.observer,
        title="Ballot box carried out of polling station 12",
        narrative="The chair carried the mobile ballot box out of polling station 12 alone.",
        **base,
    )
    close = make_report(
        people.other_observer,
        title="Ballot box carried out of station 12",
        narrative="The chair carried the mobile ballot box out of station 12 without observers.",
        **{**base, "occurred_on": date(2024, 2, 12)},
    )
    loose = make_report(
        people.other_observer,
        title="Pressure at a factory",
        narrative="Workers were told to vote early.",
        **base,
    )
    far = make_report(
        people.other_observer,
        title=target.title,
        narrative=target.narrative,
        **{**base, "occurred_on": date(2024, 2, 14)},
    )
    other_criterion = make_report(
        people.other_observer,
        criterion="ED-01",
        title=target.title,
        narrative=target.narrative,
        **base,
    )
    other_district = make_report(
        people.other_observer,
        district_index=1,
        title=target.title,
        narrative=target.narrative,
        **base,
    )
    draft = make_report(
        people.other_observer,
        title=target.title,
        narrative=target.narrative,
        occurred_on=date(2024, 2, 10),
    )
    login_as(people.coordinator)
    html = page(client, target).get_data(as_text=True)
    section = html.split('id="duplicates"', 1)[1].split('id="history"', 1)[0]
    listed = re.findall(r"R-\d{4}-\d{6}(?=</strong>)", section)
    assert listed == [close.reference, loose.reference]
    for excluded in (far, other_criterion, other_district):
        assert excluded.reference not in section
    assert f'/review/{draft.id}"' not in section

    response = client.post(
        f"/review/{target.id}/decide/duplicate",
        data={"duplicate-version": str(target.version), "duplicate-duplicate_of": close.reference},
    )
    assert response.status_code == 200  # the next waiting report is shown
    assert fresh(target).duplicate_of_id == close.id


def test_one_click_duplicate_works_with_csrf_on(make_app, people):
    original = make_report(people.other_observer, status=Status.SUBMITTED)
    target = make_report(people.observer, status=Status.SUBMITTED)
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login(client, people.coordinator)
    html = client.get(f"/review/{target.id}").get_data(as_text=True)
    form = html.split('id="duplicates"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    assert fields["duplicate-duplicate_of"] == original.reference
    response = client.post(f"/review/{target.id}/decide/duplicate", data=fields)
    assert response.status_code == 200  # the next waiting report is shown
    with app.app_context():
        assert db.session.get(Report, target.id).status == Status.DUPLICATE
    # Without the token the same post is refused.
    other = make_report(people.observer, status=Status.SUBMITTED)
    refused = client.post(
        f"/review/{other.id}/decide/reject",
        data={"reject-version": str(other.version), "reject-note": "x"},
    )
    assert refused.status_code == 400
