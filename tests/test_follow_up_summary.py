"""The follow-up summary in numbers (SQL counts of agreed ratings) and in words, in English,
Belarusian and Russian, for counts that need each plural form (1, 2, 5, 21, 266)."""

from __future__ import annotations

import json

import pytest

from observer.assessments.figures import follow_up_summary, summary_sentence
from observer.assessments.service import agree_follow_up, rate_follow_up
from tests.factories_assessments import (  # noqa: F401
    content,
    make_recommendation,
    scales_fixture,
)
from tests.factories_review import people_fixture  # noqa: F401

LEVELS = ("implemented", "in_progress", "partially_implemented", "not_implemented", "not_assessed")


def summary(awaiting=0, **counts):
    levels = [
        {"code": code, "label": code, "colour": "#000", "assessed": code != "not_assessed",
         "count": counts.get(code, 0)}
        for code in LEVELS
    ]  # fmt: skip
    rated = sum(level["count"] for level in levels)
    not_assessed = counts.get("not_assessed", 0)
    return {
        "total": rated + awaiting,
        "rated": rated,
        "awaiting": awaiting,
        "not_assessed": not_assessed,
        "assessed": rated - not_assessed,
        "levels": levels,
    }


SEED = summary(not_assessed=14, implemented=2, in_progress=1, partially_implemented=26,
               not_implemented=223)  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Of 266 recommendations, 14 were not assessed for lack of information. Of the 252 "
            "assessed, 2 are being implemented, 1 is in the process of implementation, 26 are "
            "being partially implemented and 223 are not being implemented.",
        ),
        (
            "be",
            "З 266 рэкамендацый 14 не былі ацэнены з-за недахопу інфармацыі. З 252 ацэненых "
            "2 выконваюцца, 1 знаходзіцца ў працэсе выканання, 26 выконваюцца часткова і 223 "
            "не выконваюцца.",
        ),
        (
            "ru",
            "Из 266 рекомендаций 14 не были оценены из-за недостатка информации. Из 252 "
            "оценённых 2 выполняются, 1 находится в процессе выполнения, 26 выполняются "
            "частично и 223 не выполняются.",
        ),
    ],
)
def test_the_seeds_figures_in_three_languages(db, language, expected):
    assert summary_sentence(SEED, language) == expected


# n recommendations, all rated "not implemented"; n more "not assessed" + n "implemented"; n
# awaiting: every phrase with every count.
EXPECTED = {
    "en": {
        1: "Of 1 recommendation, 1 is not being implemented.",
        2: "Of 2 recommendations, 2 are not being implemented.",
        5: "Of 5 recommendations, 5 are not being implemented.",
        21: "Of 21 recommendations, 21 are not being implemented.",
        266: "Of 266 recommendations, 266 are not being implemented.",
    },
    "be": {
        1: "З 1 рэкамендацыі 1 не выконваецца.",
        2: "З 2 рэкамендацый 2 не выконваюцца.",
        5: "З 5 рэкамендацый 5 не выконваюцца.",
        21: "З 21 рэкамендацыі 21 не выконваецца.",
        266: "З 266 рэкамендацый 266 не выконваюцца.",
    },
    "ru": {
        1: "Из 1 рекомендации 1 не выполняется.",
        2: "Из 2 рекомендаций 2 не выполняются.",
        5: "Из 5 рекомендаций 5 не выполняются.",
        21: "Из 21 рекомендации 21 не выполняется.",
        266: "Из 266 рекомендаций 266 не выполняются.",
    },
}
EXPECTED_PARTS = {
    "en": {
        1: ("1 was not assessed", "Of the 1 assessed, 1 is being implemented",
            "1 more recommendation has no agreed rating yet."),
        2: ("2 were not assessed", "Of the 2 assessed, 2 are being implemented",
            "2 more recommendations have no agreed rating yet."),
        5: ("5 were not assessed", "Of the 5 assessed, 5 are being implemented",
            "5 more recommendations have no agreed rating yet."),
        21: ("21 were not assessed", "Of the 21 assessed, 21 are being implemented",
             "21 more recommendations have no agreed rating yet."),
        266: ("266 were not assessed", "Of the 266 assessed, 266 are being implemented",
              "266 more recommendations have no agreed rating yet."),
    },
    "be": {
        1: ("1 не была ацэнена", "З 1 ацэненай 1 выконваецца",
            "Яшчэ 1 рэкамендацыя не мае ўзгодненай ацэнкі."),
        2: ("2 не былі ацэнены", "З 2 ацэненых 2 выконваюцца",
            "Яшчэ 2 рэкамендацыі не маюць узгодненай ацэнкі."),
        5: ("5 не былі ацэнены", "З 5 ацэненых 5 выконваюцца",
            "Яшчэ 5 рэкамендацый не маюць узгодненай ацэнкі."),
        21: ("21 не была ацэнена", "З 21 ацэненай 21 выконваецца",
             "Яшчэ 21 рэкамендацыя не мае ўзгодненай ацэнкі."),
        266: ("266 не былі ацэнены", "З 266 ацэненых 266 выконваюцца",
              "Яшчэ 266 рэкамендацый не маюць узгодненай ацэнкі."),
    },
    "ru": {
        1: ("1 не была оценена", "Из 1 оценённой 1 выполняется",
            "Ещё 1 рекомендация не имеет согласованной оценки."),
        2: ("2 не были оценены", "Из 2 оценённых 2 выполняются",
            "Ещё 2 рекомендации не имеют согласованной оценки."),
        5: ("5 не были оценены", "Из 5 оценённых 5 выполняются",
            "Ещё 5 рекомендаций не имеют согласованной оценки."),
        21: ("21 не была оценена", "Из 21 оценённой 21 выполняется",
             "Ещё 21 рекомендация не имеет согласованной оценки."),
        266: ("266 не были оценены", "Из 266 оценённых 266 выполняются",
              "Ещё 266 рекомендаций не имеют согласованной оценки."),
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@pytest.mark.parametrize("count", [1, 2, 5, 21, 266])
def test_every_plural_form(db, language, count):
    assert summary_sentence(summary(not_implemented=count), language) == EXPECTED[language][count]
    sentence = summary_sentence(
        summary(awaiting=count, not_assessed=count, implemented=count), language
    )
    for part in EXPECTED_PARTS[language][count]:
        assert part in sentence, sentence


def test_nothing_rated_yet(db):
    assert summary_sentence(summary(awaiting=3), "en") == (
        "3 recommendations are registered; none has an agreed rating yet."
    )
    assert summary_sentence(summary(awaiting=21), "ru") == (
        "Зарегистрирована 21 рекомендация; ни одна ещё не имеет согласованной оценки."
    )
    assert summary_sentence(summary(), "be") == "Рэкамендацыі яшчэ не зарэгістраваны."


def test_counts_come_from_agreed_ratings(db, people, scales, catalog):
    rated = []
    for number, level in enumerate(["not_implemented", "not_implemented", "not_assessed",
                                    "partially_implemented", "implemented"], 1):  # fmt: skip
        recommendation = make_recommendation(f"UPR-{number:03d}")
        follow_up, _ = rate_follow_up(
            people.coordinator, recommendation, catalog.id, content(level, en="Reasoned.")
        )
        rated.append(follow_up)
    make_recommendation("UPR-999")  # never rated
    for follow_up in rated[:-1]:  # the last stays a proposal
        agree_follow_up(follow_up, people.second_coordinator, follow_up.version)
    figures = follow_up_summary(catalog.id, "ru")
    assert (figures["total"], figures["rated"], figures["awaiting"]) == (6, 4, 2)
    assert (figures["not_assessed"], figures["assessed"]) == (1, 3)
    assert {level["code"]: level["count"] for level in figures["levels"]} == {
        "implemented": 0,
        "in_progress": 0,
        "partially_implemented": 1,
        "not_implemented": 2,
        "not_assessed": 1,
    }
    assert figures["levels"][0]["label"] == "Выполнена"
    json.dumps(figures)
    assert summary_sentence(figures, "en") == (
        "Of 4 recommendations, 1 was not assessed for lack of information. Of the 3 assessed, "
        "1 is being partially implemented and 2 are not being implemented. "
        "2 more recommendations have no agreed rating yet."
    )
