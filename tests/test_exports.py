"""CSV and XLSX exports: contents parsed back, observer codes but never names or emails,
formula injection neutralised, every export in the security log, re-authentication when
stale, region scope, bad parameters."""

from __future__ import annotations

import csv
import io
from time import time
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from openpyxl import load_workbook
from sqlalchemy import select

from observer.dashboard import exports, service
from observer.dashboard.queries import ReportFilter
from observer.models import AuditLog, Region, Report, Status
from tests.factories import make_report, pick_criterion
from tests.factories_dashboard import EXPECTED, build_catalog, build_reports
from tests.jobs_helpers import download_finished


@pytest.fixture
def people(make_user):
    return {
        "observers": [
            make_user("observer", display_name="Alesia Secret", email="alesia@example.org"),
            make_user("observer", display_name="Ihar Hidden", email="ihar@example.org"),
        ],
        "coordinator": make_user("coordinator"),
    }


@pytest.fixture
def dataset(db, people):
    build_catalog()
    return build_reports(people["observers"], people["coordinator"])


@pytest.fixture
def coordinator(client, login_as, people):
    return login_as(people["coordinator"])


def export_file(client, url: str):
    """Ask for a reports export as a person does (the page, then its button), wait for the
    background job, and download its file."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    started = client.post(url)
    assert started.status_code == 303
    return download_finished(client, started.headers["Location"])


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def assert_no_personal_data(text: str, people) -> None:
    for user in people["observers"] + [people["coordinator"]]:
        assert user.display_name not in text
        assert user.email not in text


def test_csv_export_of_verified_reports(dataset, coordinator, people):
    response = export_file(coordinator, "/dashboard/export/reports?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    rows = read_csv(response)
    assert tuple(rows[0]) == exports.REPORT_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(records) == EXPECTED["total"]
    assert {r["status"] for r in records} == {"verified"}
    codes = {p.observer_code for p in people["observers"]}
    assert {r["observer_code"] for r in records} == codes
    first = records[0]
    assert first["reference"] == dataset[0].reference
    assert first["criterion"] == "CAM-05" and first["stage"] == "campaigning"
    assert first["region_code"] == "BY-MI" and first["district"] == "Barysaw"
    assert first["grading"] == "B2"
    assert first["occurred_on"] == "2024-02-10"
    assert first["severity"] == "3" and first["source_type"] == "witness_account"
    assert first["submitted_at_utc"]
    assert_no_personal_data(response.get_data(as_text=True), people)


def test_xlsx_export_matches_and_includes_duplicates_when_asked(dataset, coordinator, people):
    response = export_file(
        coordinator, "/dashboard/export/reports?format=xlsx&status=verified&status=duplicate"
    )
    assert response.status_code == 200
    assert response.mimetype == exports.XLSX_MEDIA_TYPE
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    rows = read_xlsx(response)
    assert rows[0] == exports.REPORT_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(records) == EXPECTED["total"] + 1
    duplicate = next(r for r in records if r["status"] == "duplicate")
    assert duplicate["duplicate_of"] == dataset[2].reference
    assert {r["observer_code"] for r in records} <= {p.observer_code for p in people["observers"]}
    flat = " ".join(str(value) for row in rows for value in row)
    assert_no_personal_data(flat, people)


def test_export_follows_filters_and_never_holds_drafts(dataset, coordinator, db):
    all_statuses = "&".join(
        f"status={s}"
        for s in (Status.SUBMITTED, Status.NEEDS_INFO, Status.VERIFIED, Status.REJECTED)
    )
    rows = read_csv(
        export_file(coordinator, f"/dashboard/export/reports?format=csv&{all_statuses}")
    )
    assert len(rows) - 1 == EXPECTED["all_total"] - 1  # all but the duplicate
    assert "draft" not in {row[1] for row in rows[1:]}
    period = read_csv(
        export_file(
            coordinator,
            "/dashboard/export/reports?format=csv&date_from=2024-02-10&date_to=2024-02-12",
        )
    )
    assert len(period) - 1 == 5
    brest = db.session.execute(select(Region).where(Region.iso_code == "BY-BR")).scalar_one()
    by_region = read_csv(
        export_file(coordinator, f"/dashboard/export/reports?format=csv&region={brest.id}")
    )
    assert {row[7] for row in by_region[1:]} == {"BY-BR"}
    assert len(by_region) - 1 == EXPECTED["regions"]["BY-BR"]


def test_further_criteria_and_cyrillic_names(db, client, login_as, people):
    build_catalog()
    people["coordinator"].locale = "ru"
    make_report(
        people["observers"][0],
        criterion="EV-01",
        region="BY-BR",
        status=Status.VERIFIED,
        reviewer=people["coordinator"],
        further_criteria=[pick_criterion("ED-01"), pick_criterion("CAM-05")],
    )
    login_as(people["coordinator"])
    rows = read_csv(export_file(client, "/dashboard/export/reports?format=csv"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["further_criteria"] == "CAM-05; ED-01"
    assert record["region"] == "Брестская"


def test_formula_injection_is_neutralised(db, client, login_as, people):
    build_catalog()
    make_report(
        people["observers"][0],
        status=Status.VERIFIED,
        reviewer=people["coordinator"],
        title='=HYPERLINK("http://evil.example","click")',
        actors="+cmd|' /C calc'!A0",
        settlement="@SUM(1+1)",
        narrative='-2+3 and a line\nbreak, with "quotes"',
        complaint_to="\tTabbed",
    )
    login_as(people["coordinator"])
    record = dict(
        zip(*read_csv(export_file(client, "/dashboard/export/reports?format=csv")), strict=True)
    )
    assert record["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert record["actors"].startswith("'+cmd")
    assert record["settlement"] == "'@SUM(1+1)"
    assert record["narrative"] == '\'-2+3 and a line\nbreak, with "quotes"'
    assert record["complaint_to"] == "'\tTabbed"

    workbook = load_workbook(
        io.BytesIO(export_file(client, "/dashboard/export/reports?format=xlsx").get_data())
    )
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    title_cell = sheet.cell(row=2, column=header.index("title") + 1)
    assert title_cell.data_type == "s"  # text, not a formula
    assert title_cell.value.startswith("'=")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_neutralise_leaves_other_values_alone():
    assert exports.neutralise("Brest") == "Brest"
    assert exports.neutralise(-3) == -3
    assert exports.neutralise("=1") == "'=1"
    assert exports.neutralise("") == ""


def test_every_export_is_in_the_security_log(dataset, coordinator, db, people):
    export_file(coordinator, "/dashboard/export/reports?format=csv&date_from=2024-02-01")
    coordinator.get("/dashboard/export/table?table=severity&format=xlsx")
    entries = list(db.session.scalars(select(AuditLog).where(AuditLog.event == "export")))
    assert len(entries) == 2
    reports, table = sorted(entries, key=lambda e: e.id)
    assert reports.actor_id == people["coordinator"].id
    assert reports.details["what"] == "reports"
    assert reports.details["format"] == "csv"
    assert reports.details["rows"] == 9  # report 10 happened in January
    assert reports.details["filters"] == {"status": ["verified"], "date_from": "2024-02-01"}
    assert table.details["what"] == "table:severity"
    assert table.details["format"] == "xlsx"
    assert table.details["rows"] == 4


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/export/reports?format=csv&stage=1",
        "/dashboard/export/table?table=day&format=csv",
    ],
)
@pytest.mark.parametrize("stamp", [None, 16 * 60])
def test_stale_reauthentication_sends_to_the_reauth_page(
    dataset, app, client, login_as, people, db, path, stamp
):
    login_as(people["coordinator"])
    with client.session_transaction() as session:
        if stamp is None:
            session.pop("reauth_at", None)
        else:
            session["reauth_at"] = time() - stamp
    response = client.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    with app.test_request_context("/"):
        assert urlsplit(location).path == url_for("auth.reauth")
    assert parse_qs(urlsplit(location).query)["next"] == [path]
    assert db.session.scalars(select(AuditLog).where(AuditLog.event == "export")).all() == []


def test_recent_reauthentication_is_enough(dataset, client, login_as, people):
    login_as(people["coordinator"])
    with client.session_transaction() as session:
        session["reauth_at"] = time() - 14 * 60
    assert client.get("/dashboard/export/reports?format=csv").status_code == 200


def test_scope_limits_exports(dataset, client, login_as, make_user, db):
    brest = db.session.execute(select(Region).where(Region.iso_code == "BY-BR")).scalar_one()
    minsk = db.session.execute(select(Region).where(Region.iso_code == "BY-MI")).scalar_one()
    limited = make_user("coordinator", regions=[brest])
    login_as(limited)
    rows = read_csv(export_file(client, "/dashboard/export/reports?format=csv"))
    assert {row[7] for row in rows[1:]} == {"BY-BR"}
    assert len(rows) - 1 == EXPECTED["regions"]["BY-BR"]
    table = read_csv(client.get("/dashboard/export/table?table=region&format=csv"))
    assert [row[0] for row in table[1:-1]] == ["BY-BR"]
    assert client.get(f"/dashboard/export/reports?format=csv&region={minsk.id}").status_code == 404
    assert client.post(f"/dashboard/export/reports?format=csv&region={minsk.id}").status_code == 404
    assert (
        client.get(
            f"/dashboard/export/table?table=district&format=csv&region={minsk.id}"
        ).status_code
        == 404
    )
    log = db.session.scalars(select(AuditLog).where(AuditLog.event == "export")).all()
    assert log[0].details["filters"]["region_scope"] == [brest.id]


def test_table_exports(dataset, coordinator, db):
    matrix = read_csv(coordinator.get("/dashboard/export/table?table=criterion_stage&format=csv"))
    header = matrix[0]
    assert header[:2] == ["Code", "Criterion"] and header[-1] == "Total"
    by_code = {row[0]: row for row in matrix[1:]}
    assert by_code["CAM-05"][2:] == ["0", "0", "3", "0", "0", "3"]
    assert by_code["Total"][2:] == ["1", "0", "5", "3", "1", "10"]

    regions = read_xlsx(coordinator.get("/dashboard/export/table?table=region&format=xlsx"))
    assert regions[0] == ("Code", "Region", "Reports")
    assert {row[0]: row[2] for row in regions[1:-1]} == EXPECTED["regions"]
    assert regions[-1][-1] == EXPECTED["total"]

    minsk = db.session.execute(select(Region).where(Region.iso_code == "BY-MI")).scalar_one()
    districts = read_csv(
        coordinator.get(f"/dashboard/export/table?table=district&format=csv&region={minsk.id}")
    )
    assert {row[0]: int(row[1]) for row in districts[1:-1]} == EXPECTED["districts_BY-MI"]

    days = read_csv(coordinator.get("/dashboard/export/table?table=day&format=csv"))
    assert {row[0]: int(row[1]) for row in days[1:-1]} == EXPECTED["days"]
    sources = read_csv(coordinator.get("/dashboard/export/table?table=source_type&format=csv"))
    assert {row[0]: int(row[2]) for row in sources[1:-1]} == EXPECTED["source_type"]


@pytest.mark.parametrize(
    "query",
    [
        "table=region&format=pdf",
        "table=observers&format=csv",
        "table=district&format=csv",  # districts need a region
        "table=region&format=csv&date_from=nonsense",
    ],
)
def test_bad_table_export_parameters_answer_400(dataset, coordinator, db, query):
    response = coordinator.get(f"/dashboard/export/table?{query}")
    assert response.status_code == 400
    assert db.session.scalars(select(AuditLog).where(AuditLog.event == "export")).all() == []


def test_bad_report_export_parameters_answer_400(dataset, coordinator):
    for query in ("format=docx", "status=draft"):
        assert coordinator.get(f"/dashboard/export/reports?{query}").status_code == 400
        assert coordinator.post(f"/dashboard/export/reports?{query}").status_code == 400


def test_rows_come_in_keyset_batches(dataset, db, app):
    with app.test_request_context("/"):
        lookups = service.load_lookups(None, all_districts=True)
        names = exports.ExportNames.from_lookups(lookups, lambda row: row.name_en)
        flt = ReportFilter()
        small = list(exports.iter_report_rows(flt, names, batch_size=3))
        large = list(exports.iter_report_rows(flt, names))
    assert small == large
    references = [row[0] for row in small]
    expected = db.session.scalars(
        select(Report.reference).where(Report.status == Status.VERIFIED).order_by(Report.id)
    ).all()
    assert references == expected


def test_postgresql_writes_the_same_csv_as_the_python_writer(db, app, people):
    """On PostgreSQL the export job has the database write the CSV (COPY): byte for byte the
    file the Python writer makes, formula neutralisation, Cyrillic names and all."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite exports through the Python writer")
    from observer.dashboard.export_copy import copy_reports_csv

    build_catalog()
    build_reports(people["observers"], people["coordinator"])
    make_report(
        people["observers"][0],
        status=Status.VERIFIED,
        reviewer=people["coordinator"],
        title="=1+1 «Выбары»",
        narrative='@first line\nsecond, with "quotes"',
        further_criteria=[pick_criterion("ED-01"), pick_criterion("CAM-05")],
    )
    flt = ReportFilter(statuses=(Status.VERIFIED, Status.DUPLICATE, Status.REJECTED))
    for locale in ("en", "ru", "be"):
        with app.test_request_context("/"):
            lookups = service.load_lookups(None, all_districts=True)
            names = exports.ExportNames.from_lookups(
                lookups, lambda row, language=locale: row.localized("name", language)
            )
            rows = exports.iter_report_rows(flt, names)
            python_csv = "".join(exports.csv_stream(_chain([exports.REPORT_COLUMNS], rows)))
            out = io.BytesIO()
            counted = copy_reports_csv(flt, locale, out, lambda n: None)
            db.session.rollback()
        assert out.getvalue().decode("utf-8") == python_csv
        assert counted == len(read_rows(python_csv)) - 1


def _chain(first, rest):
    yield from first
    yield from rest


def read_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
