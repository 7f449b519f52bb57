"""The rating scales are data admins edit: rename, recolour, add a level (ODIHR's "mostly
implemented"), deactivate; bad input is refused with its field, nothing saved."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.assessments.figures import follow_up_summary, summary_sentence
from observer.assessments.scales import levels_of
from observer.assessments.service import agree_follow_up, rate_follow_up
from observer.models import ScaleLevel
from tests.factories_assessments import content, make_recommendation, scales_fixture  # noqa: F401
from tests.factories_review import people_fixture  # noqa: F401

NEW_LEVEL = {
    "code": "mostly_implemented",
    "name_en": "Mostly implemented",
    "name_be": "Большай часткай выканана",
    "name_ru": "В основном выполнена",
    "position": "2",
    "colour": "#6aa84f",
    "counts_as_assessed": "y",
    "reasoning_required": "y",
    "active": "y",
}


def test_an_admin_adds_a_level_that_then_rates_and_reads_in_the_sentence(
    app, db, people, scales, catalog, login_as
):
    client = login_as(people.admin, app.test_client())
    assert "Mostly implemented" not in client.get("/assessments/scales").get_data(as_text=True)
    assert client.post("/assessments/scales/follow_up/new", data=NEW_LEVEL).status_code == 302
    codes = [level.code for level in levels_of("follow_up")]
    assert "mostly_implemented" in codes
    follow_up, _ = rate_follow_up(
        people.coordinator, make_recommendation(), catalog.id, content("mostly_implemented")
    )
    agree_follow_up(follow_up, people.admin, follow_up.version)
    summary = follow_up_summary(catalog.id)
    assert summary_sentence(summary, "en") == (
        "Of 1 recommendation, 1 is rated “Mostly implemented”."
    )
    assert summary_sentence(follow_up_summary(catalog.id, "ru"), "ru") == (
        "Из 1 рекомендации 1 оценена как «В основном выполнена»."
    )


def test_renaming_recolouring_and_deactivating(app, db, people, scales, login_as):
    level = next(level for level in levels_of("conclusion") if level.code == "meets")
    client = login_as(people.admin, app.test_client())
    form = client.get(f"/assessments/scales/levels/{level.id}").get_data(as_text=True)
    assert "Meets the standard" in form
    response = client.post(
        f"/assessments/scales/levels/{level.id}",
        data={"name_en": "Complies", "colour": "#00aa00", "position": "1"},  # unchecked: off
    )
    assert response.status_code == 302
    db.session.expire_all()
    level = db.session.get(ScaleLevel, level.id)
    assert (level.name_en, level.colour, level.active, level.code) == (
        "Complies",
        "#00aa00",
        False,
        "meets",
    )
    assert "meets" not in [lv.code for lv in levels_of("conclusion")]  # no longer offered


def test_bad_levels_are_refused(app, db, people, scales, login_as):
    client = login_as(people.admin, app.test_client())
    before = db.session.execute(select(func.count(ScaleLevel.id))).scalar_one()
    for changes, message in (
        ({"code": "implemented"}, "already has a level"),
        ({"code": "Mostly Implemented!"}, "Lower-case letters"),
        ({"colour": "red"}, "#RRGGBB"),
        ({"name_en": ""}, "This field is required"),
    ):
        response = client.post("/assessments/scales/follow_up/new", data={**NEW_LEVEL, **changes})
        assert response.status_code == 400, changes
        assert message in response.get_data(as_text=True), changes
    assert client.post("/assessments/scales/nonsense/new", data=NEW_LEVEL).status_code == 404
    assert db.session.execute(select(func.count(ScaleLevel.id))).scalar_one() == before


def test_only_admins_edit_scales(app, db, people, scales, login_as):
    coordinator = login_as(people.coordinator, app.test_client())
    assert coordinator.get("/assessments/scales").status_code == 403
    assert coordinator.post("/assessments/scales/follow_up/new", data=NEW_LEVEL).status_code == 403
