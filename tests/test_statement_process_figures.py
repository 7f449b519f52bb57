"""Process records (issue 13) placed in a statement: commission composition, the candidate
pipeline, official figures with their source cited. Public facts, never suppressed; the same
frozen table in the PDF, on the web page and in the open data."""

from __future__ import annotations

import csv
import io

import pytest

from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.models import OfficialFigure
from observer.statements import service
from tests.factories_statements import make_statement, pdf_text, publish_statement
from tests.test_records_imports import load_all


@pytest.fixture
def records(app, catalog, db, tmp_path):
    load_all(app, tmp_path)
    return active_campaign()


def test_process_figures_in_a_statement(records, make_user, client):
    coordinator = make_user("coordinator")
    statement = make_statement(
        coordinator,
        records,
        language="en",
        sections=[
            service.SectionInput(
                "Election commissions",
                "[[records.commission_composition level=dec]]\n\n[[records.inclusion_rates]]",
            ),
            service.SectionInput("Candidates", "[[records.candidate_pipeline]]"),
        ],
    )
    publish_statement(statement, coordinator)
    figures = statement.snapshot["figures"]
    composition = figures["records.commission_composition level=dec"]
    (row,) = composition["rows"]
    assert row["cells"]["count"] == 1 and row["cells"]["share"] == 100.0  # a single member
    pipeline = figures["records.candidate_pipeline"]["rows"][0]["cells"]
    assert pipeline["nominated"] == 3 and pipeline["registered"] == 2
    text = " ".join(pdf_text(statement.pdf, layout=False).split())
    assert "100.0 %" in text and "66.7 %" in text  # shares with one decimal
    assert "Members of commissions by nominating group" in text
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "66.7 %" in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/statements/{statement.slug}/figures.csv").data.decode())
        )
    )
    shares = [
        r
        for r in rows
        if r["figure"] == "records.candidate_pipeline" and r["key"] == "registered_share"
    ]
    assert shares and round(float(shares[0]["value"]), 1) == 66.7
    assert not any(r["suppressed"] for r in rows if r["figure"].startswith("records."))


def test_official_figures_cite_their_source(records, make_user):
    metric = db.session.execute(db.select(OfficialFigure.metric)).scalars().first()
    coordinator = make_user("coordinator")
    statement = make_statement(
        coordinator,
        records,
        language="en",
        sections=[service.SectionInput("Turnout", f"[[records.official_series metric={metric}]]")],
    )
    snapshot, problems = service.draft_check(statement)
    assert problems == []
    data = snapshot["figures"][f"records.official_series metric={metric}"]
    assert data["source"].startswith("http")
    missing = make_statement(
        coordinator,
        records,
        language="en",
        title="No metric",
        sections=[service.SectionInput("Turnout", "[[records.official_series]]")],
    )
    _snapshot, problems = service.draft_check(missing)
    assert any("needs the option “metric”" in p for p in problems)
