"""Text similarity behind the likely-duplicates list (pure functions), and the query that picks
the candidates."""

from __future__ import annotations

from dataclasses import dataclass

from observer.review.duplicates import rank, shingles, similarity
from tests.factories_review import people_fixture  # noqa: F401


@dataclass
class Item:
    id: int
    title: str
    narrative: str


def test_identical_texts_score_one_and_unrelated_zero():
    text = "Ballot box carried out of polling station 12"
    assert similarity(text, text) == 1.0
    assert similarity(text, "Workers told to vote early") == 0.0
    assert similarity("", text) == 0.0


def test_case_punctuation_and_cyrillic_do_not_matter():
    assert similarity("Урна вынесена!", "урна ВЫНЕСЕНА") == 1.0
    assert shingles("Скрынка, вынесена") == {("скрынка",), ("вынесена",), ("скрынка", "вынесена")}


def test_word_order_counts_through_shingles():
    same_words = similarity("police detained the observer", "the observer detained police")
    assert 0 < same_words < 1


def test_rank_orders_by_similarity_then_newest():
    target = "Ballot box carried out of polling station 12 by the chair"
    items = [
        Item(1, "Factory workers", "told to vote early"),
        Item(2, "Ballot box carried out", "of polling station 12 by the chair"),
        Item(3, "Ballot box", "carried out of station 40"),
        Item(4, "Factory workers", "told to vote early"),
    ]
    ranked = rank(target, items)
    assert [item.id for item, _ in ranked] == [2, 3, 4, 1]
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0


# --- the candidates query, in each of its shapes -------------------------------------------


def test_candidates_without_a_district_and_within_a_coordinators_regions(people):
    from sqlalchemy import update

    from observer.extensions import db
    from observer.models import Report, Status
    from observer.review.duplicates import candidates
    from tests.factories import make_report
    from tests.factories_review import limit_to

    target = make_report(people.observer, status=Status.SUBMITTED, region="BY-BR")
    same_region = make_report(people.other_observer, status=Status.SUBMITTED, region="BY-BR")
    in_a_district = make_report(people.other_observer, status=Status.SUBMITTED, region="BY-BR")
    elsewhere = make_report(people.other_observer, status=Status.SUBMITTED, region="BY-HO")
    db.session.execute(
        update(Report)
        .where(Report.id.in_([target.id, same_region.id, elsewhere.id]))
        .values(district_id=None)
    )
    db.session.commit()
    db.session.refresh(target)

    # The admin sees every region: only the other report of the region without a district.
    assert [row.id for row in candidates(target, people.admin)] == [same_region.id]
    assert [row.author_code for row in candidates(target, people.admin)] == [
        people.other_observer.observer_code
    ]
    # A coordinator limited to another region sees none of them.
    limit_to(people.coordinator, "BY-HO")
    db.session.refresh(people.coordinator)
    assert candidates(target, people.coordinator) == []
    assert in_a_district.district_id is not None
