"""No observer can be found through a figure: district counts below the threshold are shown as
"fewer than N" and cannot be worked out from the region totals, in the PDF, the web page and
the open data. Figures are built to leak, and a brute-force reader tries to recover them."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date

import pytest

from observer.statements import service
from observer.statements.suppression import SMALL, WITHHELD, feasible_values, suppress
from tests.factories import make_report
from tests.factories_statements import make_statement, pdf_text, publish_statement


def figure(groups: dict[str, list[int]]) -> dict:
    rows = [
        {
            "key": f"{group}-{index}",
            "label": f"{group} district {index}",
            "count": n,
            "group": group,
        }
        for group, counts in groups.items()
        for index, n in enumerate(counts)
    ]
    return {
        "kind": "counts",
        "small_areas": True,
        "rows": rows,
        "groups": [{"key": g, "count": sum(c)} for g, c in groups.items()],
        "total": sum(sum(c) for c in groups.values()),
    }


def assert_nothing_recoverable(groups: dict[str, list[int]], threshold: int) -> dict:
    out = suppress(figure(groups), threshold)
    hidden_totals = {g["key"] for g in out["groups"] if g.get("suppressed")}
    for group, counts in groups.items():
        rows = [row for row in out["rows"] if row["group"] == group]
        if group in hidden_totals:
            # Every district of the group is hidden and nothing can complement them: the
            # group's total is withheld too (a region has far more districts than this).
            assert all(row["count"] is None for row in rows if row.get("suppressed"))
            assert all(row.get("suppressed") for row in rows)
            continue
        for row, true in zip(rows, counts, strict=True):
            if 0 < true < threshold:
                assert row["suppressed"] == SMALL and row["count"] is None
            if row.get("suppressed"):
                values = feasible_values(rows, sum(counts), threshold, row["key"])
                assert true in values and len(values) >= 2, (group, counts, row, values)
            else:
                assert row["count"] == true
    return out


@pytest.mark.parametrize(
    "counts",
    [
        [1, 0, 0, 0],  # a lone case in a region: the total alone would give it away
        [2, 7, 0],  # one small cell and one large: the large one is withheld
        [2, 2, 0, 5],  # two cells at the top of the range: their sum (4) would pin both
        [1, 1, 1],  # every district small
        [2, 9, 14, 3, 0, 0],
        [1, 3],
        [0, 0, 4],  # nothing small: nothing hidden
    ],
)
def test_leaky_groups_cannot_be_recovered(counts):
    out = assert_nothing_recoverable({"BY-MI": counts}, 3)
    if not any(0 < n < 3 for n in counts):
        assert not any(row.get("suppressed") for row in out["rows"])


def test_every_small_configuration_is_safe():
    """All groups of up to four districts with up to 4 cases each, at thresholds 2..4."""
    for threshold in (2, 3, 4):
        for size in range(1, 5):
            for counts in itertools.product(range(5), repeat=size):
                assert_nothing_recoverable({"G": list(counts)}, threshold)


def test_a_withheld_cell_is_marked_as_such_not_as_small():
    out = suppress(figure({"G": [1, 8, 0]}), 3)
    assert [row.get("suppressed", "") for row in out["rows"]] == [SMALL, WITHHELD, ""]


def test_process_and_region_figures_are_not_suppressed():
    region_counts = dict(figure({"G": [1, 2]}), small_areas=False)
    assert suppress(region_counts, 3) == region_counts


def test_published_statement_hides_a_lone_case_in_a_district(client, catalog, make_user, app):
    observer, coordinator = make_user("observer"), make_user("coordinator")
    # One case in one Gomel district, many in one Minsk district, two in another.
    make_report(
        observer,
        criterion="EV-01",
        region="BY-HO",
        district_index=3,
        occurred_on=date(2024, 2, 21),
        status="verified",
        reviewer=coordinator,
    )
    for index, n in ((0, 5), (1, 2)):
        for _ in range(n):
            make_report(
                observer,
                criterion="CAM-05",
                region="BY-MI",
                district_index=index,
                occurred_on=date(2024, 2, 10),
                status="verified",
                reviewer=coordinator,
            )
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[service.SectionInput("Where", "[[incidents.by_district]]")],
    )
    publish_statement(statement, coordinator)
    data = statement.snapshot["figures"]["incidents.by_district"]
    shown = {row["key"]: row for row in data["rows"] if row["count"] or row.get("suppressed")}
    assert all(row["count"] is None for row in shown.values() if row.get("suppressed"))
    assert any(row.get("suppressed") == SMALL for row in shown.values())
    counts = [row["count"] for row in data["rows"] if row["count"] is not None]
    assert 1 not in counts and 2 not in counts  # no small number survives in the snapshot
    for group in data["groups"]:
        rows = [r for r in data["rows"] if r["group"] == group["key"]]
        for row in rows:
            if row.get("suppressed"):
                assert len(feasible_values(rows, group["count"], 3, row["key"])) >= 2
    text = " ".join(pdf_text(statement.pdf, layout=False).split())
    assert "fewer than 3" in text
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "fewer than 3" in page
    csv_bytes = client.get(f"/statements/{statement.slug}/figures.csv").data
    rows = [
        r
        for r in csv.DictReader(io.StringIO(csv_bytes.decode()))
        if r["figure"] == "incidents.by_district" and r["suppressed"]
    ]
    assert rows and all(r["value"] == "" for r in rows)


def test_the_threshold_is_a_setting(catalog, make_user, make_app):
    observer, coordinator = make_user("observer"), make_user("coordinator")
    for _ in range(4):
        make_report(
            observer,
            criterion="CAM-05",
            region="BY-MI",
            district_index=0,
            occurred_on=date(2024, 2, 10),
            status="verified",
            reviewer=coordinator,
        )
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[service.SectionInput("Where", "[[incidents.by_district]]")],
    )
    with make_app(SMALL_CELL_THRESHOLD=5).app_context():
        from observer.extensions import db

        snapshot, _problems = service.draft_check(db.session.merge(statement))
    rows = snapshot["figures"]["incidents.by_district"]["rows"]
    assert any(row.get("suppressed") == SMALL for row in rows)
