"""The assessment pages as coordinators use them: propose, agree (never one's own), change and
reopen, rate recommendations, upload a file; bad input comes back with a clear message, the
typed text kept, nothing saved, never a 500."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from observer.models import Assessment, FollowUp, Recommendation, Status
from tests.factories import make_report, pick_criterion
from tests.factories_assessments import (  # noqa: F401
    content,
    make_recommendation,
    propose,
    scales_fixture,
)
from tests.factories_review import people_fixture  # noqa: F401

REASONING = "Observers were refused entry to the meetings that formed the commissions."


def signed_in(app, login_as, user):
    return login_as(user, app.test_client())


def form_for(criterion="COM-02", level="does_not_meet", **extra):
    return {
        "criterion": str(pick_criterion(criterion).id),
        "stage": "0",
        "region": "0",
        "level": level,
        "reasoning_en": REASONING,
        "reasoning_be": "",
        "reasoning_ru": "",
        "reports": "",
        "figures": "",
        "documents": "",
        **extra,
    }


def test_propose_agree_change_through_the_pages(app, db, people, scales, login_as):
    first = signed_in(app, login_as, people.coordinator)
    response = first.post("/assessments/new", data=form_for())
    assert response.status_code == 302
    assessment = db.session.execute(select(Assessment)).scalar_one()
    page = first.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert REASONING in page and "Awaiting agreement" in page
    assert "Reasoning missing in: Belarusian, Russian." in page
    assert "Another coordinator must read and agree it" in page

    refused = first.post(f"/assessments/{assessment.id}/agree", data={"version": "1"})
    assert refused.status_code == 400
    assert "you cannot agree it" in refused.get_data(as_text=True)

    second = signed_in(app, login_as, people.second_coordinator)
    agreed = second.post(f"/assessments/{assessment.id}/agree", data={"version": "1"})
    assert agreed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).is_agreed

    edit = second.get(f"/assessments/{assessment.id}/edit").get_data(as_text=True)
    assert "Saving a change reopens it" in edit and REASONING in edit
    changed = second.post(
        f"/assessments/{assessment.id}/edit",
        data=form_for(level="partially_meets", version="1", reasoning_ru="Частично."),
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment.id)
    assert assessment.status == "proposed" and assessment.level.code == "partially_meets"
    assert "Changed (reopened)" in second.get(f"/assessments/{assessment.id}").get_data(
        as_text=True
    )


def test_bad_input_comes_back_filled_in(app, db, people, scales, login_as):
    client = signed_in(app, login_as, people.coordinator)
    unknown = client.post("/assessments/new", data=form_for(level="brilliant"))
    assert unknown.status_code == 400
    missing = client.post(
        "/assessments/new", data=form_for(reasoning_en="", reports="R-2024-123456 oops")
    )
    page = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert "needs its reasoning, at least in English" in page
    assert "There is no report R-2024-123456 in this campaign." in page
    assert "“OOPS” is not a report reference" in page
    assert "R-2024-123456 oops" in page  # what was typed is still there
    no_criterion = client.post(
        "/assessments/new", data=form_for(criterion="COM-01") | {"criterion": "999999"}
    )
    assert no_criterion.status_code == 400
    assert db.session.execute(select(func.count(Assessment.id))).scalar_one() == 0


def test_agreeing_after_someone_changed_it_is_a_conflict(app, db, people, scales, login_as):
    assessment = propose(people.coordinator)
    client = signed_in(app, login_as, people.coordinator)
    client.post(
        f"/assessments/{assessment.id}/edit", data=form_for(version="1", reasoning_en="New.")
    )
    other = signed_in(app, login_as, people.admin)
    response = other.post(f"/assessments/{assessment.id}/agree", data={"version": "1"})
    assert response.status_code == 409
    assert "Someone changed this judgment" in response.get_data(as_text=True)


def test_matrix_page_colours_cells_in_catalog_order(app, db, people, scales, login_as):
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.coordinator)
    agreed = propose(people.coordinator, "CAM-05", reports=report.reference)
    from observer.assessments.service import agree_assessment

    agree_assessment(agreed, people.admin, agreed.version)
    propose(people.coordinator, "COM-01", level="meets", en="Plural.")
    page = signed_in(app, login_as, people.admin).get("/assessments/").get_data(as_text=True)
    assert page.index("COM-01") < page.index("COM-04") < page.index("NOM-01") < page.index("CMP-02")
    assert 'class="cell level-does_not_meet"' in page
    assert 'class="cell level-meets is-proposed"' in page
    assert f'href="/assessments/{agreed.id}"' in page
    assert "<svg" in page and 'id="follow-up-chart"' in page


def test_summary_sentence_in_the_viewers_language(app, db, people, scales, login_as, catalog):
    from observer.assessments.service import agree_follow_up, rate_follow_up

    for number in range(1, 4):
        follow_up, _ = rate_follow_up(
            people.coordinator,
            make_recommendation(f"R-{number}"),
            catalog.id,
            content("not_implemented", en="No change."),
        )
        agree_follow_up(follow_up, people.admin, follow_up.version)
    people.admin.locale = "ru"
    db.session.commit()
    page = signed_in(app, login_as, people.admin).get("/assessments/").get_data(as_text=True)
    assert "Из 3 рекомендаций 3 не выполняются." in page


def test_rating_a_recommendation_and_four_eyes(app, db, people, scales, login_as):
    recommendation = make_recommendation()
    client = signed_in(app, login_as, people.coordinator)
    bad = client.post(
        f"/assessments/recommendations/{recommendation.id}",
        data={"level": "implemented", "reasoning_en": ""},
    )
    assert bad.status_code == 400 and "needs its reasoning" in bad.get_data(as_text=True)
    good = client.post(
        f"/assessments/recommendations/{recommendation.id}",
        data={"level": "not_implemented", "reasoning_en": "Meetings stayed closed."},
    )
    assert good.status_code == 302
    follow_up = db.session.execute(select(FollowUp)).scalar_one()
    own = client.post(
        f"/assessments/recommendations/{recommendation.id}/agree",
        data={"version": str(follow_up.version)},
    )
    assert own.status_code == 400
    other = signed_in(app, login_as, people.second_coordinator)
    assert (
        other.post(
            f"/assessments/recommendations/{recommendation.id}/agree",
            data={"version": str(follow_up.version)},
        ).status_code
        == 302
    )
    listing = other.get("/assessments/recommendations?rating=not_implemented").get_data(
        as_text=True
    )
    assert recommendation.code in listing
    assert recommendation.code not in other.get(
        "/assessments/recommendations?rating=unrated"
    ).get_data(as_text=True)


def upload(client, text, name="recs.csv", **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), **extra}
    return client.post(
        "/assessments/recommendations/upload", data=data, content_type="multipart/form-data"
    )


def test_upload_page_checks_loads_and_refuses(app, db, people, scales, login_as):
    client = signed_in(app, login_as, people.coordinator)
    assert client.get("/assessments/recommendations/upload").status_code == 200
    header = "code,source,year,text_en,text_be,text_ru,criteria,rating,reasoning_en\n"
    good = header + "ODIHR-1,ODIHR 2016,2017,Open meetings.,,,COM-02,not_implemented,Closed.\n"
    dry = upload(client, good, dry_run="y")
    assert dry.status_code == 200 and "Dry run, nothing written" in dry.get_data(as_text=True)
    assert db.session.execute(select(func.count(Recommendation.id))).scalar_one() == 0
    loaded = upload(client, good)
    assert loaded.status_code == 200 and "1 created" in loaded.get_data(as_text=True)
    bad = upload(client, header + "X,Y,2020,Z,,,NOPE-1,,\nW,Y,2020,Z,,,,maybe,\n")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "unknown criterion NOPE-1" in page and "“maybe” is not one of" in page
    binary = upload(client, "\x00\x01", name="x.xlsx")
    assert binary.status_code == 400
    assert db.session.execute(select(func.count(Recommendation.id))).scalar_one() == 1
    assert upload(client, "", name="").status_code == 400


def test_a_new_database_gets_the_default_scales_on_first_use(app, db, people, login_as):
    from observer.models import ScaleLevel

    assert db.session.execute(select(func.count(ScaleLevel.id))).scalar_one() == 0
    observer = login_as(people.observer, app.test_client())
    assert observer.get("/assessments/").status_code == 403
    assert db.session.execute(select(func.count(ScaleLevel.id))).scalar_one() == 0
    page = login_as(people.coordinator, app.test_client()).get("/assessments/new")
    assert page.status_code == 200 and "Does not meet the standard" in page.get_data(as_text=True)
    assert db.session.execute(select(func.count(ScaleLevel.id))).scalar_one() == 9
