"""Declared columns and the conversion of one cell to its stored value.

A `Column` names a column of the file and says what its cells hold: `type` is one of
text, int, decimal, date, datetime, bool, code (one of `codes`) or ref (a natural key resolved
by `ref`, a `Reference`); a text column may `parse` its text further. Converting a cell
returns the value or a translatable message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

TYPES = ("text", "int", "decimal", "date", "datetime", "bool", "code", "ref")
TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}


@dataclass(frozen=True)
class Reference:
    """Records named by a natural key: `load()` returns {key: value} (keys are compared
    case-insensitively); `what` names them in messages ("organisation", "region")."""

    what: Any
    load: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    # May the column be missing from the file? (The minimum columns may not.)
    optional_column: bool = False
    codes: Iterable[str] | Callable[[], Iterable[str]] | None = None
    ref: Reference | None = None
    max_length: int | None = 200
    min_value: Any = None
    max_value: Any = None
    # Text columns only: (trimmed text) -> (stored value, None) or (None, message), applied
    # after the length check, e.g. to normalise an email address or split a list.
    parse: Callable[[str], tuple[Any, Any]] | None = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}")
        if self.type == "code" and self.codes is None:
            raise ValueError(f"column {self.name}: a code column needs codes")
        if self.type == "ref" and self.ref is None:
            raise ValueError(f"column {self.name}: a ref column needs a Reference")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _in_range(column: Column, value):
    if column.min_value is not None and value < column.min_value:
        return None, _l("must be at least %(min)s", min=column.min_value)
    if column.max_value is not None and value > column.max_value:
        return None, _l("must be at most %(max)s", max=column.max_value)
    return value, None


def _to_int(column: Column, value: Any):
    if isinstance(value, bool):
        return None, _l("must be a whole number")
    if isinstance(value, int):
        return _in_range(column, value)
    text = _as_text(value).replace(" ", "").replace("\u00a0", "")
    if not text.lstrip("-").isdigit():
        return None, _l("“%(value)s” is not a whole number", value=_as_text(value))
    return _in_range(column, int(text))


def _to_decimal(column: Column, value: Any):
    if isinstance(value, bool):
        return None, _l("must be a number")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = _as_text(value).replace(" ", "").replace("\u00a0", "").rstrip("%")
        try:
            # A decimal comma is how be/ru spreadsheets write 74,3.
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, _l("“%(value)s” is not a number", value=_as_text(value))
        if not number.is_finite():
            return None, _l("“%(value)s” is not a number", value=_as_text(value))
    return _in_range(column, number)


def _to_datetime(value: Any):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), None
    text = _as_text(value).replace("Z", "+00:00")
    try:
        # The wall-clock time as the authorities published it; an offset, if given, is dropped.
        return datetime.fromisoformat(text).replace(tzinfo=None), None
    except ValueError:
        return None, _l(
            "“%(value)s” is not a date and time written YYYY-MM-DDTHH:MM", value=_as_text(value)
        )


def _to_date(value: Any):
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(_as_text(value)), None
    except ValueError:
        return None, _l("“%(value)s” is not a date written YYYY-MM-DD", value=_as_text(value))


def _to_bool(value: Any):
    if isinstance(value, bool):
        return value, None
    word = _as_text(value).lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, _l("“%(value)s” is not true or false", value=_as_text(value))


def convert(column: Column, value: Any, lookups: dict) -> tuple[Any, Any]:
    """(stored value, None) or (None, message). `lookups` holds the loaded codes and
    references, keyed by column name (see `load_lookups`)."""
    if column.type == "int":
        return _to_int(column, value)
    if column.type == "decimal":
        return _to_decimal(column, value)
    if column.type == "date":
        return _to_date(value)
    if column.type == "datetime":
        return _to_datetime(value)
    if column.type == "bool":
        return _to_bool(value)
    text = _as_text(value)
    if column.type == "code":
        codes = lookups[column.name]
        code = text.lower()
        if code not in codes:
            return None, _l(
                "“%(value)s” is not one of %(codes)s", value=text, codes=", ".join(codes)
            )
        return code, None
    if column.type == "ref":
        found = lookups[column.name].get(text.casefold())
        if found is None:
            return None, _l("unknown %(what)s “%(value)s”", what=column.ref.what, value=text)
        return found, None
    if column.max_length and len(text) > column.max_length:
        return None, _l("is longer than %(max)s characters", max=column.max_length)
    if column.parse is not None:
        return column.parse(text)
    return text, None


def load_lookups(columns: Iterable[Column]) -> dict[str, Any]:
    """Codes and references of the columns, loaded once for a whole file."""
    lookups: dict[str, Any] = {}
    for column in columns:
        if column.type == "code":
            codes = column.codes() if callable(column.codes) else column.codes
            lookups[column.name] = list(codes)
        elif column.type == "ref":
            lookups[column.name] = {
                str(key).casefold(): value for key, value in column.ref.load().items()
            }
    return lookups
