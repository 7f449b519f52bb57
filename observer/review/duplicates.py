"""Likely duplicates of a report: same criterion, same place, a few days apart, ranked by how
alike their texts are. SQL narrows the candidates (bounded); a pure function ranks them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, true

from observer.extensions import db
from observer.models import Report, Status, User
from observer.review.scope import region_scope

WINDOW_DAYS = 3
CANDIDATE_LIMIT = 50
SHOWN = 10

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 2) -> set[tuple[str, ...]]:
    """Lower-cased word n-grams (and the single words, so short texts still compare)."""
    words = _WORD.findall(text.casefold())
    grams: set[tuple[str, ...]] = {(word,) for word in words}
    grams.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return grams


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word shingles, from 0 (nothing shared) to 1."""
    return _jaccard(shingles(a), shingles(b))


def _jaccard(left: set, right: set) -> float:
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


def report_text(report) -> str:
    return f"{report.title}\n{report.narrative}"


@dataclass(frozen=True)
class Suggestion:
    report: Any  # a row of candidates()
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def rank(target_text: str, candidates: Iterable, texts=report_text) -> list[tuple[object, float]]:
    """Candidates with their similarity to the target, most alike first (ties: newest id first)."""
    target = shingles(target_text)  # once, not once per candidate
    scored = [(candidate, _jaccard(target, shingles(texts(candidate)))) for candidate in candidates]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].id))
    return scored


@cache
def _candidates_statement(in_a_district: bool, scoped: bool):
    """Built once per shape (district or region only; every region or some): the review page
    runs it after every decision, and only its values change."""
    same_place = (
        Report.district_id == bindparam("district_id")
        if in_a_district
        else (Report.region_id == bindparam("region_id")) & Report.district_id.is_(None)
    )
    scope = Report.region_id.in_(bindparam("scope", expanding=True)) if scoped else true()
    return (
        select(
            Report.id,
            Report.reference,
            Report.title,
            Report.narrative,
            Report.status,
            Report.occurred_on,
            User.observer_code.label("author_code"),
        )
        .join(User, User.id == Report.author_id)
        .where(
            Report.id != bindparam("report_id"),
            Report.status != Status.DRAFT,
            Report.criterion_id == bindparam("criterion_id"),
            same_place,
            Report.occurred_on.between(bindparam("first_day"), bindparam("last_day")),
            scope,
        )
        .order_by(Report.id.desc())
        .limit(bindparam("limit"))
    )


def candidates(report: Report, viewer: User, limit: int = CANDIDATE_LIMIT) -> Sequence:
    """Other non-draft reports on the same criterion and district within ±3 days that the viewer
    may see. Bounded, so ranking stays cheap however many reports exist. Plain rows with what
    the review page shows of them (id, reference, title, narrative, status, occurred_on,
    author_code): the page answers every decision, and 50 ORM objects cost more than the query."""
    scope = region_scope(viewer)
    statement = _candidates_statement(report.district_id is not None, scope is not None)
    params = {
        "report_id": report.id,
        "criterion_id": report.criterion_id,
        "district_id": report.district_id,
        "region_id": report.region_id,
        "first_day": report.occurred_on - timedelta(days=WINDOW_DAYS),
        "last_day": report.occurred_on + timedelta(days=WINDOW_DAYS),
        "limit": limit,
    }
    if scope is not None:
        params["scope"] = list(scope)
    return db.session.connection().execute(statement, params).all()


def likely_duplicates(report: Report, viewer: User, shown: int = SHOWN) -> list[Suggestion]:
    ranked = rank(report_text(report), candidates(report, viewer))
    return [Suggestion(candidate, score) for candidate, score in ranked[:shown]]
