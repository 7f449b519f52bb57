"""Checking a statement's placeholders and freezing the figures they name (one snapshot per
statement: its language versions publish the same frozen data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from observer.statements.figures import FigureContext, FigureError, compute, provider_for
from observer.statements.placeholders import Placeholder, PlaceholderSyntaxError, Prompt, find
from observer.statements.suppression import suppress

# The figures of the annex, in every statement.
ANNEX = (
    "incidents.by_criterion",
    "incidents.by_stage",
    "incidents.by_region",
    "incidents.by_severity",
)


@dataclass(frozen=True)
class Part:
    """A text of the statement and how to name it in a message."""

    where: str
    text: str


def statement_parts(statement) -> list[Part]:
    parts = [Part(str(_l("Key findings")), statement.key_findings or "")]
    parts += [Part(section.heading, section.body or "") for section in statement.sections]
    parts += [
        Part(str(_l("Recommendations")), statement.recommendations or ""),
        Part(str(_l("Methodology note")), statement.methodology or ""),
    ]
    return parts


def check(parts: list[Part], available: dict[str, Any] | None = None) -> list[str]:
    """Every problem that stops publication, worded for the coordinator. `available`: the
    frozen figures a translation must use (its original's); None to check against providers."""
    problems: list[str] = []
    for part in parts:
        if not part.text.strip():
            if part.where not in (str(_l("Recommendations")), str(_l("Methodology note"))):
                problems.append(
                    str(_l("“%(where)s” is empty: write it or remove it.", where=part.where))
                )
            continue
        for found in find(part.text):
            if isinstance(found, PlaceholderSyntaxError):
                problems.append(
                    str(
                        _l(
                            "“%(where)s”: %(text)s cannot be read; write [[name]] or "
                            "[[name option=value table]].",
                            where=part.where,
                            text=found.text,
                        )
                    )
                )
            elif isinstance(found, Prompt):
                problems.append(
                    str(
                        _l(
                            "“%(where)s” still has the template's prompt “%(prompt)s”: "
                            "replace it with your text.",
                            where=part.where,
                            prompt=found.text,
                        )
                    )
                )
            else:
                problem = _placeholder_problem(found, available)
                if problem:
                    problems.append(
                        str(_l("“%(where)s”: %(problem)s.", where=part.where, problem=problem))
                    )
    return problems


def _placeholder_problem(placeholder: Placeholder, available: dict[str, Any] | None) -> str:
    try:
        provider_for(placeholder)
    except FigureError as error:
        return f"{placeholder.source}: {error}"
    if available is not None and placeholder.key not in available:
        return str(
            _l(
                "%(text)s is not among the figures of the statement this one translates",
                text=placeholder.source,
            )
        )
    return ""


def placeholders(parts: list[Part]) -> list[Placeholder]:
    found = []
    for part in parts:
        found += [p for p in find(part.text) if isinstance(p, Placeholder)]
    return found


def freeze(parts: list[Part], context: FigureContext) -> tuple[dict[str, Any], list[str]]:
    """The figures every placeholder (and the annex) names, computed once each, suppressed
    for public output; with the problems met computing them (a stage that does not exist...)."""
    figures: dict[str, Any] = {}
    problems: list[str] = []
    wanted = [Placeholder(name) for name in ANNEX] + placeholders(parts)
    for placeholder in wanted:
        if placeholder.key in figures:
            continue
        try:
            provider_for(placeholder)
        except FigureError:
            continue  # `check` has said what is wrong with it, and where
        try:
            data = compute(placeholder, context)
        except FigureError as error:
            problems.append(f"{placeholder.source}: {error}")
            continue
        figures[placeholder.key] = suppress(data, context.suppression_threshold)
    return figures, problems


def freeze_one(key: str, context: FigureContext) -> tuple[dict[str, Any] | None, list[str]]:
    """One figure by its snapshot key (name and parameters)."""
    name, *options = key.split(" ")
    placeholder = Placeholder(name, tuple(tuple(o.split("=", 1)) for o in options), "", key)
    try:
        return suppress(compute(placeholder, context), context.suppression_threshold), []
    except FigureError as error:
        return None, [f"[[{key}]]: {error}"]
