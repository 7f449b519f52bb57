"""A report cites the commission or candidate it concerns; review and dashboard show it."""

from __future__ import annotations

from observer.models import Status
from tests.factories import make_report
from tests.factories_reports import form_data, only_report
from tests.test_records_imports import load_all


def post_new(client, data):
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


def test_an_observer_cites_a_commission_and_a_candidate(
    app, client, catalog, db, make_user, login_as, tmp_path
):
    load_all(app, tmp_path)
    observer = make_user("observer")
    login_as(observer)
    form = client.get("/reports/new").get_data(as_text=True)
    assert 'name="commission"' in form and 'name="candidate"' in form
    response = post_new(client, form_data(commission="dec 95", candidate="Maria K"))
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    report = only_report()
    assert report.commission_id and report.candidate_id
    detail = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "DEC 95, BY-HM" in detail and "Maria K, 95" in detail
    edit = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'value="DEC 95, BY-HM"' in edit
    from observer.records.links import find_commission

    # The abbreviation of the level's Russian or Belarusian name is understood too.
    assert find_commission("ОИК 95", report.campaign_id) == report.commission_id
    assert find_commission("АВК 95, BY-HM", report.campaign_id) == report.commission_id


def test_a_citation_naming_nothing_is_refused_and_nothing_is_saved(
    app, client, catalog, db, make_user, login_as, tmp_path
):
    load_all(app, tmp_path)
    login_as(make_user("observer"))
    response = post_new(client, form_data(commission="DEC 999", candidate="Nobody"))
    text = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    assert "No such commission" in text and "No such candidate" in text
    assert only_report_count(db) == 0


def only_report_count(db):
    from sqlalchemy import func, select

    from observer.models import Report

    return db.session.execute(select(func.count(Report.id))).scalar_one()


def test_review_page_and_dashboard_link_to_the_cited_records(
    app, client, catalog, db, make_user, login_as, tmp_path
):
    load_all(app, tmp_path)
    from sqlalchemy import select

    from observer.models import Candidate, Commission

    commission = db.session.execute(select(Commission).where(Commission.name == "95")).scalar_one()
    candidate = db.session.execute(select(Candidate).where(Candidate.name == "Petr L")).scalar_one()
    coordinator = make_user("coordinator")
    report = make_report(
        make_user("observer"),
        status=Status.VERIFIED,
        reviewer=coordinator,
        commission_id=commission.id,
        candidate_id=candidate.id,
    )
    login_as(coordinator)
    review = client.get(f"/review/{report.id}").get_data(as_text=True)
    assert f"/records/commissions/nominees?commission={commission.id}" in review
    assert f"/records/candidates/list?id={candidate.id}" in review
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert "Commissions and candidates cited by these reports" in dashboard
    assert "DEC 95, BY-HM" in dashboard
    listed = client.get(f"/records/candidates/list?id={candidate.id}").get_data(as_text=True)
    assert "Petr L" in listed and "Maria K" not in listed
