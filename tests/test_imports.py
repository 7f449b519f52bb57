"""The shared import engine (observer/imports), driven through a small kind over regions."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from sqlalchemy import func, select

from observer.imports import Column, RecordKind, Reference, plan_import, run_import
from observer.models import District, Region


def region_kind() -> RecordKind:
    from observer.extensions import db

    def find(keys):
        codes = [key[0].upper() for key in keys]
        regions = db.session.execute(select(Region).where(Region.iso_code.in_(codes))).scalars()
        return {(region.iso_code.casefold(),): region for region in regions}

    def create(attributes):
        region = Region(**attributes)
        db.session.add(region)
        return region

    def check(values, _row):
        if values["position"] is not None and values["position"] == 13:
            yield "position", "13 is unlucky"

    return RecordKind(
        name="regions",
        columns=[
            Column("iso_code", required=True, max_length=8),
            Column("name_en", required=True),
            Column("kind", type="code", codes=("oblast", "city"), required=True),
            Column("position", type="int", min_value=0, max_value=99),
            Column("share", type="decimal", max_value=100, optional_column=True),
            Column("name_ru", optional_column=True),
        ],
        key=["iso_code"],
        find=find,
        attributes=lambda v: {
            "iso_code": v["iso_code"].upper(),
            "name_en": v["name_en"],
            "name_ru": v["name_ru"],
            "position": v["position"] or 0,
        },
        create=create,
        check=check,
    )


GOOD = "iso_code,name_en,kind,position\nBY-AA,Alpha,oblast,1\nBY-BB,Beta,city,2\n"


def count_regions(db):
    return db.session.execute(select(func.count(Region.id))).scalar_one()


def test_a_good_file_is_created_then_loading_it_again_changes_nothing(db):
    plan = run_import(region_kind(), GOOD.encode(), "regions.csv")
    assert plan.ok and plan.applied and (plan.created, plan.updated) == (2, 0)
    assert {r.name_en for r in db.session.execute(select(Region)).scalars()} == {"Alpha", "Beta"}
    again = run_import(region_kind(), GOOD.encode(), "regions.csv")
    assert again.ok and again.summary() == {"create": 0, "update": 0, "unchanged": 2}
    changed = GOOD.replace("Beta", "Beta city")
    third = run_import(region_kind(), changed.encode(), "regions.csv")
    assert third.summary() == {"create": 0, "update": 1, "unchanged": 1}
    assert third.rows[1].changes == {"name_en": ("Beta", "Beta city")}


def test_a_dry_run_plans_but_writes_nothing(db):
    plan = run_import(region_kind(), GOOD.encode(), "regions.csv", dry_run=True)
    assert plan.ok and plan.created == 2 and not plan.applied
    assert count_regions(db) == 0


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_written(db):
    bad = (
        "iso_code,name_en,kind,position\n"
        "BY-AA,Alpha,oblast,1\n"
        "BY-BB,,village,x\n"
        "BY-CC,Gamma,city,13\n"
        "by-aa,Alpha again,city,3\n"
        "BY-DD,Delta,city,200\n"
    )
    plan = run_import(region_kind(), bad.encode(), "regions.csv")
    assert not plan.ok and not plan.applied
    found = {(p.row, p.column) for p in plan.problems}
    assert found == {
        (3, "name_en"),
        (3, "kind"),
        (3, "position"),
        (4, "position"),
        (5, "iso_code"),
        (6, "position"),
    }
    messages = {(p.row, p.column): str(p.message) for p in plan.problems}
    assert "village" in messages[(3, "kind")] and "oblast, city" in messages[(3, "kind")]
    assert "row 2" in messages[(5, "iso_code")]
    assert str(plan.problems[0]).startswith("Row 3, column name_en:")
    assert count_regions(db) == 0


def test_a_missing_column_is_reported_on_the_header(db):
    plan = plan_import(region_kind(), b"iso_code,name_en,position\nBY-AA,Alpha,1\n", "r.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(1, "kind")]
    assert "iso_code,name_en,kind,position" in str(plan.problems[0].message)


def test_wrong_encoding_and_garbage_are_problems_not_exceptions(db):
    cp1251 = "iso_code,name_en,kind,position\nBY-AA,Мінск,city,1\n".encode("cp1251")
    plan = plan_import(region_kind(), cp1251, "regions.csv")
    assert len(plan.problems) == 1 and plan.problems[0].row is None
    assert "UTF-8" in str(plan.problems[0].message)
    for data, name in ((b"PK\x03\x04 not really", "r.xlsx"), (b"[1, 2", "r.json"), (b"", "r.csv")):
        plan = plan_import(region_kind(), data, name)
        assert not plan.ok, name


def test_semicolons_bom_decimal_comma_and_extra_columns(db):
    text = "\ufeffiso_code;name_en;kind;position;share;notes\nBY-AA;Alpha;Oblast;1;74,3;x\n"
    plan = plan_import(region_kind(), text.encode(), "r.csv")
    assert plan.ok, [str(p) for p in plan.problems]
    assert str(plan.rows[0].values["share"]) == "74.3"
    assert plan.rows[0].values["kind"] == "oblast"
    over = plan_import(region_kind(), text.replace("74,3", "100,5").encode(), "r.csv")
    assert [(p.row, p.column) for p in over.problems] == [(2, "share")]


def test_xlsx_json_and_yaml_files_load_the_same_rows(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["ISO_code", "name_en", "kind", "position"])
    sheet.append(["BY-AA", "Alpha", "oblast", 1.0])
    sheet.append([None, None, None, None])
    sheet.append(["BY-BB", "Beta", "city", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = plan_import(region_kind(), buffer.getvalue(), "regions.xlsx")
    assert xlsx.ok and [(r.row, r.values["position"]) for r in xlsx.rows] == [(2, 1), (4, 2)]
    rows = [{"iso_code": "BY-AA", "name_en": "Alpha", "kind": "oblast", "position": 1}]
    assert plan_import(region_kind(), json.dumps(rows).encode(), "r.json").created == 1
    yaml_text = "rows:\n  - {iso_code: BY-AA, name_en: Alpha, kind: oblast, position: 1}\n"
    assert plan_import(region_kind(), yaml_text.encode(), "r.yaml").created == 1


def test_references_resolve_natural_keys_case_insensitively(db):
    from observer.extensions import db as database

    region = Region(iso_code="BY-MI", name_en="Minsk Oblast")
    database.session.add(region)
    database.session.commit()

    def load():
        return {r.iso_code: r.id for r in database.session.execute(select(Region)).scalars()}

    def create(attributes):
        district = District(**attributes)
        database.session.add(district)
        return district

    kind = RecordKind(
        name="districts",
        columns=[Column("region", type="ref", ref=Reference("region", load)), Column("name_en")],
        key=["region", "name_en"],
        find=lambda keys: {},
        attributes=lambda v: {"region_id": v["region"], "name_en": v["name_en"]},
        create=create,
    )
    plan = run_import(kind, b"region,name_en\nby-mi,Barysau\nBY-XX,Nowhere\n", "d.csv")
    assert [(p.row, p.column) for p in plan.problems] == [(3, "region")]
    assert "unknown region “BY-XX”" in str(plan.problems[0].message)
    assert run_import(kind, b"region,name_en\nby-mi,Barysau\n", "d.csv").created == 1
