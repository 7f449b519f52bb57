"""The shipped codes (alignments, routes, metrics, commission levels, elections), loaded into an
empty database the first time a process record is loaded, and looked up by the loaders."""

from __future__ import annotations

from importlib import resources

import yaml
from sqlalchemy import func, select

from observer.extensions import db
from observer.models import Campaign, CommissionLevel, Election, ProcessTerm
from observer.models.process_term import VOCABULARIES

DEFAULT_TERMS = "belarus-terms.yaml"


def default_terms() -> dict:
    text = resources.files("observer.records").joinpath("data", DEFAULT_TERMS).read_text("utf-8")
    return yaml.safe_load(text)


def ensure_defaults(campaign: Campaign | None) -> None:
    """Adds the shipped codes of a vocabulary only when it has none (so an admin's own list is
    never overwritten), and the elections of the campaign when it has none."""
    data = default_terms()
    present = dict(
        db.session.execute(
            select(ProcessTerm.vocabulary, func.count()).group_by(ProcessTerm.vocabulary)
        ).all()
    )
    for vocabulary in VOCABULARIES:
        if present.get(vocabulary):
            continue
        for position, item in enumerate(data[vocabulary], start=1):
            db.session.add(ProcessTerm(vocabulary=vocabulary, position=position, **item))
    if not db.session.execute(select(func.count(CommissionLevel.id))).scalar_one():
        for position, item in enumerate(data["levels"], start=1):
            db.session.add(CommissionLevel(position=position, **item))
    if campaign is not None:
        has_elections = db.session.execute(
            select(func.count(Election.id)).where(Election.campaign_id == campaign.id)
        ).scalar_one()
        if not has_elections:
            for position, item in enumerate(data["elections"], start=1):
                db.session.add(Election(campaign_id=campaign.id, position=position, **item))
    db.session.flush()


def codes(vocabulary: str) -> list[str]:
    return list(
        db.session.execute(
            select(ProcessTerm.code)
            .where(ProcessTerm.vocabulary == vocabulary)
            .order_by(ProcessTerm.position, ProcessTerm.id)
        ).scalars()
    )


def terms(vocabulary: str) -> list[ProcessTerm]:
    return list(
        db.session.execute(
            select(ProcessTerm)
            .where(ProcessTerm.vocabulary == vocabulary)
            .order_by(ProcessTerm.position, ProcessTerm.id)
        ).scalars()
    )


def metric_units() -> dict[str, str]:
    return dict(
        db.session.execute(
            select(ProcessTerm.code, ProcessTerm.unit).where(ProcessTerm.vocabulary == "metric")
        ).all()
    )
