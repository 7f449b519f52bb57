"""Coordinator dashboard: counts against hand-computed figures, links into the review queue,
filters, drill-down, region scope, access by role, and the SVG charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only markup this app generated
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from observer.dashboard import charts, service
from observer.dashboard.queries import ReportFilter, count_by, total
from observer.models import Criterion, Region, Stage, Status
from tests.factories_dashboard import EXPECTED, build_catalog, build_reports

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup) -> ET.Element:
    """Our own chart markup (no DTD, no entities), so the standard parser is safe here."""
    return ET.fromstring(str(markup))  # noqa: S314


@pytest.fixture
def people(make_user):
    return {
        "observers": [make_user("observer"), make_user("observer")],
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
    }


@pytest.fixture
def dataset(db, people):
    build_catalog()
    reports = build_reports(people["observers"], people["coordinator"])
    return reports


@pytest.fixture
def ctx(app):
    """A request context: table titles are translated for the current request's language."""
    with app.test_request_context("/"):
        yield


def ids(model, column, db):
    return {getattr(row, column): row.id for row in db.session.scalars(select(model))}


def localize(obj):
    return obj.name_en


# --- aggregation (service level) ---------------------------------------------------------------


def test_matrix_counts_verified_reports_by_criterion_and_stage(dataset, db, ctx):
    lookups = service.load_lookups(None)
    table = service.criterion_stage_table(ReportFilter(), lookups, localize)
    stage_codes = [s.code for s in lookups.stages]
    cells = {}
    for row in table.rows:
        for code, cell in zip(stage_codes, row.cells, strict=False):
            cells[(row.labels[0], code)] = cell.count
    for key, count in cells.items():
        assert count == EXPECTED["matrix"].get(key, 0), key
    # Row totals, column totals and the grand total.
    row_totals = {row.labels[0]: row.cells[-1].count for row in table.rows}
    assert row_totals == {
        "COM-01": 1,
        "NOM-01": 0,
        "CAM-01": 2,
        "CAM-05": 3,
        "EV-01": 3,
        "ED-01": 1,
    }
    column_totals = dict(zip(stage_codes, [c.count for c in table.total.cells[:-1]], strict=True))
    assert column_totals == EXPECTED["stage_totals"]
    assert table.total.cells[-1].count == EXPECTED["total"] == total(ReportFilter())


def test_other_tables_match_hand_counts(dataset, db, ctx):
    lookups = service.load_lookups(None)
    flt = ReportFilter()
    regions = service.region_table(flt, lookups, localize)
    assert {row.labels[0]: row.cells[0].count for row in regions.rows} == EXPECTED["regions"]
    severity = service.severity_table(flt)
    assert {int(r.labels[0]): r.cells[0].count for r in severity.rows} == EXPECTED["severity"]
    sources = service.source_type_table(flt)
    assert {r.labels[0]: r.cells[0].count for r in sources.rows} == EXPECTED["source_type"]
    days = service.day_table(flt)
    assert {r.labels[0]: r.cells[0].count for r in days.rows} == EXPECTED["days"]
    for table in (regions, severity, sources, days):
        assert table.total.cells[0].count == EXPECTED["total"]


def test_district_drill_down_counts(dataset, db, ctx):
    minsk = ids(Region, "iso_code", db)["BY-MI"]
    lookups = service.load_lookups(None)
    service.load_districts(lookups, minsk)
    table = service.district_table(ReportFilter(region_ids=(minsk,)), lookups, localize)
    assert {r.labels[0]: r.cells[0].count for r in table.rows} == EXPECTED["districts_BY-MI"]


def test_other_statuses_counted_only_when_asked_and_drafts_never(dataset, db, ctx):
    countable = (
        Status.SUBMITTED,
        Status.NEEDS_INFO,
        Status.VERIFIED,
        Status.REJECTED,
        Status.DUPLICATE,
    )
    assert total(ReportFilter(statuses=countable)) == EXPECTED["all_total"]
    assert total(ReportFilter(statuses=())) == EXPECTED["all_total"]  # 'any' still skips drafts
    assert total(ReportFilter(statuses=(Status.DRAFT,))) == 2  # the query contract, not the UI
    lookups = service.load_lookups(None)
    regions = service.region_table(ReportFilter(statuses=countable), lookups, localize)
    assert {r.labels[0]: r.cells[0].count for r in regions.rows} == EXPECTED["all_regions"]
    cam05 = ids(Criterion, "code", db)["CAM-05"]
    by_criterion = dict(count_by(ReportFilter(statuses=countable), "criterion"))
    assert by_criterion[cam05] == EXPECTED["all_matrix_CAM-05"]


def test_period_and_stage_filters(dataset, db):
    period = ReportFilter(date_from=date(2024, 2, 10), date_to=date(2024, 2, 12))
    assert total(period) == 5
    early = ids(Stage, "code", db)["early_voting"]
    by_region = dict(count_by(ReportFilter(stage_ids=(early,)), "region"))
    region_ids = ids(Region, "iso_code", db)
    assert by_region == {region_ids["BY-BR"]: 2, region_ids["BY-MI"]: 1}


# --- the page ----------------------------------------------------------------------------------


def numbers_with_links(html: str, table_id: str) -> list[tuple[str, dict]]:
    """(number, queue query) for every linked number in one table of the page."""
    section = html.split(f'id="table-{table_id}"', 1)[1].split("</table>", 1)[0]
    found = []
    for href, text in re.findall(r'<a href="([^"]+)">([\d,]+)</a>', section):
        href = unescape(href)
        assert urlsplit(href).path == "/review/"
        found.append((text, parse_qs(urlsplit(href).query)))
    return found


def test_dashboard_shows_counts_linked_to_the_queue(dataset, db, client, login_as, people):
    login_as(people["coordinator"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    criteria = {v: k for k, v in ids(Criterion, "code", db).items()}
    stages = {v: k for k, v in ids(Stage, "code", db).items()}
    assert stages  # criteria are grouped under their stage: one count per criterion
    links = numbers_with_links(html, "criterion")
    # (a stage with a single criterion links its total to that criterion too)
    criterion_links = {
        q["criterion"][0]: (n, q) for n, q in links if len(q.get("criterion", ())) == 1
    }
    assert len(criterion_links) == 6  # every criterion, zeros included
    for number, query in criterion_links.values():
        code = criteria[int(query["criterion"][0])]
        expected = sum(n for (c, _stage), n in EXPECTED["matrix"].items() if c == code)
        assert int(number) == expected
        assert query["status"] == ["verified"]
    # The grand total links to all verified reports, with nothing else narrowing it.
    assert ("10", {"status": ["verified"]}) in links

    regions = {v: k for k, v in ids(Region, "iso_code", db).items()}
    for number, query in numbers_with_links(html, "region"):
        if "region" in query:
            assert int(number) == EXPECTED["regions"][regions[int(query["region"][0])]]
    severity = dict(
        (int(q["severity"][0]), int(n))
        for n, q in numbers_with_links(html, "severity")
        if "severity" in q
    )
    assert severity == EXPECTED["severity"]
    sources = dict(
        (q["source_type"][0], int(n))
        for n, q in numbers_with_links(html, "source_type")
        if "source_type" in q
    )
    assert sources == EXPECTED["source_type"]
    days = {
        q["date_from"][0]: int(n) for n, q in numbers_with_links(html, "day") if "date_from" in q
    }
    assert days == EXPECTED["days"]
    for _number, q in numbers_with_links(html, "day"):
        if "date_from" in q:
            assert q["date_to"] == q["date_from"]


def test_links_carry_the_page_filters(dataset, db, client, login_as, people):
    login_as(people["coordinator"])
    early = ids(Stage, "code", db)["early_voting"]
    response = client.get(
        f"/dashboard/?date_from=2024-02-01&date_to=2024-02-28&stage={early}"
        "&status=verified&status=needs_info"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = numbers_with_links(html, "severity")
    assert links
    for _, query in links:
        assert sorted(query["status"]) == ["needs_info", "verified"]
        assert query["date_from"] == ["2024-02-01"]
        assert query["date_to"] == ["2024-02-28"]
        assert query["stage"] == [str(early)]
    # 3 verified early-voting reports + report 12 (needs_info); severity 4 holds 8 and 12.
    severity = {int(q["severity"][0]): int(n) for n, q in links if "severity" in q}
    assert severity == {1: 0, 2: 0, 3: 2, 4: 2}


def test_region_drill_down_shows_districts(dataset, db, client, login_as, people):
    login_as(people["coordinator"])
    region_ids = ids(Region, "iso_code", db)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert f"region={region_ids['BY-MI']}" in html  # the region names link to the drill-down
    response = client.get(f"/dashboard/?region={region_ids['BY-MI']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Districts of Minsk (oblast)" in html
    districts = numbers_with_links(html, "district")
    from observer.models import District

    names = {d.id: d.name_en for d in db.session.scalars(select(District))}
    counted = {names[int(q["district"][0])]: int(n) for n, q in districts if "district" in q}
    assert counted == EXPECTED["districts_BY-MI"]
    for _, query in districts:
        assert query["region"] == [str(region_ids["BY-MI"])]


def test_names_follow_the_interface_language(dataset, db, client, login_as, people):
    people["coordinator"].locale = "ru"
    db.session.commit()
    login_as(people["coordinator"])
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Брестская" in html
    assert "Досрочное голосование" in html
    assert "Без запугивания" in html


def test_bad_filters_answer_400_with_the_form_filled_in(dataset, client, login_as, people):
    login_as(people["coordinator"])
    response = client.get("/dashboard/?date_from=2024-02-20&date_to=2024-02-01")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The end of the period is before its start." in html
    assert 'value="2024-02-20"' in html
    assert client.get("/dashboard/?date_from=yesterday").status_code == 400
    assert client.get("/dashboard/?stage=abc").status_code == 400
    assert client.get("/dashboard/?status=draft").status_code == 400
    assert client.get("/dashboard/?stage=999999").status_code == 400


def filter_summary(html: str) -> tuple[str, str]:
    """(the opening tag, the one-line summary) of the dashboard's folded filters."""
    tag, rest = html.split('<details class="card filter-fold"', 1)[1].split(">", 1)
    return tag, rest.split("</summary>", 1)[0].replace("<summary>", "").strip()


def test_filters_fold_into_a_line_that_says_what_they_select(dataset, db, client, login_as, people):
    login_as(people["coordinator"])
    tag, summary = filter_summary(client.get("/dashboard/").get_data(as_text=True))
    assert "open" not in tag  # folded: the figures come first
    assert summary == f"Filters · {EXPECTED['total']} reports match"  # no filter on
    early = ids(Stage, "code", db)["early_voting"]
    html = client.get(f"/dashboard/?stage={early}").get_data(as_text=True)
    tag, summary = filter_summary(html)
    assert "open" not in tag
    assert summary == "Filters · 3 reports match · 1 filter on"  # EXPECTED["stage_totals"]
    html = client.get("/dashboard/?date_from=2024-02-10&date_to=2024-02-12").get_data(as_text=True)
    assert filter_summary(html)[1] == "Filters · 5 reports match · 2 filters on"
    # Statuses other than the default count as one filter; verified alone is the default.
    _tag, summary = filter_summary(
        client.get("/dashboard/?status=verified&status=needs_info").get_data(as_text=True)
    )
    assert summary.endswith(" · 1 filter on")
    _tag, summary = filter_summary(client.get("/dashboard/?status=verified").get_data(as_text=True))
    assert "filter" not in summary.split("·")[-1]


def test_wrong_filters_open_the_fold(dataset, client, login_as, people):
    login_as(people["coordinator"])
    response = client.get("/dashboard/?date_from=2024-02-20&date_to=2024-02-01")
    assert response.status_code == 400
    tag, summary = filter_summary(response.get_data(as_text=True))
    assert tag.strip() == "open"
    assert summary == "Filters · 2 filters on"  # no count: nothing was counted


def test_empty_database_renders(db, client, login_as, people):
    build_catalog()
    login_as(people["admin"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "No reports match these filters." in response.get_data(as_text=True)


# --- access and scope --------------------------------------------------------------------------


STAFF_PATHS = (
    "/dashboard/",
    "/dashboard/export/reports?format=csv",
    "/dashboard/export/table?table=region&format=xlsx",
)


# One signed-in user per test: the `db` fixture's app context (and so flask.g, where
# Flask-Login keeps the current user) lasts across the requests of one test.
@pytest.mark.parametrize("path", STAFF_PATHS)
@pytest.mark.parametrize(
    "role, expected", [(None, 302), ("observer", 403), ("coordinator", 200), ("admin", 200)]
)
def test_access_by_role(db, client, login_as, make_user, path, role, expected):
    build_catalog()
    if role is not None:
        login_as(make_user(role))
    response = client.get(path)
    assert response.status_code == expected
    if role is None:
        assert "/login" in response.headers["Location"]


def test_coordinator_limited_to_regions(dataset, db, client, login_as, make_user):
    region_ids = ids(Region, "iso_code", db)
    brest = db.session.get(Region, region_ids["BY-BR"])
    limited = make_user("coordinator", regions=[brest])
    login_as(limited)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    regions_shown = numbers_with_links(html, "region")
    assert {q["region"][0] for _, q in regions_shown if "region" in q} == {str(brest.id)}
    assert ("3", {"status": ["verified"]}) in numbers_with_links(html, "criterion")
    assert "Minsk (oblast)" not in html
    assert client.get(f"/dashboard/?region={region_ids['BY-MI']}").status_code == 404
    assert client.get("/dashboard/?region=999999").status_code == 404
    assert client.get(f"/dashboard/?region={brest.id}").status_code == 200


# --- charts ------------------------------------------------------------------------------------


def test_charts_are_well_formed_and_labelled(dataset, client, login_as, people):
    login_as(people["coordinator"])
    html = client.get("/dashboard/").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4  # stages, the map, severity, days
    for svg in svgs:
        root = parse_svg(svg)
        assert root.get("role") in ("img", "group")  # the map is a group of region links
        title_id = root.get("aria-labelledby")
        assert root.find(f"{SVG}title").get("id") == title_id
        assert "style" not in svg and "<script" not in svg


def test_chart_escapes_hostile_labels():
    hostile = "<script>alert(\"x\")</script> & 'quotes' ]]>"
    svg = charts.bar_chart("c1", hostile, [(hostile, 3), ("Brest", 1)])
    root = parse_svg(str(svg))
    assert root.find(f"{SVG}title").text == hostile
    texts = [t.text for t in root.iter(f"{SVG}tspan")]
    assert "<script" not in str(svg)
    assert any(text and text.startswith("<script>") for text in texts)
    timeline = charts.timeline_chart("c2", hostile, [(date(2024, 2, 1), 2), (date(2024, 2, 5), 1)])
    root = parse_svg(str(timeline))
    assert len(root.findall(f"{SVG}rect")) == 2  # quiet days are gaps, not bars
    assert parse_svg(str(charts.bar_chart("c3", "Empty", []))) is not None


def test_hostile_catalog_names_are_escaped_on_the_page(db, client, login_as, people):
    hostile = '<img src=x onerror=alert(1)>"&'
    build_catalog(region_names={"BY-BR": hostile})
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "CAM-05")).scalar_one()
    criterion.name_en = "<script>alert('criterion')</script>"
    db.session.commit()
    build_reports(people["observers"], people["coordinator"])
    login_as(people["coordinator"])
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        parse_svg(svg)


def test_following_a_number_lists_exactly_those_reports(dataset, db, client, login_as, people):
    """End to end: the review queue, opened from a number, lists that many reports."""
    login_as(people["coordinator"])
    html = client.get("/dashboard/?status=verified&status=submitted&status=duplicate").get_data(
        as_text=True
    )
    checked = 0
    for table in ("criterion", "region", "severity", "source_type", "day"):
        for number, query in numbers_with_links(html, table):
            if number == "0":
                continue
            queue = client.get("/review/", query_string=query)
            assert queue.status_code == 200
            listed = set(re.findall(r"R-2024-\d{6}", queue.get_data(as_text=True)))
            assert len(listed) == int(number), (table, query)
            checked += 1
    assert checked > 20


def test_query_count_does_not_grow_with_reports_or_cells(dataset, db, client, login_as, people):
    """Catalog lookups load once per request and counts are GROUP BYs: more reports, criteria
    or districts do not add statements."""
    from sqlalchemy import event

    from tests.factories import make_report

    login_as(people["coordinator"])
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    def measure(path):
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    minsk = ids(Region, "iso_code", db)["BY-MI"]
    before = (measure("/dashboard/"), measure(f"/dashboard/?region={minsk}"))
    for criterion in ("NOM-01", "ED-01", "CAM-01"):
        for district in (0, 1):
            make_report(
                people["observers"][0],
                criterion=criterion,
                district_index=district,
                status=Status.VERIFIED,
                reviewer=people["coordinator"],
            )
    after = (measure("/dashboard/"), measure(f"/dashboard/?region={minsk}"))
    assert before == after, (before, after)
    assert after[0] <= 15, after
