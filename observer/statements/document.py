"""The plain data a statement PDF is rendered from (no Flask, no database).

`StatementDocument.from_dict` accepts the JSON-friendly form kept in a statement's snapshot (dates
as ISO strings), so a published PDF can be re-rendered from stored data alone, and a benchmark can
build one without an application."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True)
class CountRow:
    """One line of a statistics table: a key (code, id or level), its label and its count."""

    key: str
    label: str
    count: int
    group: str = ""  # e.g. the stage code a criterion belongs to


@dataclass(frozen=True)
class Statistics:
    total: int = 0
    districts: int = 0
    by_criterion: tuple[CountRow, ...] = ()
    by_stage: tuple[CountRow, ...] = ()
    by_region: tuple[CountRow, ...] = ()
    by_severity: tuple[CountRow, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    body: str = ""
    stage: str = ""  # stage code, when the section is about one stage


@dataclass(frozen=True)
class Correction:
    title: str
    published_on: date


@dataclass(frozen=True)
class StatementDocument:
    mission: str
    title: str
    language: str
    period_start: date
    period_end: date
    generated_at: datetime
    stages: tuple[str, ...] = ()
    key_findings: str = ""
    sections: tuple[Section, ...] = ()
    recommendations: str = ""
    methodology: str = ""
    statistics: Statistics = field(default_factory=Statistics)
    published_at: datetime | None = None
    corrects: Correction | None = None
    slug: str = ""
    # Frozen figures by placeholder key (figures.py), and the mission's cover details.
    figures: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatementDocument:
        stats = data.get("statistics") or {}

        def rows(name: str) -> tuple[CountRow, ...]:
            return tuple(
                CountRow(
                    key=str(row.get("key", "")),
                    label=str(row.get("label", "")),
                    count=int(row.get("count", 0)),
                    group=str(row.get("group", "") or ""),
                )
                for row in stats.get(name, ())
            )

        corrects = data.get("corrects")
        return cls(
            mission=str(data.get("mission", "")),
            title=str(data["title"]),
            language=str(data.get("language", "en")),
            period_start=_as_date(data["period_start"]),
            period_end=_as_date(data["period_end"]),
            generated_at=_as_datetime(data["generated_at"]),
            stages=tuple(str(s) for s in data.get("stages", ())),
            key_findings=str(data.get("key_findings", "") or ""),
            sections=tuple(
                Section(
                    heading=str(s.get("heading", "")),
                    body=str(s.get("body", "") or ""),
                    stage=str(s.get("stage", "") or ""),
                )
                for s in data.get("sections", ())
            ),
            recommendations=str(data.get("recommendations", "") or ""),
            methodology=str(data.get("methodology", "") or ""),
            statistics=Statistics(
                total=int(stats.get("total", 0)),
                districts=int(stats.get("districts", 0)),
                by_criterion=rows("by_criterion"),
                by_stage=rows("by_stage"),
                by_region=rows("by_region"),
                by_severity=rows("by_severity"),
            ),
            published_at=_as_datetime(data["published_at"]) if data.get("published_at") else None,
            corrects=Correction(
                title=str(corrects["title"]), published_on=_as_date(corrects["published_on"])
            )
            if corrects
            else None,
            slug=str(data.get("slug", "") or ""),
            figures=dict(data.get("figures") or {}),
            profile=dict(data.get("profile") or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (the inverse of from_dict)."""
        return _jsonable(asdict(self))


def _as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _as_datetime(value: datetime | str) -> datetime:
    """Always UTC: the database may hand back another zone, and the PDF prints UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    return value
