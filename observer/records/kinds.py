"""The four kinds of process records a file can load, declared for the import engine.

Each factory returns a `RecordKind` for the active campaign; the formats are described in
docs/process-records-format.md. Natural keys: an organisation by its English name; a nominee by
level, region, commission and name; a candidate by election, constituency and name; an official
figure by metric, region, moment and source address (two sources of one figure are both kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.imports import Column, RecordKind, Reference
from observer.models import (
    Campaign,
    Candidate,
    Commission,
    CommissionLevel,
    CommissionMember,
    District,
    Election,
    OfficialFigure,
    Organisation,
    RefusalReason,
    Region,
)
from observer.models.candidate import APPEAL_OUTCOMES, CANDIDATE_OUTCOMES, GENDERS
from observer.models.commission import OUTCOMES
from observer.records import terms

VOTERS = "voters"
PERCENT = "percent"
UNIT_ALIASES = {"%": PERCENT, "percent": PERCENT, "pct": PERCENT, "count": "count"}


class NoActiveCampaign(LookupError):
    pass


def _campaign() -> Campaign:
    campaign = active_campaign()
    if campaign is None:
        raise NoActiveCampaign
    terms.ensure_defaults(campaign)
    return campaign


def _regions() -> Reference:
    return Reference(
        _l("region"),
        lambda: dict(db.session.execute(select(Region.iso_code, Region.id)).all()),
    )


def _organisations() -> Reference:
    return Reference(
        _l("organisation"),
        lambda: dict(db.session.execute(select(Organisation.name_en, Organisation.id)).all()),
    )


def _needs_organisation(values: dict):
    if values["nominated_by"] is None and values["route"] != VOTERS:
        yield "nominated_by", _l("is required unless the route is voters")


def _outside(campaign: Campaign, day: date | None) -> bool:
    return day is not None and not campaign.starts_on <= day <= campaign.ends_on


def _outside_message(campaign: Campaign):
    return _l(
        "is outside the campaign (%(start)s to %(end)s)",
        start=campaign.starts_on.isoformat(),
        end=campaign.ends_on.isoformat(),
    )


def _added(record):
    db.session.add(record)
    return record


# --- organisations ----------------------------------------------------------------------------


def organisations_kind() -> RecordKind:
    terms.ensure_defaults(active_campaign())

    def find(keys):
        names = [key[0] for key in keys]
        found = db.session.execute(select(Organisation).where(Organisation.name_en.in_(names)))
        return {(org.name_en,): org for org in found.scalars()}

    return RecordKind(
        name="organisations",
        columns=[
            Column("name_en", required=True),
            Column("name_be"),
            Column("name_ru"),
            Column("kind", type="code", required=True, codes=lambda: terms.codes("route")),
            Column("alignment", type="code", required=True, codes=lambda: terms.codes("alignment")),
        ],
        key=["name_en"],
        find=find,
        attributes=lambda v: {
            "name_en": v["name_en"],
            "name_be": v["name_be"],
            "name_ru": v["name_ru"],
            "kind": v["kind"],
            "alignment": v["alignment"],
        },
        compared=["name_be", "name_ru", "kind", "alignment"],
        create=lambda attributes: _added(Organisation(**attributes)),
    )


# --- commissions and nominees ---------------------------------------------------------------


def commissions_kind() -> RecordKind:
    campaign = _campaign()
    levels = {level.code: level for level in db.session.execute(select(CommissionLevel)).scalars()}
    districts = {
        (region_id, name.casefold()): district_id
        for district_id, region_id, name in db.session.execute(
            select(District.id, District.region_id, District.name_en)
        )
    }
    commissions: dict[tuple, Commission] = {
        (c.level_id, c.region_id, c.name.casefold()): c
        for c in db.session.execute(
            select(Commission).where(Commission.campaign_id == campaign.id)
        ).scalars()
    }

    def district_of(values) -> int | None:
        name = values["district"]
        if name is None and values["level"] == "tec":
            name = values["commission"]  # a TEC is named after its district
        if name is None or values["region"] is None:
            return None
        return districts.get((values["region"], name.casefold()))

    def check(values, _row):
        if values["region"] is None and values["level"] != "cec":
            yield "region", _l("is required for this level")
        if values["district"] is not None and district_of(values) is None:
            yield (
                "district",
                _l("unknown district “%(value)s” in this region", value=values["district"]),
            )
        yield from _needs_organisation(values)

    def commission_key(values) -> tuple:
        return (levels[values["level"]].id, values["region"], values["commission"].casefold())

    def find(_keys):
        # Every nominee of the campaign, in one query: the engine matches keys itself.
        rows = db.session.execute(
            select(CommissionMember, CommissionLevel.code, Commission.region_id, Commission.name)
            .join(Commission, CommissionMember.commission_id == Commission.id)
            .join(CommissionLevel, Commission.level_id == CommissionLevel.id)
            .where(Commission.campaign_id == campaign.id)
        )
        return {
            (level, region_id, name, member.name): member for member, level, region_id, name in rows
        }

    def attributes(values):
        return {
            "commission_key": commission_key(values),
            "district_id": district_of(values),
            "name": values["member"],
            "organisation_id": values["nominated_by"],
            "route": values["route"],
            "outcome": values["outcome"],
        }

    def create(attributes):
        key = attributes.pop("commission_key")
        district_id = attributes.pop("district_id")
        commission = commissions.get(key)
        if commission is None:
            level_id, region_id, _name = key
            commission = _added(
                Commission(
                    campaign_id=campaign.id,
                    level_id=level_id,
                    region_id=region_id,
                    district_id=district_id,
                    name=attributes["_commission_name"],
                )
            )
            commissions[key] = commission
        attributes.pop("_commission_name")
        return _added(CommissionMember(commission=commission, **attributes))

    def attributes_with_name(values):
        result = attributes(values)
        result["_commission_name"] = values["commission"]
        return result

    return RecordKind(
        name="commissions",
        columns=[
            Column("level", type="code", required=True, codes=lambda: list(levels)),
            Column("commission", required=True, max_length=120),
            Column("region", type="ref", ref=_regions()),
            Column("district", max_length=120),
            Column("member", required=True),
            Column("nominated_by", type="ref", ref=_organisations()),
            Column("route", type="code", required=True, codes=lambda: terms.codes("route")),
            Column("outcome", type="code", required=True, codes=OUTCOMES),
        ],
        key=["level", "region", "commission", "member"],
        find=find,
        attributes=attributes_with_name,
        compared=["organisation_id", "route", "outcome"],
        create=create,
        check=check,
    )


# --- candidates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewReason:
    """A refusal reason not yet in the catalog: differs from every stored id, so the row is an
    update, and is added when written."""

    name: str


def candidates_kind() -> RecordKind:
    campaign = _campaign()
    elections = {
        e.code: e
        for e in db.session.execute(
            select(Election).where(Election.campaign_id == campaign.id)
        ).scalars()
    }
    reasons = {
        name.casefold(): reason_id
        for reason_id, name in db.session.execute(select(RefusalReason.id, RefusalReason.name_en))
    }
    added_reasons: dict[str, RefusalReason] = {}

    def check(values, _row):
        if values["outcome"] == "refused" and values["reason"] is None:
            yield "reason", _l("is required when the outcome is refused")
        for column in ("decided_on", "nominated_on", "registered_on", "appealed_on"):
            if _outside(campaign, values.get(column)):
                yield column, _outside_message(campaign)
        yield from _needs_organisation(values)

    def find(keys):
        election_ids = {elections[key[0]].id: key[0] for key in keys}
        found = db.session.execute(
            select(Candidate).where(Candidate.election_id.in_(list(election_ids)))
        ).scalars()
        return {(election_ids[c.election_id], c.constituency, c.name): c for c in found}

    def reason_id(name: str | None):
        if name is None:
            return None
        return reasons.get(name.casefold()) or NewReason(name)

    def attributes(values):
        outcome = values["outcome"]
        result = {
            "election_id": elections[values["election"]].id,
            "constituency": values["constituency"],
            "region_id": values["region"],
            "name": values["candidate"],
            "gender": values["gender"],
            "organisation_id": values["nominated_by"],
            "route": values["route"],
            "status": outcome,
            "refusal_reason_id": reason_id(values["reason"]) if outcome == "refused" else None,
        }
        # Earlier steps' dates are kept when a later file gives only the latest outcome.
        if values["decided_on"] is not None:
            result[f"{outcome}_on"] = values["decided_on"]
        for column in ("nominated_on", "registered_on", "appealed_on", "appeal_outcome"):
            if values.get(column) is not None:
                result[column] = values[column]
        return result

    def resolve_reason(attributes):
        reason = attributes.get("refusal_reason_id")
        if isinstance(reason, NewReason):
            key = reason.name.casefold()
            if key not in added_reasons:
                added_reasons[key] = _added(RefusalReason(name_en=reason.name))
                db.session.flush()
            attributes["refusal_reason_id"] = added_reasons[key].id
        return attributes

    def update(candidate, changes):
        for name, value in resolve_reason(changes).items():
            setattr(candidate, name, value)

    return RecordKind(
        name="candidates",
        columns=[
            Column("election", type="code", required=True, codes=lambda: list(elections)),
            Column("constituency", required=True, max_length=64),
            Column("region", type="ref", ref=_regions()),
            Column("candidate", required=True),
            Column("gender", type="code", codes=GENDERS),
            Column("nominated_by", type="ref", ref=_organisations()),
            Column("route", type="code", required=True, codes=lambda: terms.codes("route")),
            Column("outcome", type="code", required=True, codes=CANDIDATE_OUTCOMES),
            Column("reason"),
            Column("decided_on", type="date"),
            Column("nominated_on", type="date", optional_column=True),
            Column("registered_on", type="date", optional_column=True),
            Column("appeal_outcome", type="code", codes=APPEAL_OUTCOMES, optional_column=True),
            Column("appealed_on", type="date", optional_column=True),
        ],
        key=["election", "constituency", "candidate"],
        find=find,
        attributes=attributes,
        create=lambda attributes: _added(Candidate(**resolve_reason(attributes))),
        update=update,
        check=check,
    )


# --- official figures -------------------------------------------------------------------------


def figures_kind() -> RecordKind:
    campaign = _campaign()
    units = terms.metric_units()
    start = datetime.combine(campaign.starts_on, time.min)
    end = datetime.combine(campaign.ends_on, time.max)

    def check(values, _row):
        unit = UNIT_ALIASES.get((values["unit"] or "").lower())
        expected = units.get(values["metric"])
        if unit is None or (expected and unit != expected):
            yield (
                "unit",
                _l(
                    "“%(value)s” is not the unit of %(metric)s (%(unit)s)",
                    value=values["unit"] or "",
                    metric=values["metric"],
                    unit=expected or "percent, count",
                ),
            )
        elif unit == PERCENT and values["value"] > 100:
            yield "value", _l("a percentage cannot be over 100")
        if not start <= values["as_of"] <= end:
            yield "as_of", _outside_message(campaign)
        if not values["source_url"].lower().startswith(("http://", "https://")):
            yield "source_url", _l("must be a web address starting with http:// or https://")

    def find(keys):
        metrics = {key[0] for key in keys}
        found = db.session.execute(
            select(OfficialFigure).where(
                OfficialFigure.campaign_id == campaign.id, OfficialFigure.metric.in_(metrics)
            )
        ).scalars()
        return {(f.metric, f.region_id, f.as_of, f.source_url): f for f in found}

    return RecordKind(
        name="figures",
        columns=[
            Column("metric", type="code", required=True, codes=lambda: terms.codes("metric")),
            Column("region", type="ref", ref=_regions()),
            Column("as_of", type="datetime", required=True),
            Column("value", type="decimal", required=True, min_value=0),
            Column("unit", required=True, max_length=16),
            Column("source_url", required=True, max_length=500),
            Column("retrieved_at", type="datetime"),
        ],
        key=["metric", "region", "as_of", "source_url"],
        find=find,
        attributes=lambda v: {
            "campaign_id": campaign.id,
            "metric": v["metric"],
            "region_id": v["region"],
            "as_of": v["as_of"],
            "value": v["value"],
            "unit": UNIT_ALIASES[v["unit"].lower()],
            "source_url": v["source_url"],
            "retrieved_at": v["retrieved_at"],
        },
        compared=["value", "unit", "retrieved_at"],
        create=lambda attributes: _added(OfficialFigure(**attributes)),
        check=check,
    )


KINDS = {
    "organisations": organisations_kind,
    "commissions": commissions_kind,
    "candidates": candidates_kind,
    "figures": figures_kind,
}
