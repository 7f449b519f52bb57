"""flask audit verify"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from observer.audit.service import chain_event_kind, verify_review_chain
from observer.extensions import db
from observer.models import JudgmentEvent, ReviewEvent

audit_cli = AppGroup("audit", help="Check the tamper-evident review and judgment history.")

KIND_NAMES = {"review": "review event", "judgment": "assessment/follow-up event"}


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the hash chain (review events, assessment and follow-up events); exit 1 naming the
    first broken event."""
    reviews = db.session.execute(select(func.count(ReviewEvent.id))).scalar_one()
    judgments = db.session.execute(select(func.count(JudgmentEvent.id))).scalar_one()
    broken = verify_review_chain()
    if broken is not None:
        where = f"event #{broken.seq}"
        details = []
        if broken.event_id:
            details.append(KIND_NAMES.get(chain_event_kind(broken.seq), "event"))
            details.append(f"id {broken.event_id}")
        if details:
            where += f" ({', '.join(details)})"
        click.echo(f"BROKEN at {where}: {broken.reason}", err=True)
        raise SystemExit(1)
    click.echo(
        f"OK: {reviews} review events and {judgments} assessment/follow-up events, chain intact"
    )
