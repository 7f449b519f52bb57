"""The mission's judgments (issue 14) placed in a statement: the matrix, a stage's conclusions
with their reasoning, the follow-up of recommendations as a table and as a sentence. Only
agreed judgments count; every language shows the same frozen ratings."""

from __future__ import annotations

from observer.assessments.service import agree_assessment, agree_follow_up, rate_follow_up
from observer.statements import service
from tests.factories_assessments import (  # noqa: F401 - scales_fixture is a fixture
    content,
    make_recommendation,
    propose,
    scales_fixture,
)
from tests.factories_statements import make_statement, pdf_text, publish_statement


def test_judgments_in_a_statement(catalog, scales, make_user, client):
    first, second = make_user("coordinator"), make_user("coordinator")
    agreed = propose(
        first, "COM-02", "does_not_meet", en="Observers were barred from forming meetings."
    )
    agree_assessment(agreed, second, agreed.version)
    propose(first, "CAM-01", "meets", en="A proposal only, not yet agreed.")
    for code, level in (
        ("R-1", "not_implemented"),
        ("R-2", "not_implemented"),
        ("R-3", "partially_implemented"),
    ):
        follow_up, _changed = rate_follow_up(
            first, make_recommendation(code), catalog.id, content(level, en="Rated.")
        )
        agree_follow_up(follow_up, second, follow_up.version)
    statement = make_statement(
        first,
        catalog,
        language="en",
        key_findings="- [[recommendations.summary]]",
        sections=[
            service.SectionInput(
                "Election commissions",
                "[[assessments.conclusions stage=commissions]]\n\n[[assessments.matrix]]",
            ),
            service.SectionInput("Recommendations followed up", "[[recommendations.follow_up]]"),
        ],
    )
    publish_statement(statement, first)
    figures = statement.snapshot["figures"]
    matrix = figures["assessments.matrix"]
    assert [row["key"] for row in matrix["rows"]] == ["COM-02"]  # the proposal is left out
    follow = figures["recommendations.follow_up"]
    counts = {row["key"]: row["count"] for row in follow["rows"]}
    assert counts["not_implemented"] == 2 and counts["partially_implemented"] == 1
    assert set(follow["rows"][0]["label"]) == {"en", "be", "ru"}
    text = " ".join(pdf_text(statement.pdf, layout=False).split())
    assert "Observers were barred from forming meetings." in text
    assert "A proposal only" not in text
    assert "Of 3 recommendations" in text
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "Of 3 recommendations" in page and "Observers were barred" in page
    # A Belarusian translation shows the same frozen ratings, labelled in Belarusian.
    translation = service.start_translation(statement, first, "be")
    translation.key_findings = "- [[recommendations.summary]]"
    publish_statement(translation, first)
    assert translation.snapshot["figures"]["recommendations.follow_up"] == follow
    assert "Of 3" not in " ".join(pdf_text(translation.pdf, layout=False).split())


def test_a_stage_that_does_not_exist_is_a_clear_error(catalog, scales, make_user):
    coordinator = make_user("coordinator")
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[service.SectionInput("X", "[[assessments.conclusions stage=nowhere]]")],
    )
    _snapshot, problems = service.draft_check(statement)
    assert any("no stage “nowhere”" in p for p in problems)
