"""Election-night triage: the queue opens on what waits, oldest first; every decision takes the
coordinator to the next report of the same filtered queue in one request; holds keep two
coordinators off one report; bulk actions are all or nothing, one chained event per report."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from observer.audit.service import verify_review_chain
from observer.extensions import db
from observer.models import Attachment, Report, ReportHold, ReviewEvent, Status, utcnow
from tests.factories import make_report
from tests.factories_review import limit_to, people_fixture, region  # noqa: F401

QUEUE_REF = re.compile(r'class="queue-link"><strong class="mono">(R-\d{4}-\d{6})')


def refs(response) -> list[str]:
    return QUEUE_REF.findall(response.get_data(as_text=True))


def fresh(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def shown_report(response) -> str:
    """The reference in the review page's heading."""
    heading = response.get_data(as_text=True).split("<h1>", 1)[1].split("</h1>", 1)[0]
    return re.search(r"R-\d{4}-\d{6}", heading).group(0)


def decide(client, report, action, query="", **fields):
    data = {f"{action}-{key}": value for key, value in fields.items()}
    data[f"{action}-version"] = str(fresh(report).version)
    return client.post(f"/review/{report.id}/decide/{action}{query}", data=data)


def submitted_ago(report, hours: float) -> None:
    db.session.execute(
        update(Report)
        .where(Report.id == report.id)
        .values(submitted_at=utcnow() - timedelta(hours=hours))
    )
    db.session.commit()


def waiting(people, count, **kw):
    reports = [make_report(people.observer, status=Status.SUBMITTED, **kw) for _ in range(count)]
    for age, report in enumerate(reversed(reports), start=1):
        submitted_ago(report, age)  # the first made has waited longest
    return reports


# --- the queue ------------------------------------------------------------------------------


def test_queue_opens_on_waiting_reports_oldest_first_with_what_triage_needs(
    client, people, login_as
):
    old, new = waiting(people, 2)
    make_report(people.observer, status=Status.VERIFIED, reviewer=people.admin)
    db.session.add(
        Attachment(
            report_id=new.id,
            original_name="photo.jpg",
            media_type="image/jpeg",
            size=3,
            sha256="0" * 64,
            data=b"abc",
        )
    )
    db.session.commit()
    login_as(people.coordinator)
    response = client.get("/review/")
    html = response.get_data(as_text=True)
    assert refs(response) == [old.reference, new.reference]
    assert "Waiting 2 hours" in html and "Waiting 60 minutes" in html
    assert 'class="severity sev-3">3 · Serious' in html  # colour (class) and words
    assert "1 file" in html and "No evidence" in html
    assert "Minsk Region" in html  # the region by name
    assert fresh(old).criterion.name_en in html  # the criterion by name, not only its code
    assert "2 reports match" in html
    counts = dict(re.findall(r"status-(\w+)[^\"]*\">\s*[^<]+<strong>(\d+)</strong>", html))
    assert counts["submitted"] == "2" and counts["verified"] == "1"


def test_filters_fold_away_and_say_how_many_are_on(client, people, login_as):
    waiting(people, 1, severity=4)
    login_as(people.coordinator)
    html = client.get("/review/?severity=4&q=picket").get_data(as_text=True)
    summary = html.split('<details class="card filter-fold"', 1)[1].split("</summary>", 1)[0]
    assert "1 report matches" in summary and "2 filters on" in summary
    assert " open" not in summary.split(">", 1)[0]  # folded unless a filter is wrong
    bad = client.get("/review/?date_from=2024-02-10&date_to=2024-02-01")
    assert bad.status_code == 400
    assert '<details class="card filter-fold" open' in bad.get_data(as_text=True)


# --- decide and move on ---------------------------------------------------------------------


def test_each_decision_opens_the_next_report_of_the_same_filtered_queue(client, people, login_as):
    first, second, third = waiting(people, 3, region="BY-BR")
    elsewhere = make_report(people.observer, status=Status.SUBMITTED, region="BY-HO")
    submitted_ago(elsewhere, 10)  # oldest of all, but outside the filter
    brest = region("BY-BR").id
    query = f"?region={brest}&sort=oldest"
    login_as(people.coordinator)
    opened = client.get(f"/review/{first.id}{query}")
    assert f'href="/review/?region={brest}&amp;sort=oldest" id="back-to-queue"' in opened.get_data(
        as_text=True
    )

    verified = decide(client, first, "verify", query, source_reliability="B", info_credibility="2")
    assert verified.status_code == 200  # one request: the decision and the next report
    assert shown_report(verified) == second.reference
    html = verified.get_data(as_text=True)
    assert f"Report {first.reference} is verified." in html
    assert f"/review/{second.id}/decide/reject?region={brest}&amp;sort=oldest" in html
    assert fresh(first).status == Status.VERIFIED

    rejected = decide(client, second, "reject", query, note="Outside the mission's scope")
    assert shown_report(rejected) == third.reference
    asked = decide(client, third, "needs_info", query, note="Which polling station?")
    # Nothing else waits in Brest: back to the queue, filters kept.
    assert asked.status_code == 302
    assert asked.headers["Location"] == f"/review/?region={brest}&sort=oldest"
    assert fresh(elsewhere).status == Status.SUBMITTED


def test_skip_moves_on_without_deciding(client, people, login_as):
    first, second = waiting(people, 2)
    login_as(people.coordinator)
    client.get(f"/review/{first.id}")
    response = client.post(f"/review/{first.id}/skip")
    assert response.status_code == 200 and shown_report(response) == second.reference
    assert fresh(first).status == Status.SUBMITTED
    hold = db.session.get(ReportHold, first.id)
    assert hold.holder_id is None  # skipping released it for the others


def test_shortcuts_are_listed_on_the_page(client, people, login_as):
    (report,) = waiting(people, 1)
    login_as(people.coordinator)
    html = client.get(f"/review/{report.id}").get_data(as_text=True)
    assert "Keyboard shortcuts" in html and "<kbd>v</kbd>" in html
    assert "js/triage.js" in html


# --- holds ----------------------------------------------------------------------------------


def test_an_opened_report_is_held_and_others_skip_it(app, people, login_as):
    held, free = waiting(people, 2)
    first, second = app.test_client(), app.test_client()
    login_as(people.coordinator, first)
    login_as(people.second_coordinator, second)
    assert first.get(f"/review/{held.id}").status_code == 200

    assert refs(second.get("/review/")) == [free.reference]
    everything = second.get("/review/?held=y")
    assert refs(everything) == [held.reference, free.reference]
    assert f"Held by {people.coordinator.observer_code} until" in everything.get_data(as_text=True)
    page = second.get(f"/review/{held.id}").get_data(as_text=True)
    assert f"{people.coordinator.observer_code} holds this report until" in page

    refused = decide(second, held, "reject", note="Off topic")
    assert refused.status_code == 409
    assert f"{held.reference} is held by {people.coordinator.observer_code}" in (
        refused.get_data(as_text=True)
    )
    assert fresh(held).status == Status.SUBMITTED  # nothing was saved


def test_a_lapsed_hold_can_be_taken_and_the_first_holder_is_refused(app, people, login_as):
    (report,) = waiting(people, 1)
    first, second = app.test_client(), app.test_client()
    login_as(people.coordinator, first)
    login_as(people.second_coordinator, second)
    first.get(f"/review/{report.id}")
    db.session.execute(
        update(ReportHold).values(expires_at=utcnow() - timedelta(minutes=1))
    )  # the first coordinator went for coffee
    db.session.commit()
    assert refs(second.get("/review/")) == [report.reference]
    second.get(f"/review/{report.id}")
    stale = decide(first, report, "verify", source_reliability="A", info_credibility="1")
    assert stale.status_code == 409
    assert f"{report.reference} is held by {people.second_coordinator.observer_code}" in (
        stale.get_data(as_text=True)
    )
    assert fresh(report).status == Status.SUBMITTED


def test_release_and_take_the_next_few(client, people, login_as):
    reports = waiting(people, 4)
    login_as(people.coordinator)
    response = client.post("/review/take", data={"count": "3"})
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/review/{reports[0].id}"
    )
    holders = dict(db.session.execute(select(ReportHold.report_id, ReportHold.holder_id)).all())
    assert holders == {r.id: people.coordinator.id for r in reports[:3]}
    released = client.post(f"/review/{reports[0].id}/release")
    assert released.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReportHold, reports[0].id).holder_id is None


# --- bulk -----------------------------------------------------------------------------------


def picks(*reports) -> list[str]:
    return [f"{r.id}:{fresh(r).version}" for r in reports]


def test_bulk_reject_writes_one_chained_event_per_report(client, people, login_as):
    a, b = waiting(people, 2)
    login_as(people.coordinator)
    response = client.post(
        "/review/bulk",
        data={"action": "reject", "note": "Spam wave", "report": picks(a, b)},
    )
    assert response.status_code == 302
    assert fresh(a).status == fresh(b).status == Status.REJECTED
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.to_status == Status.REJECTED)
    ).all()
    assert sorted(e.report_id for e in events) == sorted([a.id, b.id])
    assert all(e.note == "Spam wave" for e in events)
    assert verify_review_chain() is None


def test_bulk_duplicates_of_one_original(client, people, login_as):
    original = make_report(people.other_observer, status=Status.VERIFIED, reviewer=people.admin)
    a, b = waiting(people, 2)
    login_as(people.coordinator)
    response = client.post(
        "/review/bulk",
        data={
            "action": "duplicate",
            "duplicate_of": original.reference.lower(),
            "report": picks(a, b),
        },
    )
    assert response.status_code == 302
    assert fresh(a).duplicate_of_id == fresh(b).duplicate_of_id == original.id
    assert fresh(a).status == Status.DUPLICATE


def test_bulk_refuses_everything_when_one_report_is_outside_the_region_scope(
    client, people, login_as
):
    mine = make_report(people.observer, status=Status.SUBMITTED, region="BY-BR")
    theirs = make_report(people.observer, status=Status.SUBMITTED, region="BY-HO")
    limit_to(people.coordinator, "BY-BR")
    login_as(people.coordinator)
    response = client.post(
        "/review/bulk",
        data={"action": "reject", "note": "Off topic", "report": picks(mine, theirs)},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "not in your regions" in html and theirs.reference in html
    assert "Off topic" in html  # what was typed is kept
    assert fresh(mine).status == fresh(theirs).status == Status.SUBMITTED


def test_bulk_refuses_when_a_report_was_decided_meanwhile(client, people, login_as):
    a, b = waiting(people, 2)
    seen = picks(a, b)
    login_as(people.second_coordinator)
    decide(client, b, "verify", source_reliability="A", info_credibility="1")
    login_as(people.coordinator)
    response = client.post(
        "/review/bulk", data={"action": "reject", "note": "Off topic", "report": seen}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "changed since you loaded the queue" in html and b.reference in html
    assert fresh(a).status == Status.SUBMITTED


def test_bulk_without_a_reason_or_selection_is_a_clear_400ish(client, people, login_as):
    (a,) = waiting(people, 1)
    login_as(people.coordinator)
    no_reason = client.post("/review/bulk", data={"action": "reject", "report": picks(a)})
    assert no_reason.status_code == 409
    assert "A reason is required to reject a report." in no_reason.get_data(as_text=True)
    nothing = client.post("/review/bulk", data={"action": "reject", "note": "x"})
    assert "Select at least one report." in nothing.get_data(as_text=True)
    garbage = client.post("/review/bulk", data={"action": "take", "report": ["1:x"]})
    assert garbage.status_code == 409
    assert fresh(a).status == Status.SUBMITTED


def test_bulk_take_refuses_reports_another_coordinator_holds(app, people, login_as):
    a, b = waiting(people, 2)
    first, second = app.test_client(), app.test_client()
    login_as(people.coordinator, first)
    login_as(people.second_coordinator, second)
    first.get(f"/review/{a.id}")
    response = second.post("/review/bulk", data={"action": "take", "report": picks(a, b)})
    assert response.status_code == 409
    assert f"{a.reference} ({people.coordinator.observer_code})" in response.get_data(as_text=True)
    assert db.session.get(ReportHold, b.id) is None  # nothing half-done
