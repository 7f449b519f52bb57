"""A report citing the commission or candidate it concerns: the form's two optional fields
(written "DEC 95", "TEC Barysaw, BY-MI"; "Maria K" or "Maria K, 95"), the check that what they
name exists in the report's campaign, how a cited record is shown, and the counts of reports
citing each record for the dashboard."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import StringField

from observer.extensions import db
from observer.models import Candidate, Commission, CommissionLevel, Election, Region, Report

NOT_FOUND = -1  # what a field holds when its text names nothing: refused by check_record_links
AMBIGUOUS = -2


def _split(text: str) -> tuple[str, str | None]:
    head, _sep, tail = text.partition(",")
    return head.strip(), (tail.strip() or None)


ABBREVIATION = re.compile(r"\(([^)]+)\)")


def _level_ids(word: str) -> set[int]:
    """Levels named by their code (dec) or by the abbreviation their names carry in brackets,
    in any language (DEC, ОИК, АВК): observers write what they know."""
    word = word.strip().casefold()
    found = set()
    for level in db.session.execute(select(CommissionLevel)).scalars():
        names = (level.name_en, level.name_be or "", level.name_ru or "")
        abbreviations = {m.casefold() for n in names for m in ABBREVIATION.findall(n)}
        if word == level.code.casefold() or word in abbreviations:
            found.add(level.id)
    return found


def find_commission(text: str, campaign_id: int) -> int:
    """The id of the commission written "LEVEL NAME[, REGION]", NOT_FOUND or AMBIGUOUS."""
    head, region = _split(text)
    level, _sep, name = head.partition(" ")
    query = (
        select(Commission.id)
        .outerjoin(Region, Commission.region_id == Region.id)
        .where(
            Commission.campaign_id == campaign_id,
            Commission.level_id.in_(_level_ids(level)),
            func.lower(Commission.name) == name.strip().lower(),
        )
        .limit(2)
    )
    if region:
        query = query.where(func.upper(Region.iso_code) == region.upper())
    found = list(db.session.execute(query).scalars())
    return found[0] if len(found) == 1 else (AMBIGUOUS if found else NOT_FOUND)


def find_candidate(text: str, campaign_id: int) -> int:
    """The id of the candidate written "NAME[, CONSTITUENCY]", NOT_FOUND or AMBIGUOUS."""
    name, constituency = _split(text)
    query = (
        select(Candidate.id)
        .join(Election, Candidate.election_id == Election.id)
        .where(Election.campaign_id == campaign_id, func.lower(Candidate.name) == name.lower())
        .limit(2)
    )
    if constituency:
        query = query.where(func.lower(Candidate.constituency) == constituency.lower())
    found = list(db.session.execute(query).scalars())
    return found[0] if len(found) == 1 else (AMBIGUOUS if found else NOT_FOUND)


def commission_text(commission_id: int | None) -> str:
    if not commission_id or commission_id < 0:
        return ""
    row = db.session.execute(
        select(CommissionLevel.code, Commission.name, Region.iso_code)
        .join(CommissionLevel, Commission.level_id == CommissionLevel.id)
        .outerjoin(Region, Commission.region_id == Region.id)
        .where(Commission.id == commission_id)
    ).first()
    if row is None:
        return ""
    text = f"{row.code.upper()} {row.name}"
    return f"{text}, {row.iso_code}" if row.iso_code else text


def candidate_text(candidate_id: int | None) -> str:
    if not candidate_id or candidate_id < 0:
        return ""
    row = db.session.execute(
        select(Candidate.name, Candidate.constituency).where(Candidate.id == candidate_id)
    ).first()
    return f"{row.name}, {row.constituency}" if row else ""


class RecordRefField(StringField):
    """Text naming a record; `record_id` is what it resolved to (None when empty). The form
    data it is filled from may be the stored id (editing a report)."""

    def __init__(self, label, finder, describer, **kwargs):
        super().__init__(label, **kwargs)
        self.finder = finder
        self.describer = describer
        self.campaign_id: int | None = None

    def process_data(self, value):
        self.data = self.describer(value) if isinstance(value, int) else value

    @property
    def record_id(self) -> int | None:
        text = (self.data or "").strip()
        if not text:
            return None
        if self.campaign_id is None:
            return NOT_FOUND
        return self.finder(text, self.campaign_id)


def commission_field() -> RecordRefField:
    return RecordRefField(
        _l("Commission concerned (optional)"),
        find_commission,
        commission_text,
        description=_l("Its level and number or name, e.g. DEC 95 or TEC Barysaw, BY-MI."),
    )


def candidate_field() -> RecordRefField:
    return RecordRefField(
        _l("Candidate concerned (optional)"),
        find_candidate,
        candidate_text,
        description=_l("The name as registered, and the constituency if several share it."),
    )


MESSAGES = {
    ("commission_id", NOT_FOUND): _l("No such commission in this campaign's records."),
    ("commission_id", AMBIGUOUS): _l(
        "Several commissions match: add the region after a comma, e.g. DEC 95, BY-HM."
    ),
    ("candidate_id", NOT_FOUND): _l("No such candidate in this campaign's records."),
    ("candidate_id", AMBIGUOUS): _l("Several candidates match: add the constituency."),
}


def check_record_links(data, campaign, fail) -> None:
    """Part of validate_report_data: a cited record must exist in the report's campaign."""
    for name, model, campaign_of in (
        ("commission_id", Commission, lambda r: r.campaign_id),
        ("candidate_id", Candidate, lambda r: r.election.campaign_id),
    ):
        value = getattr(data, name, None)
        if value is None:
            continue
        if value in (NOT_FOUND, AMBIGUOUS):
            fail(name, MESSAGES[(name, value)])
            continue
        record = db.session.get(model, value) if isinstance(value, int) else None
        if record is None or campaign_of(record) != campaign.id:
            fail(name, MESSAGES[(name, NOT_FOUND)])


@dataclass
class Cited:
    kind: str  # commission | candidate
    record_id: int
    text: str
    reports: int


def cited_records(conditions, limit: int = 20) -> list[Cited]:
    """The records most cited by the reports matching `conditions` (a ReportFilter's)."""
    result = []
    for kind, column, describe in (
        ("commission", Report.commission_id, commission_text),
        ("candidate", Report.candidate_id, candidate_text),
    ):
        rows = db.session.execute(
            select(column, func.count(Report.id).label("n"))
            .where(*conditions, column.is_not(None))
            .group_by(column)
            .order_by(func.count(Report.id).desc(), column)
            .limit(limit)
        )
        result += [Cited(kind, record_id, describe(record_id), n) for record_id, n in rows]
    return result
