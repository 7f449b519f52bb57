"""The content every judgment carries, checked the same way for assessments and follow-ups: a
level of the judgment's scale, the reasoning in the statement languages (English alone is
allowed; a level may require it), and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from observer.assessments.evidence import (
    EvidenceError,
    EvidenceItem,
    new_links,
    parse_evidence,
    stored_items,
)
from observer.assessments.four_eyes import Judgment, JudgmentError
from observer.assessments.scales import level_by_code
from observer.models import ScaleLevel, User
from observer.models.base import LANGUAGES

REASONING_MAX = 20_000


@dataclass
class JudgmentContent:
    level_code: str
    reasoning: dict[str, str] = field(default_factory=dict)  # {"en": ..., "be": ..., "ru": ...}
    reports: str = ""
    figures: str = ""
    documents: str = ""
    note: str | None = None


@dataclass
class CheckedContent:
    level: ScaleLevel
    reasoning: dict[str, str | None]
    evidence: list[EvidenceItem]


def check_content(
    content: JudgmentContent, scale: str, *, campaign_id: int, actor: User
) -> CheckedContent:
    """Everything checked at once; JudgmentError lists every problem by form field."""
    problems: dict[str, list] = {}
    level = level_by_code(scale, (content.level_code or "").strip().lower())
    if level is None:
        problems["level"] = [_l("Unknown rating “%(code)s”.", code=content.level_code or "")]
    reasoning = {lang: ((content.reasoning.get(lang) or "").strip() or None) for lang in LANGUAGES}
    for lang, text in reasoning.items():
        if text and len(text) > REASONING_MAX:
            problems.setdefault(f"reasoning_{lang}", []).append(
                _l("The reasoning is longer than %(max)s characters.", max=REASONING_MAX)
            )
    if level is not None and level.reasoning_required and not reasoning["en"]:
        problems.setdefault("reasoning_en", []).append(
            _l("“%(level)s” needs its reasoning, at least in English.", level=level.name_en)
        )
    evidence: list[EvidenceItem] = []
    try:
        evidence = parse_evidence(
            reports=content.reports,
            figures=content.figures,
            documents=content.documents,
            campaign_id=campaign_id,
            actor=actor,
        )
    except EvidenceError as error:
        for box, messages in error.problems.items():
            problems.setdefault(box, []).extend(messages)
    if problems:
        raise JudgmentError(problems)
    return CheckedContent(level, reasoning, evidence)


def differs(judgment: Judgment, checked: CheckedContent) -> bool:
    return (
        judgment.level_id != checked.level.id
        or any(
            getattr(judgment, f"reasoning_{lang}") != text
            for lang, text in checked.reasoning.items()
        )
        or stored_items(judgment.evidence) != checked.evidence
    )


def apply_content(judgment: Judgment, checked: CheckedContent) -> None:
    judgment.level = checked.level
    judgment.level_id = checked.level.id
    for lang, text in checked.reasoning.items():
        setattr(judgment, f"reasoning_{lang}", text)
    if stored_items(judgment.evidence) != checked.evidence:
        judgment.evidence = new_links(checked.evidence)


def content_snapshot(judgment: Judgment) -> dict[str, Any]:
    """The judgment's content as the chain records it (and statements may freeze it)."""
    return {
        "level": judgment.level.code,
        "reasoning": {lang: getattr(judgment, f"reasoning_{lang}") for lang in LANGUAGES},
        "evidence": [item.as_dict() for item in stored_items(judgment.evidence)],
    }
