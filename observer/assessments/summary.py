"""The follow-up summary: counts per rating (one GROUP BY) and the sentence that says them in
the reader's language, with the plural forms Belarusian and Russian need:

    "Of 266 recommendations, 14 were not assessed for lack of information. Of the 252
    assessed, 2 are being implemented, 1 is in the process of implementation, 26 are being
    partially implemented and 223 are not being implemented."

Only agreed ratings count; recommendations without one are counted apart ("awaiting")."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select

from observer.assessments.scales import levels_of
from observer.extensions import db
from observer.forms import N_plural
from observer.models import FollowUp, JudgmentStatus, Recommendation, Scales

# The default scale's levels read as verbs in the sentence; a level a mission adds itself is
# written with its name (GENERIC_PHRASE).
RATING_PHRASES = {
    "implemented": N_plural("%(num)d is being implemented", "%(num)d are being implemented"),
    "in_progress": N_plural(
        "%(num)d is in the process of implementation",
        "%(num)d are in the process of implementation",
    ),
    "partially_implemented": N_plural(
        "%(num)d is being partially implemented", "%(num)d are being partially implemented"
    ),
    "not_implemented": N_plural(
        "%(num)d is not being implemented", "%(num)d are not being implemented"
    ),
}
GENERIC_PHRASE = N_plural("%(num)d is rated “%(rating)s”", "%(num)d are rated “%(rating)s”")


def follow_up_summary(campaign_id: int, language: str = "en") -> dict[str, Any]:
    """Counts of agreed ratings per level of the follow-up scale, JSON-friendly:

    {"total": registry size, "rated": agreed ratings, "awaiting": without an agreed rating,
     "not_assessed": rated "not assessed", "assessed": the rest of the rated,
     "levels": [{"code", "label", "colour", "assessed", "count"}, ...] in scale order}"""
    counts = dict(
        db.session.execute(
            select(FollowUp.level_id, func.count(FollowUp.id))
            .where(FollowUp.campaign_id == campaign_id, FollowUp.status == JudgmentStatus.AGREED)
            .group_by(FollowUp.level_id)
        ).all()
    )
    total = db.session.execute(select(func.count(Recommendation.id))).scalar_one()
    levels = [
        {
            "code": level.code,
            "label": level.name_in(language),
            "colour": level.colour,
            "assessed": level.counts_as_assessed,
            "count": counts.get(level.id, 0),
        }
        for level in levels_of(Scales.FOLLOW_UP, active_only=False)
    ]
    rated = sum(level["count"] for level in levels)
    not_assessed = sum(level["count"] for level in levels if not level["assessed"])
    return {
        "total": total,
        "rated": rated,
        "awaiting": total - rated,
        "not_assessed": not_assessed,
        "assessed": rated - not_assessed,
        "levels": levels,
    }


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return gettext("%(list)s and %(last)s", list=", ".join(parts[:-1]), last=parts[-1])


def _rating_phrase(level: dict[str, Any]) -> str:
    singular, plural = RATING_PHRASES.get(level["code"], GENERIC_PHRASE)
    return ngettext(singular, plural, level["count"], rating=level["label"])


def summary_sentence(summary: dict[str, Any], language: str | None = None) -> str:
    """The summary in words, in `language` (default: the request's)."""
    if language is None:
        return _sentence(summary)
    with force_locale(language):
        return _sentence(summary)


def _sentence(summary: dict[str, Any]) -> str:
    rated, not_assessed, assessed = summary["rated"], summary["not_assessed"], summary["assessed"]
    sentences = []
    if rated == 0:
        if summary["awaiting"]:
            return ngettext(
                "%(num)d recommendation is registered; none has an agreed rating yet.",
                "%(num)d recommendations are registered; none has an agreed rating yet.",
                summary["awaiting"],
            )
        return gettext("No recommendations are registered yet.")
    else:
        of_total = ngettext("Of %(num)d recommendation", "Of %(num)d recommendations", rated)
        if not_assessed:
            sentences.append(
                gettext(
                    "%(of_total)s, %(not_assessed)s.",
                    of_total=of_total,
                    not_assessed=ngettext(
                        "%(num)d was not assessed for lack of information",
                        "%(num)d were not assessed for lack of information",
                        not_assessed,
                    ),
                )
            )
        if assessed:
            ratings = [
                _rating_phrase(level)
                for level in summary["levels"]
                if level["assessed"] and level["count"]
            ]
            of_assessed = (
                ngettext("Of the %(num)d assessed", "Of the %(num)d assessed", assessed)
                if not_assessed
                else of_total
            )
            sentences.append(
                gettext("%(of)s, %(ratings)s.", of=of_assessed, ratings=_join(ratings))
            )
    if summary["awaiting"]:
        sentences.append(
            ngettext(
                "%(num)d more recommendation has no agreed rating yet.",
                "%(num)d more recommendations have no agreed rating yet.",
                summary["awaiting"],
            )
        )
    return " ".join(sentences)
