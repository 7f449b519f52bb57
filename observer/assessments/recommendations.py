"""The recommendations registry and its file loader, declared on the shared import engine.

Columns (the first nine are required in every file; the rest may be left out):

    code, source, year, text_en, text_be, text_ru, criteria, rating, reasoning_en,
    paragraph, addressee, reasoning_be, reasoning_ru

`code` is the natural key. `criteria` holds space-separated criterion codes of the campaign
(may be empty). `rating` is a code of the follow-up scale (empty: not yet rated; an existing
rating is then left as it is); a rating is proposed by the person loading the file and waits
for another coordinator's agreement; changing an agreed rating reopens it. A blank
reasoning_be or reasoning_ru keeps what was written on the site. All or nothing, idempotent;
see docs/assessments.md."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from observer.assessments.content import CheckedContent
from observer.assessments.evidence import stored_items
from observer.assessments.scales import levels_of
from observer.assessments.service import stage_follow_up
from observer.extensions import db
from observer.imports import Column, RecordKind
from observer.models import Criterion, FollowUp, Recommendation, Scales, User

OWN_COLUMNS = ("code", "source", "paragraph", "year", "addressee", "text_en", "text_be", "text_ru")


class _Entry:
    """A recommendation as the loader compares it: its own columns, its criteria and this
    campaign's rating (the engine compares attributes by name)."""

    def __init__(self, recommendation: Recommendation, follow_up: FollowUp | None):
        self.recommendation = recommendation
        self.follow_up = follow_up
        for name in OWN_COLUMNS:
            setattr(self, name, getattr(recommendation, name))
        self.criteria = tuple(sorted(criterion.code for criterion in recommendation.criteria))
        if follow_up is not None:
            self.rating = (follow_up.level.code, follow_up.reasoning_en)
            self.reasoning_be = follow_up.reasoning_be
            self.reasoning_ru = follow_up.reasoning_ru
        else:
            self.rating = self.reasoning_be = self.reasoning_ru = None


def recommendation_kind(campaign_id: int, actor: User | None) -> RecordKind:
    """The loader for one campaign's criteria and ratings; `actor` proposes the ratings."""
    criteria = {
        criterion.code.upper(): criterion
        for criterion in db.session.execute(
            select(Criterion).where(Criterion.campaign_id == campaign_id)
        ).scalars()
    }
    levels = {level.code: level for level in levels_of(Scales.FOLLOW_UP)}

    def codes_of(text: str | None) -> list[str]:
        return [code.upper() for code in (text or "").replace(",", " ").split()]

    def check(values: dict[str, Any], _row: int):
        unknown = [code for code in codes_of(values["criteria"]) if code not in criteria]
        if unknown:
            yield (
                "criteria",
                _l("unknown criterion %(codes)s", codes=", ".join(unknown)),
            )
        rating = values["rating"]
        if rating is not None:
            if actor is None:
                yield (
                    "rating",
                    _l("a rating needs the coordinator who proposes it (flask … load --as EMAIL)"),
                )
            elif levels[rating].reasoning_required and not values["reasoning_en"]:
                yield (
                    "reasoning_en",
                    _l("the rating “%(rating)s” needs its reasoning in English", rating=rating),
                )

    def find(keys: list[tuple]) -> dict[tuple, _Entry]:
        codes = [key[0].lower() for key in keys]
        found = db.session.execute(
            select(Recommendation)
            .where(func.lower(Recommendation.code).in_(codes))
            .options(selectinload(Recommendation.criteria))
        ).scalars()
        recommendations = {r.id: r for r in found}
        follow_ups = {
            f.recommendation_id: f
            for f in db.session.execute(
                select(FollowUp)
                .where(
                    FollowUp.campaign_id == campaign_id,
                    FollowUp.recommendation_id.in_(list(recommendations)),
                )
                .options(selectinload(FollowUp.evidence))
            ).scalars()
        }
        return {(r.code,): _Entry(r, follow_ups.get(r.id)) for r in recommendations.values()}

    def attributes(values: dict[str, Any]) -> dict[str, Any]:
        wanted = {name: values.get(name) for name in OWN_COLUMNS}
        wanted["criteria"] = tuple(sorted(set(codes_of(values["criteria"]))))
        if values["rating"] is not None:
            wanted["rating"] = (values["rating"], values["reasoning_en"])
            for lang in ("be", "ru"):
                if values[f"reasoning_{lang}"]:
                    wanted[f"reasoning_{lang}"] = values[f"reasoning_{lang}"]
        return wanted

    def write(entry: _Entry, changes: dict[str, Any]) -> None:
        recommendation = entry.recommendation
        for name in OWN_COLUMNS:
            if name in changes:
                setattr(recommendation, name, changes[name])
        if "criteria" in changes:
            recommendation.criteria = [criteria[code] for code in changes["criteria"]]
        if {"rating", "reasoning_be", "reasoning_ru"} & set(changes):
            follow_up = entry.follow_up
            code, reasoning_en = changes.get("rating") or entry.rating
            reasoning = {
                "en": reasoning_en,
                "be": changes.get("reasoning_be", follow_up.reasoning_be if follow_up else None),
                "ru": changes.get("reasoning_ru", follow_up.reasoning_ru if follow_up else None),
            }
            evidence = stored_items(follow_up.evidence) if follow_up else []
            db.session.flush()
            stage_follow_up(
                actor,
                recommendation,
                campaign_id,
                CheckedContent(levels[code], reasoning, evidence),
                note=str(_l("Loaded from a file")),
            )

    def create(wanted: dict[str, Any]) -> _Entry:
        recommendation = Recommendation(**{name: wanted[name] for name in OWN_COLUMNS})
        db.session.add(recommendation)
        entry = _Entry.__new__(_Entry)
        entry.recommendation, entry.follow_up, entry.rating = recommendation, None, None
        write(entry, wanted)
        return entry

    return RecordKind(
        name="recommendations",
        columns=[
            Column("code", required=True, max_length=32),
            Column("source", required=True, max_length=300),
            Column("year", type="int", required=True, min_value=1945, max_value=2200),
            Column("text_en", required=True, max_length=None),
            Column("text_be", max_length=None),
            Column("text_ru", max_length=None),
            Column("criteria", max_length=None),
            Column("rating", type="code", codes=lambda: list(levels)),
            Column("reasoning_en", max_length=None),
            Column("paragraph", optional_column=True, max_length=32),
            Column("addressee", optional_column=True, max_length=200),
            Column("reasoning_be", optional_column=True, max_length=None),
            Column("reasoning_ru", optional_column=True, max_length=None),
        ],
        key=["code"],
        find=find,
        attributes=attributes,
        create=create,
        check=check,
        update=write,
    )
