"""Shares and counts in the reader's language: 74.3% in English, 74,3 % in be and ru."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import format_decimal, get_locale


@lru_cache(maxsize=32)
def _percent_pattern(locale: Locale, decimals: str) -> NumberPattern:
    # Parsed once per language: a figures page formats dozens of shares.
    pattern = locale.percent_formats[None].pattern
    fraction = "0." + decimals
    pattern = pattern.replace("0%", fraction + "%").replace("0\u00a0%", fraction + "\u00a0%")
    return parse_pattern(pattern)


def share(value: float | None, decimals: str = "0") -> str:
    """A percentage (0-100) with one decimal, in the locale's own percent pattern;
    `decimals` "0#" keeps a second decimal when the value has one (published figures)."""
    if value is None:
        return "–"
    locale = get_locale() or Locale.parse("en")
    return _percent_pattern(locale, decimals).apply(value / 100.0, locale)


def count(value) -> str:
    return "–" if value is None else format_decimal(value)


def decimal(value, places: int = 2) -> str:
    if value is None:
        return "–"
    return format_decimal(value, "#,##0." + "0" * places) if places else format_decimal(value)
