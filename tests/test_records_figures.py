"""Figures of process records (observer/records/figures.py), computed in SQL."""

from __future__ import annotations

import json

import pytest

from observer.catalog.queries import active_campaign
from observer.records import figures
from tests.test_records_imports import FIGURES, load, load_all


@pytest.fixture
def records(app, catalog, db, tmp_path):
    load_all(app, tmp_path)
    return active_campaign().id


def test_composition_counts_appointed_members_by_alignment_and_route(records):
    rows = figures.commission_composition(records)
    dec = [r for r in rows if r["level"] == "dec"]
    # Of the DEC's two nominees only Belaya Rus's was appointed.
    assert [(r["group"], r["count"], r["share"]) for r in dec] == [("pro_government", 1, 100.0)]
    tec = {r["group"]: (r["count"], r["share"]) for r in rows if r["level"] == "tec"}
    assert tec == {"pro_government": (1, 50.0), "unknown": (1, 50.0)}
    by_route = figures.commission_composition(records, level="tec", by="route", per_region=True)
    assert {(r["group"], r["region"]) for r in by_route} == {
        ("labour_collective", "BY-MI"),
        ("voters", "BY-MI"),
    }
    assert by_route[0]["filters"]["region"] == "BY-MI"
    assert by_route[0]["labels"]["be"]


def test_inclusion_rate_of_each_group(records):
    rows = figures.inclusion_rates(records, level="dec")
    assert [(r["group"], r["nominated"], r["appointed"], r["rate"]) for r in rows] == [
        ("pro_government", 2, 1, 50.0)
    ]


def test_candidate_pipeline_shares_reasons_and_organisations(records):
    (house,) = figures.candidate_pipeline(records)
    assert house["nominated"] == 3 and house["registered"] == 2 and house["refused"] == 1
    assert round(house["registered_share"], 1) == 66.7
    assert round(house["women_share_nominated"], 1) == 66.7
    assert house["women_share_registered"] == 100.0
    assert house["seats"] == 110 and round(house["candidates_per_seat"], 3) == 0.018
    (reason,) = figures.refusals_by_reason(records)
    assert reason["reason"] == "Invalid signatures" and reason["share"] == 100.0
    organisations = figures.registered_by_organisation(records)
    assert {(r["organisation"], r["route"], r["count"]) for r in organisations} == {
        ("Belaya Rus", None, 1),
        (None, "voters", 1),
    }


def test_official_series_and_a_conflict_between_sources(app, records, tmp_path):
    other = FIGURES.splitlines()[0] + (
        "\nearly_turnout,,2024-02-22T18:00,47.9,percent,https://zachod.pl/x,2024-02-23T10:00\n"
    )
    assert load(app, tmp_path, "figures", other).exit_code == 0
    series = figures.official_series(records, "early_turnout", region="")
    assert [(r["value"], r["conflict"]) for r in series] == [(24.44, True), (47.9, True)]
    (conflict,) = figures.figure_conflicts(records)
    assert [v["source_url"] for v in conflict["values"]] == [
        "https://www.belta.by/a",
        "https://zachod.pl/x",
    ]
    gomel = figures.official_series(records, "early_turnout", region="BY-HO")
    assert [(r["value"], r["conflict"]) for r in gomel] == [(30.68, False)]


def test_the_registry_computes_json_data_without_member_names(records):
    for key, figure in figures.REGISTRY.items():
        params = {"metric": "turnout"} if "metric" in figure.required else {}
        text = json.dumps(figures.compute(key, records, **params))
        assert "Ivan Ivanov" not in text and "Maria K" not in text
    with pytest.raises(figures.UnknownFigure):
        figures.compute("nothing", records)


def test_member_names_appear_only_for_a_level_marked_public(records, db):
    from sqlalchemy import select

    from observer.models import CommissionLevel

    assert figures.public_members(records) == []
    dec = db.session.execute(
        select(CommissionLevel).where(CommissionLevel.code == "dec")
    ).scalar_one()
    dec.member_names_public = True
    db.session.commit()
    rows = figures.compute("public_members", records)
    assert [(r["level"], r["member"]) for r in rows] == [("dec", "Ivan Ivanov")]  # appointed only
    assert "Pavel Sidorov" not in json.dumps(rows)  # a TEC member: names not public
