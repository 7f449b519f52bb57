"""Filing reports through the pages: the form, drafts and submission, bad input, editing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from observer.extensions import db
from observer.models import Report, ReviewEvent, Status
from observer.reports import service
from observer.reports.service import ReportData, ReportInvalid
from observer.review.workflow import apply_transition
from tests.factories import make_report
from tests.factories_reports import (
    count_reports,
    criterion,
    district_of,
    form_data,
    only_report,
    region,
)


@pytest.fixture
def observer(catalog, make_user):
    return make_user("observer")


@pytest.fixture
def signed_in(client, observer, login_as):
    login_as(observer)
    return client


def post_new(client, data, **kw):
    return client.post("/reports/new", data=data, content_type="multipart/form-data", **kw)


# --- the form ------------------------------------------------------------------------------


def test_form_lists_catalog_grouped_for_use_without_javascript(signed_in):
    page = signed_in.get("/reports/new").get_data(as_text=True)
    assert 'name="save_draft"' in page and 'name="submit_report"' in page
    # criteria grouped by stage, districts grouped by region, region options name their group
    assert '<optgroup label="Early voting">' in page
    assert "EV-01 — Voluntary early voting" in page
    assert "data-region-select" in page and "data-district-select" in page
    assert 'data-group="Minsk city"' in page or "data-group=" in page
    group = re.search(r'data-group="([^"]+)"', page).group(1)
    assert f'<optgroup label="{group}">' in page
    # the meaning of each severity level is on the form
    assert "Affects the integrity of results or physical liberty." in page
    assert "Restricts a right for identifiable people." in page
    assert 'enctype="multipart/form-data"' in page and "multiple" in page


def test_anonymous_is_sent_to_sign_in(client, catalog):
    response = client.get("/reports/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/reports/new", data={"title": "x"})
    assert response.status_code == 302
    assert count_reports() == 0


def test_save_draft_keeps_it_private_and_without_reference(signed_in, observer):
    response = post_new(signed_in, form_data())
    assert response.status_code == 302
    report = only_report()
    assert report.status == Status.DRAFT and report.reference is None
    assert report.author_id == observer.id
    assert report.polling_station == 512 and report.constituency == 101
    assert report.severity == 3 and report.scope == "repeated"
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Students taken to vote early by bus" in page and "Draft" in page


def test_submit_gives_a_reference_and_a_review_event(signed_in, observer):
    data = form_data(save_draft=None, submit_report="Submit")
    data["further_criteria"] = [str(criterion("ED-02").id), str(criterion("EV-03").id)]
    response = post_new(signed_in, data)
    assert response.status_code == 302
    report = only_report()
    assert report.status == Status.SUBMITTED
    assert re.fullmatch(r"R-2024-\d{6}", report.reference)
    assert sorted(c.code for c in report.further_criteria) == ["ED-02", "EV-03"]
    events = db.session.execute(select(ReviewEvent)).scalars().all()
    assert [(e.from_status, e.to_status) for e in events] == [("draft", "submitted")]
    page = signed_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert report.reference in page and "Submitted" in page


def test_primary_criterion_is_not_repeated_among_further_criteria(signed_in):
    data = form_data(further_criteria=[str(criterion("EV-01").id)])
    assert post_new(signed_in, data).status_code == 302
    assert only_report().further_criteria == []


# --- bad input comes back beside the field, nothing stored ----------------------------------


def assert_refused(response, *fragments):
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for fragment in fragments:
        assert fragment in page, fragment
    assert count_reports() == 0
    return page


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "be",
            {
                "stage": ("999999", "Выберыце варыянт са спісу."),
                "title": ("x" * 201, "Поле не можа быць даўжэйшым за 200 сімвалаў."),
                "polling_station": ("0", "Лік павінен быць ад 1 да 99999."),
                "people_affected": ("12abc", "Увядзіце цэлы лік."),
                "occurred_at": ("25:61", "Няправільны час."),
            },
        ),
        (
            "ru",
            {
                "stage": ("999999", "Выберите вариант из списка."),
                "title": ("x" * 201, "Поле не может быть длиннее 200 символов."),
                "occurred_on": ("2024-02-30", "Неверная дата."),
            },
        ),
    ],
)
def test_form_library_messages_speak_the_observers_language(
    client, observer, login_as, language, expected
):
    """WTForms has no Belarusian catalog of its own: its messages come from ours."""
    observer.locale = language
    db.session.commit()
    login_as(observer)
    values = {field: value for field, (value, _message) in expected.items()}
    page = assert_refused(post_new(client, form_data(**values)))
    for field, (_value, message) in expected.items():
        error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
        assert error and message in error.group(1), (field, error and error.group(1))


def test_criterion_of_another_stage_is_refused_and_form_comes_back_filled(signed_in):
    data = form_data(criterion=str(criterion("CNT-01").id))
    page = assert_refused(post_new(signed_in, data), "Choose a criterion of the stage you chose.")
    assert "Students taken to vote early by bus" in page
    assert "deputy director checked their names" in page
    assert 'value="512"' in page


def test_inactive_criterion_is_refused(signed_in):
    crit = criterion("EV-01")
    crit.active = False
    db.session.commit()
    assert_refused(post_new(signed_in, form_data()), "Not a valid choice")


def test_district_of_another_region_is_refused(signed_in):
    other = district_of("BY-BR", 0)
    page = assert_refused(
        post_new(signed_in, form_data(district=str(other.id))),
        "This district is not in the region you chose.",
    )
    assert 'id="district-error"' in page


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("occurred_on", "2023-01-01", "The date must be within the campaign"),
        ("occurred_on", "2024-02-30", "Not a valid date value"),
        ("occurred_on", "", "Give the date of the incident."),
        ("occurred_at", "25:61", "Not a valid time value"),
        ("polling_station", "0", "Number must be between 1 and 99999"),
        ("polling_station", "100000", "Number must be between 1 and 99999"),
        ("constituency", "111", "Number must be between 1 and 110"),
        ("constituency", "-3", "Number must be between 1 and 110"),
        ("people_affected", "1000001", "Number must be between 0 and 1000000"),
        ("people_affected", "12abc", "Not a valid integer value"),
        ("title", "", "Give the report a short title."),
        ("title", "x" * 201, "Field cannot be longer than 200 characters."),
        ("narrative", "Too short.", "Field must be between 30 and 20000 characters long."),
        ("narrative", "y" * 20001, "Field must be between 30 and 20000 characters long."),
        ("severity", "5", "Not a valid choice"),
        ("severity", "", "Choose a severity level."),
        ("source_type", "rumour", "Not a valid choice"),
        ("scope", "", "Choose the scope."),
        ("stage", "999999", "Not a valid choice"),
        ("criterion", "abc", "Choose a criterion."),
        ("region", "", "Choose a region."),
    ],
)
def test_bad_values_are_refused_beside_their_field(signed_in, field, value, message):
    page = assert_refused(post_new(signed_in, form_data(**{field: value})), message)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error and message.split(" (")[0] in error.group(1)
    assert "Please correct the fields marked below" in page
    if field != "title":
        assert "Students taken to vote early by bus" in page


def test_future_date_is_refused(signed_in, catalog):
    catalog.ends_on = catalog.ends_on.replace(year=2100)
    db.session.commit()
    assert_refused(
        post_new(signed_in, form_data(occurred_on="2099-01-01")),
        "The date cannot be in the future.",
    )


def test_forged_further_criterion_is_refused(signed_in):
    assert_refused(
        post_new(signed_in, form_data(further_criteria=["987654"])), "is not a valid choice"
    )


def test_control_characters_are_dropped_not_stored(signed_in):
    data = form_data(title="Buses\x00 at\x07 the college", settlement="Min\x00sk")
    assert post_new(signed_in, data).status_code == 302
    report = only_report()
    assert report.title == "Buses at the college" and report.settlement == "Minsk"


def test_service_refuses_invalid_data_directly(observer, catalog):
    with pytest.raises(ReportInvalid) as invalid:
        service.save_report(observer, ReportData(title="x", narrative="short"), campaign=catalog)
    assert {"stage", "criterion", "region", "occurred_on", "narrative", "severity"} <= set(
        invalid.value.errors
    )
    assert count_reports() == 0


# --- my reports ----------------------------------------------------------------------------


def test_my_reports_lists_own_reports_newest_first_with_filter(signed_in, observer, make_user):
    coordinator = make_user("coordinator")
    other = make_user("observer")
    make_report(observer, title="Oldest draft")
    make_report(observer, title="Asked about", status=Status.NEEDS_INFO, reviewer=coordinator)
    make_report(observer, title="Newest submitted", status=Status.SUBMITTED)
    make_report(other, title="Someone else's report", status=Status.SUBMITTED)
    page = signed_in.get("/reports/").get_data(as_text=True)
    listing = page[page.index('class="report-list"') :]
    assert listing.index("Newest submitted") < listing.index("Asked about")
    assert listing.index("Asked about") < listing.index("Oldest draft")
    assert "Someone else" not in page
    assert "Coordinators are waiting for your answer" in page
    assert "CAM-05" in page
    filtered = signed_in.get("/reports/?status=draft").get_data(as_text=True)
    assert "Oldest draft" in filtered and "Newest submitted" not in filtered
    assert signed_in.get("/reports/?status=<script>&before=abc").status_code == 200


def test_my_reports_pages_with_keyset(signed_in, observer):
    for number in range(23):
        make_report(observer, title=f"Report number {number:02d}")
    first = signed_in.get("/reports/").get_data(as_text=True)
    assert "Report number 22" in first and "Report number 02" not in first
    next_url = re.search(r'class="pager".*?href="([^"]+)"', first, re.S).group(1)
    second = signed_in.get(next_url.replace("&amp;", "&")).get_data(as_text=True)
    assert "Report number 02" in second and "Report number 00" in second
    assert "Report number 22" not in second


# --- editing, answering, resubmitting -------------------------------------------------------


def test_draft_can_be_edited_then_submitted(signed_in, observer):
    report = make_report(observer)
    page = signed_in.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert "Activist questioned after a picket" in page
    data = form_data(
        criterion_code="CAM-05",
        occurred_on="2024-02-10",
        title="Edited title",
        version=str(report.version),
        save_draft=None,
        submit_report="Submit",
    )
    response = signed_in.post(
        f"/reports/{report.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.title == "Edited title" and report.status == Status.SUBMITTED
    assert report.reference


def test_submitted_report_cannot_be_edited(signed_in, observer):
    report = make_report(observer, status=Status.SUBMITTED)
    response = signed_in.get(f"/reports/{report.id}/edit")
    assert response.status_code == 302
    data = form_data(criterion_code="CAM-05", occurred_on="2024-02-10", title="Sneaky edit")
    response = signed_in.post(
        f"/reports/{report.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 409
    assert "Sneaky edit" in response.get_data(as_text=True)  # the typed text is still there
    db.session.expire_all()
    assert db.session.get(Report, report.id).title == "Activist questioned after a picket"


def test_needs_info_answer_and_resubmit(signed_in, observer, make_user):
    coordinator = make_user("coordinator", display_name="Secret Coordinator Name")
    report = make_report(observer, status=Status.NEEDS_INFO, reviewer=coordinator)
    detail = signed_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Which polling station?" in detail
    assert "Secret Coordinator Name" not in detail and coordinator.email not in detail
    assert "Coordinator" in detail
    form = signed_in.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert "Which polling station?" in form and 'name="answer"' in form
    data = form_data(
        criterion_code="CAM-05",
        occurred_on="2024-02-10",
        polling_station="733",
        answer="Polling station 733, school no. 5.",
        version=str(report.version),
        save_draft=None,
        submit_report="Send",
    )
    response = signed_in.post(
        f"/reports/{report.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.status == Status.SUBMITTED and report.polling_station == 733
    events = (
        db.session.execute(
            select(ReviewEvent).where(ReviewEvent.report_id == report.id).order_by(ReviewEvent.seq)
        )
        .scalars()
        .all()
    )
    answer = events[-2]
    assert answer.kind == "comment" and answer.note == "Polling station 733, school no. 5."
    assert "polling_station" in answer.details["changed_fields"]
    assert (events[-1].from_status, events[-1].to_status) == ("needs_info", "submitted")
    history = signed_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "You" in history and "Polling station 733, school no. 5." in history


def test_stale_version_is_a_conflict_not_a_lost_update(signed_in, observer):
    report = make_report(observer)
    data = form_data(
        criterion_code="CAM-05",
        occurred_on="2024-02-10",
        title="My new title",
        version=str(report.version - 1),
    )
    response = signed_in.post(
        f"/reports/{report.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "changed elsewhere" in page and "My new title" in page
    db.session.expire_all()
    assert db.session.get(Report, report.id).title == "Activist questioned after a picket"


def test_draft_can_be_deleted_but_not_a_submitted_report(signed_in, observer):
    draft = make_report(observer)
    submitted = make_report(observer, status=Status.SUBMITTED)
    asked = signed_in.post(f"/reports/{draft.id}/delete")
    assert asked.status_code == 200 and "Delete this draft and its files for good?" in asked.text
    assert db.session.get(Report, draft.id) is not None
    confirmed = signed_in.post(f"/reports/{draft.id}/delete", data={"confirmed": "yes"})
    assert confirmed.status_code == 302
    assert signed_in.post(f"/reports/{submitted.id}/delete").status_code == 404
    assert [r.id for r in db.session.execute(select(Report)).scalars()] == [submitted.id]


def test_resubmitted_report_reference_stays(signed_in, observer, make_user):
    coordinator = make_user("coordinator")
    report = make_report(observer, status=Status.NEEDS_INFO, reviewer=coordinator)
    reference = report.reference
    apply_transition(report, observer, "resubmit")
    db.session.commit()
    assert report.reference == reference


def test_staff_read_only_view_shows_observer_code_not_name(client, observer, make_user, login_as):
    coordinator = make_user("coordinator")
    report = make_report(observer, status=Status.SUBMITTED)
    login_as(coordinator)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert observer.observer_code in page
    assert observer.display_name not in page and observer.email not in page
    assert f"/reports/{report.id}/edit" not in page
    assert region("BY-MI").name_en in page
