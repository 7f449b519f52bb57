"""Assessments and follow-ups: the four-eyes rule for every role, evidence, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from observer.assessments.figures import (
    assessment_matrix,
    flagged_assessment_ids,
    stage_conclusions,
)
from observer.assessments.four_eyes import JudgmentError, StaleJudgment
from observer.assessments.service import (
    agree_assessment,
    agree_follow_up,
    change_assessment,
    history,
    rate_follow_up,
)
from observer.extensions import db as _db
from observer.models import Assessment, EvidenceLink, FollowUp, JudgmentEvent, Status
from observer.review import service as review
from tests.factories import make_report
from tests.factories_assessments import content, make_recommendation, propose, scales_fixture  # noqa: F401
from tests.factories_review import people_fixture  # noqa: F401


def counts():
    return (
        _db.session.execute(select(func.count(Assessment.id))).scalar_one(),
        _db.session.execute(select(func.count(EvidenceLink.id))).scalar_one(),
        _db.session.execute(select(func.count(JudgmentEvent.id))).scalar_one(),
    )


def test_a_proposal_is_agreed_by_another_coordinator(db, people, scales):
    assessment = propose(people.coordinator)
    assert assessment.status == "proposed" and assessment.proposed_by_id == people.coordinator.id
    agree_assessment(assessment, people.second_coordinator, assessment.version)
    assert assessment.status == "agreed" and assessment.agreed_by_id == people.second_coordinator.id
    assert [event.kind for event in history(assessment_id=assessment.id)] == ["proposed", "agreed"]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_nobody_agrees_their_own_proposal(db, people, scales, role):
    proposer = getattr(people, role)
    assessment = propose(proposer)
    with pytest.raises(JudgmentError, match="four-eyes"):
        agree_assessment(assessment, proposer, assessment.version)
    _db.session.expire_all()
    assert _db.session.get(Assessment, assessment.id).status == "proposed"
    assert [e.kind for e in history(assessment_id=assessment.id)] == ["proposed"]


def test_an_admin_may_agree_a_coordinators_proposal_and_the_reverse(db, people, scales):
    first = propose(people.coordinator, "COM-01")
    agree_assessment(first, people.admin, first.version)
    second = propose(people.admin, "COM-02")
    agree_assessment(second, people.coordinator, second.version)
    assert first.is_agreed and second.is_agreed


def test_observers_can_neither_propose_nor_agree(db, people, scales):
    with pytest.raises(JudgmentError):
        propose(people.observer)
    assessment = propose(people.coordinator)
    with pytest.raises(JudgmentError):
        agree_assessment(assessment, people.observer, assessment.version)
    assert _db.session.get(Assessment, assessment.id).status == "proposed"


def test_changing_an_agreed_assessment_reopens_it(db, people, scales):
    assessment = propose(people.coordinator)
    agree_assessment(assessment, people.second_coordinator, assessment.version)
    changed = change_assessment(
        assessment, people.second_coordinator, assessment.version, content("partially_meets")
    )
    assert changed and assessment.status == "proposed" and assessment.agreed_by_id is None
    assert assessment.proposed_by_id == people.second_coordinator.id  # the changer proposes now
    with pytest.raises(JudgmentError):
        agree_assessment(assessment, people.second_coordinator, assessment.version)
    agree_assessment(assessment, people.coordinator, assessment.version)
    events = history(assessment_id=assessment.id)
    assert [e.kind for e in events] == ["proposed", "agreed", "changed", "agreed"]
    assert events[2].details["reopened"] is True and events[2].details["level"] == "partially_meets"


def test_saving_the_same_content_again_changes_nothing(db, people, scales):
    assessment = propose(people.coordinator)
    agree_assessment(assessment, people.second_coordinator, assessment.version)
    assert not change_assessment(assessment, people.coordinator, assessment.version, content())
    assert assessment.is_agreed and len(history(assessment_id=assessment.id)) == 2


def test_agreeing_a_version_someone_has_changed_is_refused(db, people, scales):
    assessment = propose(people.coordinator)
    seen = assessment.version
    change_assessment(assessment, people.coordinator, seen, content(en="New wording."))
    with pytest.raises(StaleJudgment):
        agree_assessment(assessment, people.second_coordinator, seen)
    assert not _db.session.get(Assessment, assessment.id).is_agreed


def test_bad_input_saves_nothing(db, people, scales):
    before = counts()
    with pytest.raises(JudgmentError) as refused:
        propose(people.coordinator, level="brilliant")
    assert "level" in refused.value.problems
    with pytest.raises(JudgmentError) as refused:
        propose(people.coordinator, en="")
    assert "reasoning_en" in refused.value.problems
    with pytest.raises(JudgmentError) as refused:
        propose(people.coordinator, reports="R-2024-999999 nonsense")
    assert len(refused.value.problems["reports"]) == 2
    with pytest.raises(JudgmentError) as refused:
        propose(people.coordinator, figures="Bad Key | x\ncommission_composition level\n")
    # unknown key "bad", "Key" not name=value, "level" not name=value, no label
    assert len(refused.value.problems["figures"]) == 4
    with pytest.raises(JudgmentError) as refused:
        propose(people.coordinator, documents="Report | ftp://x | 2024-13-01")
    assert len(refused.value.problems["documents"]) == 2
    assert counts() == before


def test_not_assessed_needs_no_reasoning(db, people, scales):
    assessment = propose(people.coordinator, level="not_assessed", en="")
    assert assessment.level.code == "not_assessed" and assessment.missing_languages == [
        "en",
        "be",
        "ru",
    ]


def test_a_second_assessment_of_the_same_scope_is_refused(db, people, scales):
    propose(people.coordinator)
    with pytest.raises(JudgmentError, match="already has an assessment"):
        propose(people.second_coordinator)
    assert counts()[0] == 1


def test_evidence_of_all_three_kinds_is_kept_in_order(db, people, scales):
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.coordinator)
    assessment = propose(
        people.coordinator,
        "CAM-05",
        reports=f"{report.reference.lower()}, {report.reference}",
        figures="commission_composition level=dec by=alignment | Share of DEC members",
        documents="Preliminary statement | https://elections2024.spring96.org/en/news/113790 | "
        "2024-02-26\nCEC decision no. 12",
    )
    kinds = [
        (link.kind, link.report_reference, link.figure_key, link.label)
        for link in assessment.evidence
    ]
    assert kinds == [
        ("report", report.reference, None, None),
        ("figure", None, "commission_composition", "Share of DEC members"),
        ("document", None, None, "Preliminary statement"),
        ("document", None, None, "CEC decision no. 12"),
    ]
    assert assessment.evidence[1].figure_params == {"by": "alignment", "level": "dec"}


def test_only_verified_reports_can_be_cited_and_a_reopened_one_is_flagged(db, people, scales):
    submitted = make_report(people.observer, status=Status.SUBMITTED)
    with pytest.raises(JudgmentError, match="not verified"):
        propose(people.coordinator, "CAM-05", reports=submitted.reference)
    report = make_report(people.observer, status=Status.VERIFIED, reviewer=people.coordinator)
    assessment = propose(people.coordinator, "CAM-05", reports=report.reference)
    assert flagged_assessment_ids(assessment.campaign_id) == set()
    review.decide(report.id, people.coordinator, "reopen", version=report.version, note="Recheck")
    assert flagged_assessment_ids(assessment.campaign_id) == {assessment.id}
    matrix = assessment_matrix(assessment.campaign_id, agreed_only=False)
    cell = next(row for row in matrix["rows"] if row["criterion"] == "CAM-05")["cells"][
        "campaigning"
    ]
    assert cell["flagged"] is True


def test_a_coordinator_cannot_cite_reports_outside_their_regions(db, people, scales):
    from tests.factories_review import limit_to

    report = make_report(
        people.observer, region="BY-MI", status=Status.VERIFIED, reviewer=people.admin
    )
    limit_to(people.coordinator, "BY-BR")
    with pytest.raises(JudgmentError, match="no report"):
        propose(people.coordinator, "CAM-05", reports=report.reference)


def test_matrix_and_stage_conclusions_use_agreed_assessments_in_catalog_order(db, people, scales):
    agreed = propose(people.coordinator, "COM-01")
    agree_assessment(agreed, people.second_coordinator, agreed.version)
    propose(people.coordinator, "COM-02", level="meets", en="Open.")  # not yet agreed
    matrix = assessment_matrix(agreed.campaign_id, "ru")
    codes = [row["criterion"] for row in matrix["rows"]]
    assert codes[:4] == ["COM-01", "COM-02", "COM-03", "COM-04"] and codes[-1] == "CMP-02"
    assert matrix["rows"][0]["cells"]["commissions"]["label"] == "Не соответствует стандарту"
    assert matrix["rows"][1]["cells"] == {}
    assert "commissions" in next(
        iter(assessment_matrix(agreed.campaign_id, agreed_only=False)["rows"][1]["cells"])
    )
    commissions = stage_conclusions(agreed.campaign_id)[0]
    assert commissions["stage"] == "commissions"
    assert {c["code"]: c["count"] for c in commissions["counts"]}["does_not_meet"] == 1
    assert commissions["criteria"][0]["criterion"] == "COM-01"
    import json

    json.dumps(matrix), json.dumps(stage_conclusions(agreed.campaign_id))  # snapshot-ready


def test_a_stage_other_than_the_criterions_own_and_a_region(db, people, scales, catalog):
    from observer.catalog.queries import stages_for
    from tests.factories_review import region

    early = next(stage for stage in stages_for(catalog) if stage.code == "early_voting")
    on_early_voting = propose(people.coordinator, "ED-01", stage_id=early.id)
    in_minsk = propose(people.coordinator, "ED-01", region_id=region("BY-HM").id)
    assert on_early_voting.stage.code == "early_voting" and in_minsk.region.iso_code == "BY-HM"
    row = next(
        r
        for r in assessment_matrix(catalog.id, agreed_only=False)["rows"]
        if r["criterion"] == "ED-01"
    )
    assert set(row["cells"]) == {"early_voting"}  # regional ones stay off the country matrix


def test_follow_up_ratings_follow_the_same_rule(db, people, scales, catalog):
    recommendation = make_recommendation()
    follow_up, changed = rate_follow_up(
        people.coordinator,
        recommendation,
        catalog.id,
        content("not_implemented", en="Still closed."),
    )
    assert changed and follow_up.status == "proposed"
    with pytest.raises(JudgmentError):
        agree_follow_up(follow_up, people.coordinator, follow_up.version)
    agree_follow_up(follow_up, people.admin, follow_up.version)
    assert follow_up.is_agreed
    follow_up, changed = rate_follow_up(
        people.admin,
        recommendation,
        catalog.id,
        content("partially_implemented", en="Some."),
        version=follow_up.version,
    )
    assert (
        changed and follow_up.status == "proposed" and follow_up.proposed_by_id == people.admin.id
    )
    with pytest.raises(JudgmentError) as refused:
        rate_follow_up(people.admin, recommendation, catalog.id, content("implemented", en=""))
    assert "reasoning_en" in refused.value.problems
    with pytest.raises(JudgmentError):
        rate_follow_up(people.observer, recommendation, catalog.id, content("implemented"))
    assert _db.session.execute(select(func.count(FollowUp.id))).scalar_one() == 1
    assert [e.kind for e in history(follow_up_id=follow_up.id)] == ["proposed", "agreed", "changed"]


def test_figure_citations_are_checked_against_the_records_registry(db, people, scales, monkeypatch):
    """With the process records' registry installed (observer/records/figures.py: REGISTRY of
    Figure(key, function, parameters, required)), keys and parameters are checked against it."""
    import sys
    import types
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Figure:
        key: str
        parameters: tuple = ()
        required: tuple = ()

    figures = types.ModuleType("observer.records.figures")
    figures.REGISTRY = {
        "commission_composition": Figure("commission_composition", ("level", "by", "per_region")),
        "official_series": Figure("official_series", ("metric", "region"), ("metric",)),
    }
    records = types.ModuleType("observer.records")
    records.figures = figures
    monkeypatch.setitem(sys.modules, "observer.records", records)
    monkeypatch.setitem(sys.modules, "observer.records.figures", figures)

    with pytest.raises(JudgmentError) as refused:
        propose(
            people.coordinator,
            figures="turnout_magic | Turnout\n"
            "commission_composition party=x | DEC\n"
            "official_series region=BY-MI | Early voting",
        )
    problems = [str(message) for message in refused.value.problems["figures"]]
    assert problems == [
        "Line 1: unknown figure “turnout_magic”.",
        "Line 2: the figure “commission_composition” takes no parameter “party” "
        "(it takes: level, by, per_region).",
        "Line 3: the figure “official_series” needs the parameter “metric”.",
    ]
    assessment = propose(
        people.coordinator,
        figures="official_series metric=early_turnout region=BY-MI | Early voting, Minsk oblast",
    )
    assert assessment.evidence[0].figure_params == {"metric": "early_turnout", "region": "BY-MI"}
    # A key the registry drops later flags the assessment's evidence.
    del figures.REGISTRY["official_series"]
    from observer.assessments.evidence import evidence_warnings

    assert list(evidence_warnings(assessment.evidence).values()) != []
