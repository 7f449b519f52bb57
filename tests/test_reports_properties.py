"""Property-based tests: whatever is thrown at the report form, the answer is never a 500 and
nothing invalid is stored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from observer.extensions import db
from observer.models import Report
from observer.reports.service import ReportData, validate_report_data
from tests.factories_reports import count_reports, form_data

FIELDS = (
    "stage",
    "criterion",
    "further_criteria",
    "occurred_on",
    "occurred_at",
    "region",
    "district",
    "settlement",
    "polling_station",
    "constituency",
    "title",
    "narrative",
    "actors",
    "people_affected",
    "source_type",
    "severity",
    "scope",
    "complaint_lodged",
    "complaint_to",
    "complaint_outcome",
    "version",
    "answer",
)

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1, 110, 111, 99_999, 100_000, 1_000_000, 1_000_001, 2**31, 2**63]),
).map(str)
malformed_dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2024-02-30",
            "2024-13-01",
            "0000-01-01",
            "9999-12-31",
            "24-02-21",
            "2024/02/21",
            "21.02.2024",
            "tomorrow",
            "2024-02-21T10:00",
            "1e9",
        ]
    ),
)
forged_choices = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1.5",
            "null",
            "None",
            "[]",
            "{}",
            "1 OR 1=1",
            "direct_observation ",
            "DIRECT_OBSERVATION",
            "5",
            "on",
            "true",
        ]
    ),
)
values = st.one_of(
    any_text,
    numbers,
    malformed_dates,
    forged_choices,
    st.text(max_size=1).map(lambda s: s * 25_000),
)
PROPERTY_SETTINGS = settings(
    max_examples=70,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def signed_in(client, catalog, make_user, login_as):
    login_as(make_user("observer"))
    return client


def assert_only_valid_reports_stored(campaign) -> None:
    for report in db.session.execute(select(Report)).scalars():
        assert validate_report_data(ReportData.from_report(report), campaign) == {}


def post(client, data):
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


@PROPERTY_SETTINGS
@given(field=st.sampled_from(FIELDS), value=values, submit=st.booleans())
def test_any_value_in_any_field_never_errors(signed_in, catalog, field, value, submit):
    before = count_reports()
    extra = {"save_draft": None, "submit_report": "Submit"} if submit else {}
    response = post(signed_in, form_data(**{field: value, **extra}))
    assert response.status_code in (302, 422), response.status_code
    if response.status_code == 422:
        assert count_reports() == before
    else:
        assert count_reports() == before + 1
        assert_only_valid_reports_stored(catalog)
    db.session.rollback()


@PROPERTY_SETTINGS
@given(data=st.fixed_dictionaries({}, optional={name: values for name in FIELDS}))
def test_arbitrary_whole_forms_never_error(signed_in, catalog, data):
    before = count_reports()
    response = post(signed_in, data)
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert count_reports() == before
    assert_only_valid_reports_stored(catalog)
    db.session.rollback()


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picked=st.lists(forged_choices, max_size=12))
def test_forged_further_criteria_never_error(signed_in, catalog, picked):
    before = count_reports()
    response = post(signed_in, form_data(further_criteria=picked))
    assert response.status_code in (302, 422)
    if response.status_code == 302:
        assert count_reports() == before + 1
        assert_only_valid_reports_stored(catalog)
    else:
        assert count_reports() == before
    db.session.rollback()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(status=any_text, before=any_text)
def test_list_filters_never_error(signed_in, status, before):
    response = signed_in.get("/reports/", query_string={"status": status, "before": before})
    assert response.status_code == 200


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    report_id=st.integers(min_value=0, max_value=10**30),
    attachment_id=st.integers(min_value=0, max_value=10**30),
)
def test_any_id_in_a_report_url_is_a_404(signed_in, report_id, attachment_id):
    for url in (
        f"/reports/{report_id}",
        f"/reports/{report_id}/edit",
        f"/reports/{report_id}/evidence/{attachment_id}",
    ):
        assert signed_in.get(url).status_code == 404
    assert signed_in.post(f"/reports/{report_id}/delete").status_code == 404
    assert (
        signed_in.post(f"/reports/{report_id}/evidence/{attachment_id}/remove").status_code == 404
    )
