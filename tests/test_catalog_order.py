"""Catalog order everywhere: criteria by their stage's position, then their own position, even
though positions restart in every stage and ids follow the order of creation."""

from __future__ import annotations

from sqlalchemy import select

from observer.catalog.ordering import catalog_sorted, criterion_order
from observer.extensions import db
from observer.models import Criterion, Stage
from observer.templating import datetime_24h


def _reorder_stages(catalog):
    """Put the last stage first: a list ordered by criterion position alone would interleave."""
    stages = list(db.session.scalars(select(Stage).order_by(Stage.position)))
    stages[-1].position, stages[0].position = stages[0].position - 1, stages[-1].position
    db.session.commit()
    return stages[-1]


def test_criteria_follow_stage_order_then_position(catalog):
    moved = _reorder_stages(catalog)
    ordered = list(db.session.scalars(select(Criterion).order_by(*criterion_order())))
    stage_positions = [db.session.get(Stage, c.stage_id).position for c in ordered]
    assert stage_positions == sorted(stage_positions)
    assert ordered[0].stage_id == moved.id
    within = [c.position for c in ordered if c.stage_id == moved.id]
    assert within == sorted(within)
    stages = db.session.scalars(select(Stage)).all()
    shuffled = sorted(ordered, key=lambda c: c.code)
    assert catalog_sorted(shuffled, stages) == ordered


def test_queue_filter_and_dashboard_list_criteria_in_catalog_order(
    catalog, client, make_user, login_as
):
    moved = _reorder_stages(catalog)
    login_as(make_user("coordinator", password=None))
    html = client.get("/review/").get_data(as_text=True)
    select_html = html.split('name="criterion"', 1)[1].split("</select>", 1)[0]
    first_code = select_html.split('">', 2)[1].split(" · ", 1)[0]
    first_of_moved = min(
        (c for c in db.session.scalars(select(Criterion)) if c.stage_id == moved.id),
        key=lambda c: c.position,
    )
    assert first_code == first_of_moved.code


def test_dates_use_a_24_hour_clock_in_every_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    moment = datetime(2024, 2, 25, 21, 5, tzinfo=UTC)
    with app.test_request_context():
        for language in ("en", "be", "ru"):
            with force_locale(language):
                text = datetime_24h(moment)
                assert "21:05" in text and "PM" not in text
        with force_locale("ru"):
            assert "февр" in datetime_24h(moment)
