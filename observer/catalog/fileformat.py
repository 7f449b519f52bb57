"""Catalog files (JSON or YAML): parsing with line numbers and validation, without the database.

`validate_catalog(data)` turns the parsed mapping into a `CatalogSpec` holding only the keys the
file states (so a re-load never resets what the file leaves out) or raises `CatalogError` listing
every problem with where it is. The format is described in docs/catalog-format.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

FORMAT_VERSION = "observer-catalog/1"
MAX_PROBLEMS = 50


class CatalogError(ValueError):
    """A catalog file that cannot be loaded; `problems` lists each one with its location."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"Invalid catalog: {self.problems[0]}"
        lines = [f"Invalid catalog ({len(self.problems)} problems):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


# --- parsing -------------------------------------------------------------------------------


class _LineDict(dict):
    """A mapping that remembers the line it started on, for error messages."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping_with_line(loader, node):
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line
)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise CatalogError(f"{where}not valid YAML ({error.problem or error})") from None
    except yaml.YAMLError as error:
        raise CatalogError(f"not valid YAML ({error})") from None


def _parse_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    # JSON is (nearly) YAML: reading it again through the YAML loader gives line numbers for
    # validation messages. Use that copy only when it is the very same data.
    try:
        with_lines = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return data
    return with_lines if with_lines == data else data


def parse_catalog_text(text: str, filename: str = "") -> Any:
    """Parse by the file's extension (.json, .yaml, .yml); otherwise try JSON, then YAML."""
    name = filename.lower()
    if name.endswith(".json"):
        return _parse_json(text)
    if name.endswith((".yaml", ".yml")):
        return _parse_yaml(text)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _parse_json(text)
    return _parse_yaml(text)


def read_catalog_file(path) -> Any:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogError(f"the file is not UTF-8 text (byte {error.start})") from None
    return parse_catalog_text(text, str(path))


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    label: str
    kind: str = "text"  # text | date | int | bool
    required: bool = False
    max_length: int | None = None
    pattern: re.Pattern | None = None
    pattern_hint: str = ""
    transform: Any = None  # applied to text before checking (e.g. str.upper)
    min_value: int = 0
    max_value: int = 100_000


def _names(max_length: int) -> dict[str, Field]:
    return {
        "name_en": Field("English name", required=True, max_length=max_length),
        "name_be": Field("Belarusian name", max_length=max_length),
        "name_ru": Field("Russian name", max_length=max_length),
    }


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STAGE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
CRITERION_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
ISO_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

CAMPAIGN_FIELDS = {
    "slug": Field(
        "slug",
        required=True,
        max_length=64,
        pattern=SLUG,
        pattern_hint="lower-case letters, digits and hyphens",
        transform=str.lower,
    ),
    # Required only when the campaign is new (checked against the database when loading), so a
    # file that adds criteria to an existing campaign may name it by its slug alone.
    "name_en": Field("English name", max_length=200),
    "name_be": Field("Belarusian name", max_length=200),
    "name_ru": Field("Russian name", max_length=200),
    "reference_year": Field("reference year", kind="int", min_value=1990, max_value=2200),
    "starts_on": Field("start date", kind="date"),
    "ends_on": Field("end date", kind="date"),
    "election_day": Field("election day", kind="date"),
    "active": Field("active flag", kind="bool"),
}
STAGE_FIELDS = {
    "code": Field(
        "code",
        required=True,
        max_length=32,
        pattern=STAGE_CODE,
        pattern_hint="lower-case letters, digits and underscores",
        transform=str.lower,
    ),
    **_names(200),
    "starts_on": Field("start date", kind="date"),
    "ends_on": Field("end date", kind="date"),
    "position": Field("position", kind="int"),
    "active": Field("active flag", kind="bool"),
}
CRITERION_FIELDS = {
    "code": Field(
        "code",
        required=True,
        max_length=16,
        pattern=CRITERION_CODE,
        pattern_hint="letters and digits in groups joined by hyphens, e.g. CAM-05",
        transform=str.upper,
    ),
    "stage": Field("stage", required=True, max_length=32, transform=str.lower),
    **_names(200),
    "description_en": Field("English description"),
    "description_be": Field("Belarusian description"),
    "description_ru": Field("Russian description"),
    "references": Field("references"),
    "position": Field("position", kind="int"),
    "active": Field("active flag", kind="bool"),
}
REGION_FIELDS = {
    "iso_code": Field(
        "ISO code",
        required=True,
        max_length=8,
        pattern=ISO_CODE,
        pattern_hint="like BY-MI",
        transform=str.upper,
    ),
    **_names(120),
    "position": Field("position", kind="int"),
}
DISTRICT_FIELDS = _names(120)
TOP_LEVEL_KEYS = {"format", "about", "campaign", "stages", "criteria", "regions"}


@dataclass
class RegionSpec:
    values: dict[str, Any]
    districts: list[dict[str, Any]]


@dataclass
class CatalogSpec:
    campaign: dict[str, Any] | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)
    regions: list[RegionSpec] = field(default_factory=list)


class _Problems:
    def __init__(self):
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise CatalogError(self.items)


def _where(section: str, index: int | None, item: Any, key: str | None = None) -> str:
    label = section if index is None else f"{section} item {index + 1}"
    if isinstance(item, dict) and key and isinstance(item.get(key), str) and item[key].strip():
        label += f" ({item[key].strip()})"
    line = getattr(item, "line", None)
    if line:
        label += f", line {line}"
    return label


def _convert(value: Any, spec: Field) -> tuple[Any, str | None]:
    """The value in its stored form, or an error message."""
    if spec.kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "must be a whole number"
        if not spec.min_value <= value <= spec.max_value:
            return None, f"must be between {spec.min_value} and {spec.max_value}"
        return value, None
    if spec.kind == "date":
        if isinstance(value, date):
            return value, None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()), None
            except ValueError:
                pass
        return None, "must be a date written YYYY-MM-DD"
    if not isinstance(value, str):
        return None, "must be text"
    text = value.strip()
    if spec.transform:
        text = spec.transform(text)
    if spec.max_length and len(text) > spec.max_length:
        return None, f"is longer than {spec.max_length} characters"
    if text and spec.pattern and not spec.pattern.match(text):
        return None, f"{text!r} is not valid ({spec.pattern_hint})"
    return text or None, None


def _check_item(
    item: Any, fields: dict[str, Field], where: str, problems: _Problems, allowed_extra=()
) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        problems.add(where, "must be a mapping of keys to values")
        return None
    values: dict[str, Any] = {}
    for key in item:
        if key not in fields and key not in allowed_extra:
            known = ", ".join(fields)
            problems.add(where, f"unknown key {key!r} (known keys: {known})")
    for key, spec in fields.items():
        raw = item.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems.add(where, f"missing {spec.label} ({key})")
            elif key in item and spec.kind == "text":
                values[key] = None  # an explicit blank clears the text
            continue
        value, error = _convert(raw, spec)
        if error:
            problems.add(where, f"{spec.label} ({key}) {error}")
        else:
            values[key] = value
    return values


def _check_dates(values: dict, where: str, problems: _Problems) -> None:
    start, end = values.get("starts_on"), values.get("ends_on")
    if start and end and end < start:
        problems.add(where, "end date (ends_on) is before start date (starts_on)")


def _list_section(data: dict, key: str, problems: _Problems) -> list:
    section = data.get(key)
    if section is None:
        return []
    if not isinstance(section, list):
        problems.add(key, "must be a list")
        return []
    return section


def _check_unique(seen: dict, key: str, where: str, what: str, problems: _Problems) -> None:
    folded = key.casefold()
    if folded in seen:
        problems.add(where, f"duplicate {what} {key!r} (also at {seen[folded]})")
    else:
        seen[folded] = where


def validate_catalog(data: Any, known_stage_codes: set[str] = frozenset()) -> CatalogSpec:
    """Check everything and return the normalised spec; `known_stage_codes` are stages that
    already exist for the campaign in the database, so criteria may refer to them."""
    if not isinstance(data, dict):
        raise CatalogError(
            "the file must hold a mapping with campaign, stages, criteria and/or regions"
        )
    problems = _Problems()
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.add("file", f"unknown section {key!r} (known: {', '.join(TOP_LEVEL_KEYS)})")
    if "format" in data and data["format"] != FORMAT_VERSION:
        problems.add("file", f"format must be {FORMAT_VERSION!r}, not {data['format']!r}")
    spec = CatalogSpec()

    if data.get("campaign") is not None:
        where = _where("campaign", None, data["campaign"], "slug")
        spec.campaign = _check_item(data["campaign"], CAMPAIGN_FIELDS, where, problems)
        if spec.campaign:
            _check_dates(spec.campaign, where, problems)
            start, end = spec.campaign.get("starts_on"), spec.campaign.get("ends_on")
            day = spec.campaign.get("election_day")
            if day and start and end and not start <= day <= end:
                problems.add(where, "election day falls outside the campaign's dates")

    seen: dict[str, str] = {}
    for index, item in enumerate(_list_section(data, "stages", problems)):
        where = _where("stages", index, item, "code")
        values = _check_item(item, STAGE_FIELDS, where, problems)
        if values and values.get("code"):
            _check_unique(seen, values["code"], where, "stage code", problems)
            _check_dates(values, where, problems)
            values.setdefault("_default_position", index + 1)
            spec.stages.append(values)
    stage_codes = {stage["code"] for stage in spec.stages} | set(known_stage_codes)

    seen = {}
    for index, item in enumerate(_list_section(data, "criteria", problems)):
        where = _where("criteria", index, item, "code")
        values = _check_item(item, CRITERION_FIELDS, where, problems)
        if values and values.get("code"):
            _check_unique(seen, values["code"], where, "criterion code", problems)
            stage = values.get("stage")
            if stage and stage not in stage_codes:
                listed = ", ".join(sorted(stage_codes)) or "none"
                problems.add(where, f"unknown stage {stage!r} (stages: {listed})")
            values.setdefault("_default_position", index + 1)
            spec.criteria.append(values)

    if (spec.stages or spec.criteria) and not data.get("campaign"):
        problems.add("file", "stages and criteria need a campaign section (at least its slug)")

    seen = {}
    for index, item in enumerate(_list_section(data, "regions", problems)):
        where = _where("regions", index, item, "iso_code")
        values = _check_item(item, REGION_FIELDS, where, problems, allowed_extra=("districts",))
        if not values or not values.get("iso_code"):
            continue
        _check_unique(seen, values["iso_code"], where, "region ISO code", problems)
        values.setdefault("_default_position", index + 1)
        districts = []
        raw_districts = item.get("districts") or []
        if not isinstance(raw_districts, list):
            problems.add(where, "districts must be a list")
            raw_districts = []
        seen_districts: dict[str, str] = {}
        for d_index, d_item in enumerate(raw_districts):
            d_where = f"{where}, " + _where("districts", d_index, d_item, "name_en")
            d_values = _check_item(d_item, DISTRICT_FIELDS, d_where, problems)
            if d_values and d_values.get("name_en"):
                _check_unique(seen_districts, d_values["name_en"], d_where, "district", problems)
                districts.append(d_values)
        spec.regions.append(RegionSpec(values, districts))

    if not (spec.campaign or spec.regions) and not problems.items:
        problems.add("file", "nothing to load: give a campaign (with stages, criteria) or regions")
    problems.raise_if_any()
    return spec
