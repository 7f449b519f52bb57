"""Helpers for the assessment and recommendation tests."""

from __future__ import annotations

import pytest

from observer.assessments.content import JudgmentContent
from observer.assessments.scales import ensure_default_scales
from observer.assessments.service import AssessmentScope, propose_assessment
from observer.extensions import db
from observer.models import Recommendation
from tests.factories import pick_criterion


@pytest.fixture(name="scales")
def scales_fixture(db):
    ensure_default_scales()
    db.session.commit()


def content(level="does_not_meet", en="Observers were kept out of every meeting.", **kw):
    return JudgmentContent(level_code=level, reasoning={"en": en, **kw.pop("reasoning", {})}, **kw)


def propose(actor, criterion="COM-02", level="does_not_meet", **kw):
    scope = AssessmentScope(
        pick_criterion(criterion).id, kw.pop("stage_id", None), kw.pop("region_id", None)
    )
    return propose_assessment(actor, scope, content(level, **kw))


def make_recommendation(code="ODIHR-2019-01", **kw) -> Recommendation:
    recommendation = Recommendation(
        code=code,
        source=kw.pop("source", "OSCE/ODIHR final report, parliamentary elections 2019"),
        year=kw.pop("year", 2020),
        text_en=kw.pop("text_en", "Open commission meetings to observers."),
        **kw,
    )
    db.session.add(recommendation)
    db.session.commit()
    return recommendation
