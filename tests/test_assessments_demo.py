"""`flask demo seed` brings a registry of earlier recommendations and assessments of the demo
campaign, agreed through the real four-eyes workflow; seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.assessments.figures import assessment_matrix, follow_up_summary, summary_sentence
from observer.audit.service import verify_review_chain
from observer.catalog.queries import active_campaign
from observer.models import Assessment, FollowUp, JudgmentEvent, Recommendation


def count(db, model):
    return db.session.execute(select(func.count(model.id))).scalar_one()


def test_demo_seed_brings_judgments_once(app, db):
    from observer.demo.seed import seed_demo

    seed_demo()
    first = tuple(
        count(db, model) for model in (Recommendation, FollowUp, Assessment, JudgmentEvent)
    )
    assert first[0] >= 10 and first[1] >= 9 and first[2] >= 8
    seed_demo()
    assert (
        tuple(count(db, m) for m in (Recommendation, FollowUp, Assessment, JudgmentEvent)) == first
    )
    assert verify_review_chain() is None

    campaign = active_campaign()
    sources = {r.source for r in db.session.execute(select(Recommendation)).scalars()}
    assert any("ODIHR" in source for source in sources) and any("UN " in s for s in sources)
    summary = follow_up_summary(campaign.id)
    assert summary["awaiting"] == 2 and summary["not_assessed"] == 1
    assert summary_sentence(summary, "en").startswith("Of 9 recommendations, 1 was not assessed")
    agreed = [row["cells"] for row in assessment_matrix(campaign.id)["rows"] if row["cells"]]
    assert len(agreed) == 7
    evidence_kinds = {
        link.kind
        for assessment in db.session.execute(select(Assessment)).scalars()
        for link in assessment.evidence
    }
    assert evidence_kinds == {"report", "figure", "document"}
