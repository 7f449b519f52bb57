"""Text similarity behind the likely-duplicates list (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from observer.review.duplicates import rank, shingles, similarity


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
