"""The review queue: access, filters, sorting, keyset pagination, counts per status, scope."""

from __future__ import annotations

import re
from datetime import date

import pytest

from observer.dashboard.queries import ReportFilter
from observer.extensions import db
from observer.models import Status
from observer.review.queue import QueueQuery, counts_by_status, fetch_page, like_pattern
from tests.factories import make_report, pick_criterion
from tests.factories_review import limit_to, people_fixture, region  # noqa: F401

REF = re.compile(r"R-\d{4}-\d{6}")


def refs(response) -> list[str]:
    """References in the queue's list, in display order (each appears once per card)."""
    html = response.get_data(as_text=True)
    return re.findall(r'class="queue-link"><strong class="mono">(R-\d{4}-\d{6})', html)


# --- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/review/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_observer_is_refused(client, people, login_as):
    login_as(people.observer)
    assert client.get("/review/").status_code == 403


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_staff_see_the_queue(client, people, login_as, who):
    make_report(people.observer, status=Status.SUBMITTED)
    login_as(getattr(people, who))
    response = client.get("/review/")
    assert response.status_code == 200
    assert len(refs(response)) == 1


# --- what is listed -------------------------------------------------------------------------


def test_drafts_are_never_listed_and_codes_not_names_are_shown(client, people, login_as):
    make_report(people.observer, title="Still a draft")
    make_report(people.observer, title="Submitted one", status=Status.SUBMITTED)
    login_as(people.coordinator)
    html = client.get("/review/").get_data(as_text=True)
    assert "Submitted one" in html
    assert "Still a draft" not in html
    assert people.observer.observer_code in html
    assert people.observer.display_name not in html
    assert people.observer.email not in html


def test_filters_by_dashboard_parameters(client, people, login_as):
    c = people.coordinator
    make_report(people.observer, title="Verified CAM", status=Status.VERIFIED, reviewer=c)
    make_report(
        people.observer, title="Verified ED", criterion="ED-01", status=Status.VERIFIED, reviewer=c
    )
    make_report(people.observer, title="Submitted CAM", status=Status.SUBMITTED)
    criterion = pick_criterion("CAM-05")
    login_as(c)
    html = client.get(f"/review/?status=verified&criterion={criterion.id}").get_data(as_text=True)
    assert "Verified CAM" in html
    assert "Verified ED" not in html
    assert "Submitted CAM" not in html


def test_multi_valued_status_severity_region_source(client, people, login_as):
    c = people.coordinator
    make_report(people.observer, title="Brest severe", region="BY-BR", severity=4)
    a = make_report(
        people.observer, title="Brest severe", region="BY-BR", severity=4, status=Status.SUBMITTED
    )
    make_report(
        people.observer,
        title="Gomel mild",
        region="BY-HO",
        severity=1,
        status=Status.REJECTED,
        reviewer=c,
    )
    make_report(
        people.observer,
        title="Vitebsk doc",
        region="BY-VI",
        severity=2,
        source_type="document",
        status=Status.SUBMITTED,
    )
    login_as(c)
    brest, gomel = region("BY-BR").id, region("BY-HO").id
    # No status chosen: the reports waiting for review (the rejected one is under its tab).
    got = refs(client.get(f"/review/?region={brest}&region={gomel}"))
    assert got == [a.reference]
    got = refs(
        client.get(f"/review/?region={brest}&region={gomel}&status=submitted&status=rejected")
    )
    assert len(got) == 2 and a.reference in got
    got = refs(client.get("/review/?status=submitted&status=rejected&severity=4&severity=1"))
    assert len(got) == 2
    got = refs(client.get("/review/?source_type=document"))
    assert len(got) == 1
    district = a.district_id
    assert refs(client.get(f"/review/?district={district}")) == [a.reference]


def test_date_range_observer_code_and_stage(client, people, login_as):
    early = make_report(people.observer, occurred_on=date(2024, 1, 5), status=Status.SUBMITTED)
    late = make_report(
        people.other_observer, occurred_on=date(2024, 2, 20), status=Status.SUBMITTED
    )
    login_as(people.coordinator)
    assert refs(client.get("/review/?date_from=2024-02-01")) == [late.reference]
    assert refs(client.get("/review/?date_to=2024-01-31")) == [early.reference]
    code = people.other_observer.observer_code
    assert refs(client.get(f"/review/?observer={code.lower()}")) == [late.reference]
    both = refs(client.get(f"/review/?observer={code}&observer={people.observer.observer_code}"))
    assert sorted(both) == sorted([early.reference, late.reference])
    assert len(refs(client.get(f"/review/?stage={early.stage_id}"))) == 2


def test_text_search_is_case_insensitive_and_escapes_wildcards(client, people, login_as):
    make_report(people.observer, title="Ballot STUFFING seen", status=Status.SUBMITTED)
    make_report(
        people.observer,
        title="Turnout",
        narrative="Turnout was 100% at noon, said the chair",
        status=Status.SUBMITTED,
    )
    make_report(people.observer, title="Plain", narrative="nothing here", status=Status.SUBMITTED)
    login_as(people.coordinator)
    assert len(refs(client.get("/review/?q=stuffing"))) == 1
    assert len(refs(client.get("/review/?q=100%25"))) == 1  # a literal %, not "anything"
    assert len(refs(client.get("/review/?q=%25"))) == 1
    assert len(refs(client.get("/review/?q=_"))) == 0
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def test_text_search_folds_cyrillic_case(client, people, login_as):
    make_report(
        people.observer,
        title="Выбарчы ўчастак закрыты для назіральнікаў",
        status=Status.SUBMITTED,
    )
    make_report(people.observer, title="Вброс бюллетеней", status=Status.SUBMITTED)
    login_as(people.coordinator)
    assert len(refs(client.get("/review/?q=ВЫБАРЧЫ"))) == 1
    assert len(refs(client.get("/review/?q=назіральнікаў"))) == 1
    assert len(refs(client.get("/review/?q=вБРОС"))) == 1
    assert len(refs(client.get("/review/?q=бюллетень"))) == 0


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=draft", "not a valid choice"),
        ("status=bogus", "not a valid choice"),
        ("criterion=abc", "could not be coerced"),
        ("region=999999", "not a valid choice"),
        ("severity=9", "not a valid choice"),
        ("date_from=2024-13-01", "Not a valid date"),
        ("date_from=2024-02-10&date_to=2024-02-01", "end date is before the start date"),
        ("observer=alice", "Observer codes look like OBS-0042"),
        ("sort=random", "not a valid choice"),
        ("after=not-a-cursor", "no longer valid"),
    ],
)
def test_invalid_parameters_give_a_message_not_a_500(client, people, login_as, query, message):
    make_report(people.observer, status=Status.SUBMITTED)
    login_as(people.coordinator)
    response = client.get(f"/review/?{query}")
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()


def test_blank_parameters_are_ignored(client, people, login_as):
    make_report(people.observer, status=Status.SUBMITTED)
    login_as(people.coordinator)
    response = client.get("/review/?status=&criterion=&date_from=&q=&observer=")
    assert response.status_code == 200
    assert len(refs(response)) == 1


# --- counts ---------------------------------------------------------------------------------


def test_counts_per_status_follow_the_filters_but_not_the_status_filter(client, people, login_as):
    c = people.coordinator
    for _ in range(2):
        make_report(people.observer, status=Status.SUBMITTED)
    make_report(people.observer, status=Status.VERIFIED, reviewer=c)
    make_report(people.observer, status=Status.NEEDS_INFO, reviewer=c)
    make_report(people.observer, criterion="ED-01", status=Status.VERIFIED, reviewer=c)
    make_report(people.observer)  # draft: never counted
    cam = pick_criterion("CAM-05").id
    query = QueueQuery(report_filter=ReportFilter(statuses=("verified",), criterion_ids=(cam,)))
    assert counts_by_status(query) == {"submitted": 2, "verified": 1, "needs_info": 1}
    login_as(c)
    html = client.get(f"/review/?criterion={cam}&status=verified").get_data(as_text=True)
    counts = dict(re.findall(r"status-(\w+)[^\"]*\">\s*[^<]+<strong>(\d+)</strong>", html))
    assert counts == {
        "submitted": "2",
        "needs_info": "1",
        "verified": "1",
        "rejected": "0",
        "duplicate": "0",
    }


# --- sorting and keyset pagination ----------------------------------------------------------


def _many(people, n, **kw):
    return [make_report(people.observer, status=Status.SUBMITTED, **kw) for _ in range(n)]


@pytest.mark.parametrize("sort", ["newest", "oldest", "occurred", "severity"])
def test_keyset_pages_have_no_overlap_and_no_gap_even_with_equal_keys(db, people, sort):
    reports = []
    # Many equal sort keys (same day, same severity) straddle page boundaries.
    for day, severity in [(5, 2)] * 7 + [(6, 3)] * 6 + [(4, 1)] * 4:
        reports += _many(people, 1, occurred_on=date(2024, 2, day), severity=severity)
    query = QueueQuery(sort=sort)
    seen, after, pages = [], None, 0
    while True:
        page = fetch_page(query, after, page_size=5)
        seen += [r.id for r in page.reports]
        pages += 1
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert pages == 4
    assert len(seen) == len(set(seen)) == len(reports)
    one_page = [r.id for r in fetch_page(query, None, page_size=100).reports]
    assert seen == one_page


def test_default_order_is_oldest_submitted_first(db, people):
    first, second, third = _many(people, 3)
    # Triage works from whoever has waited longest: when it reached the queue is what counts.
    assert [r.id for r in fetch_page(QueueQuery()).reports] == [first.id, second.id, third.id]
    newest = fetch_page(QueueQuery(sort="newest")).reports
    assert [r.id for r in newest] == [third.id, second.id, first.id]
    severity_order = fetch_page(QueueQuery(sort="severity")).reports
    assert [r.severity for r in severity_order] == sorted(
        [r.severity for r in severity_order], reverse=True
    )


def test_pages_through_the_endpoint_keep_the_filters(client, people, login_as, app):
    _many(people, 30)
    _many(people, 3, criterion="ED-01")
    login_as(people.coordinator)
    cam = pick_criterion("CAM-05").id
    first = client.get(f"/review/?criterion={cam}")
    page1 = refs(first)
    assert len(page1) == 25
    next_url = re.search(r'href="([^"]+)" rel="next"', first.get_data(as_text=True))
    assert next_url and f"criterion={cam}" in next_url.group(1)
    second = client.get(next_url.group(1).replace("&amp;", "&"))
    page2 = refs(second)
    assert len(page2) == 5
    assert not set(page1) & set(page2)
    html = second.get_data(as_text=True)
    assert "Page 2 of 2" in html and 'rel="next"' not in html and 'rel="prev"' in html


def test_cursor_of_another_sort_is_refused(client, people, login_as):
    _many(people, 3)
    cursor = fetch_page(QueueQuery(sort="severity"), page_size=1).next_cursor
    login_as(people.coordinator)
    assert client.get(f"/review/?sort=newest&after={cursor}").status_code == 400
    assert client.get(f"/review/?sort=severity&after={cursor}").status_code == 200


def test_pagination_uses_no_offset(db, people):
    _many(people, 3)
    statements = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, parameters, *args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page = fetch_page(QueueQuery(), page_size=1)
        second = fetch_page(QueueQuery(), page.next_cursor, page_size=1)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert second.reports and statements
    for statement, parameters in statements:
        # SQLite's dialect always writes "LIMIT ? OFFSET ?" (here inside the subquery choosing
        # the page's ids); with the parameters in place every offset must be 0.
        pieces = statement.split("?")
        filled = "".join(
            p + (repr(v) if i < len(parameters) else "")
            for i, (p, v) in enumerate(zip(pieces, list(parameters) + [None], strict=False))
        )
        offsets = re.findall(r"OFFSET (\d+)", filled.upper())
        assert all(value == "0" for value in offsets), filled


# --- scope ----------------------------------------------------------------------------------


def test_coordinator_limited_to_regions_sees_only_them(client, people, login_as):
    make_report(people.observer, title="In Brest", region="BY-BR", status=Status.SUBMITTED)
    make_report(people.observer, title="In Gomel", region="BY-HO", status=Status.SUBMITTED)
    limit_to(people.coordinator, "BY-BR")
    login_as(people.coordinator)
    html = client.get("/review/").get_data(as_text=True)
    assert "In Brest" in html and "In Gomel" not in html
    assert "<strong>1</strong>" in html  # submitted count is 1, not 2
    # Another region cannot be asked for through the filter either.
    assert client.get(f"/review/?region={region('BY-HO').id}").status_code == 400


def test_admin_and_unrestricted_coordinator_see_everything(client, people, login_as):
    make_report(people.observer, region="BY-BR", status=Status.SUBMITTED)
    make_report(people.observer, region="BY-HO", status=Status.SUBMITTED)
    limit_to(people.admin, "BY-BR")  # regions do not restrict admins
    for user in (people.admin, people.second_coordinator):
        login_as(user)
        assert len(refs(client.get("/review/"))) == 2


def test_counts_use_a_single_group_by(db, people):
    _many(people, 2)
    statements = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        counts_by_status(QueueQuery())
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(statements) == 1 and "GROUP BY" in statements[0].upper()


def test_queue_page_runs_a_bounded_number_of_queries(client, people, login_as, app):
    _many(people, 20)
    login_as(people.coordinator)
    client.get("/review/")  # warm up
    statements = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get("/review/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(statements) < 15, statements
