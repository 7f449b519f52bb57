"""The figure registry: every figure a statement can place in its text.

A provider computes one figure's data at snapshot time, as JSON-friendly data of one of four
kinds, with every label in the three statement languages (``{"en": ..., "be": ..., "ru": ...}``),
so all language versions of a statement render the same frozen numbers:

- ``number``: ``{"value": 12, "title": {...}}`` (``value`` None when suppressed);
- ``text``: ``{"text": {"en": ..., ...}, "title": {...}}``, a sentence written from figures;
- ``counts``: labelled counts with a total, shown as a table or a bar chart;
- ``table``: columns and rows of cells (text or numbers), e.g. an assessment matrix;
- ``cases``: case examples in the coordinator's public wording.

Adding a provider is a function and one ``register`` call; `PROVIDER_MODULES` lists the modules
that register theirs, imported once on first use. Rendering (PDF in pdf_figures.py, HTML in
templates/statements/_figure.html, open data in opendata.py) knows only the kinds."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from observer.statements.placeholders import Placeholder

PROVIDER_MODULES = [
    "observer.statements.incident_figures",
    "observer.statements.judgment_figures",
    "observer.statements.process_figures",
]
KINDS = ("number", "text", "counts", "table", "cases")
INLINE_KINDS = ("number", "text")  # placed inside a sentence; the others are blocks
BLOCK_DISPLAYS = {"counts": ("table", "chart"), "table": ("table",), "cases": ("list",)}


class FigureError(ValueError):
    """A placeholder names no figure, or a figure cannot be computed; the message says why."""


@dataclass(frozen=True)
class FigureContext:
    """What a statement covers; providers compute their figures for it."""

    campaign_id: int
    stage_ids: tuple[int, ...]
    period_start: date
    period_end: date
    statement_id: int | None = None
    suppression_threshold: int = 3


@dataclass(frozen=True)
class FigureProvider:
    name: str
    kind: str
    compute: Callable[[FigureContext, dict[str, str]], dict[str, Any]]
    description: Any = ""  # shown in the composer's list of figures (a lazy translation)
    params: tuple[str, ...] = ()
    example: str = ""
    #: Counts of incidents per area below region level: small cells are suppressed in public.
    small_areas: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def displays(self) -> tuple[str, ...]:
        if self.kind in INLINE_KINDS:
            return ("number",) if self.kind == "number" else ()
        return BLOCK_DISPLAYS[self.kind]


_REGISTRY: dict[str, FigureProvider] = {}
_loaded = False


def register(provider: FigureProvider) -> FigureProvider:
    if provider.kind not in KINDS:
        raise ValueError(f"unknown figure kind {provider.kind!r}")
    _REGISTRY[provider.name] = provider
    return provider


def providers() -> dict[str, FigureProvider]:
    global _loaded
    if not _loaded:
        for module in PROVIDER_MODULES:
            importlib.import_module(module)
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


def provider_for(placeholder: Placeholder) -> FigureProvider:
    """The provider a placeholder names, or FigureError saying what is wrong with it."""
    found = providers().get(placeholder.name)
    if found is None:
        raise FigureError(_l("no figure is called “%(name)s”", name=placeholder.name))
    unknown = [key for key, _value in placeholder.params if key not in found.params]
    if unknown:
        raise FigureError(
            _l("“%(name)s” takes no option “%(option)s”", name=placeholder.name, option=unknown[0])
        )
    if placeholder.display and placeholder.display not in found.displays:
        possible = ", ".join(found.displays) or "—"
        raise FigureError(
            _l(
                "“%(name)s” cannot be shown as “%(display)s” (possible: %(possible)s)",
                name=placeholder.name,
                display=placeholder.display,
                possible=possible,
            )
        )
    return found


def is_block(placeholder: Placeholder) -> bool:
    """A lone placeholder is a block unless it names a single number (or cannot be resolved)."""
    found = providers().get(placeholder.name)
    if found is None:
        return placeholder.display in ("table", "chart", "list")
    return found.kind not in INLINE_KINDS and placeholder.display != "number"


def compute(placeholder: Placeholder, context: FigureContext) -> dict[str, Any]:
    found = provider_for(placeholder)
    data = found.compute(context, dict(placeholder.params))
    data.setdefault("kind", found.kind)
    data["figure"] = placeholder.key
    if found.small_areas:
        data["small_areas"] = True
    return data


# --- reading figure data (shared by the PDF, the HTML and the open data) --------------------


def tr(value: Any, language: str) -> str:
    """A label in `language` (a plain string is the same in every language)."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def labels(en: str, be: str, ru: str) -> dict[str, str]:
    return {"en": en, "be": be, "ru": ru}


def localized(row: Any) -> dict[str, str]:
    """{"en","be","ru"} names of a catalog row (Localized), falling back to English."""
    return {code: row.name_in(code) for code in ("en", "be", "ru")}
