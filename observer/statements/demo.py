"""Demo statements: one published preliminary statement in English and one draft in Belarusian,
so the public site and the coordinators' list show something after `flask demo seed`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from observer.auth.service import find_user_by_email
from observer.catalog.queries import active_campaign, stages_for
from observer.extensions import db
from observer.models import Statement
from observer.statements.service import (
    SectionInput,
    StatementInput,
    create_statement,
    publish,
)

DEMO_AUTHOR = "coordinator@demo.observer"


def seed_demo_statements() -> None:
    if db.session.execute(select(Statement.id).limit(1)).first() is not None:
        return
    author = find_user_by_email(DEMO_AUTHOR)
    campaign = active_campaign()
    if author is None or campaign is None:
        return
    stages = {stage.code: stage for stage in stages_for(campaign)}
    pre_election = [stages[code] for code in ("commissions", "nomination", "registration")]

    english = create_statement(
        author,
        StatementInput(
            campaign_id=campaign.id,
            stage_ids=[stage.id for stage in pre_election],
            language="en",
            title="Preliminary statement on the formation of commissions and the nomination "
            "of candidates",
            period_start=date(2023, 11, 20),
            period_end=date(2024, 1, 30),
            key_findings=(
                "- Observers were barred from the meetings that formed the district and "
                "territorial commissions.\n"
                "- People active in past campaigns faced searches and questioning.\n"
                "- Nomination took place without real political competition."
            ),
            recommendations=(
                "- Open commission-forming meetings to observers and publish the reasons for "
                "every appointment.\n"
                "- End the persecution of nominees, activists and observers."
            ),
            sections=[
                SectionInput(
                    heading=stage.name_en,
                    body="Documented cases in this stage are summarised in the table below.",
                    stage_id=stage.id,
                )
                for stage in pre_election
            ],
        ),
    )
    db.session.flush()
    publish(english, author)

    create_statement(
        author,
        StatementInput(
            campaign_id=campaign.id,
            stage_ids=[stages["early_voting"].id, stages["election_day"].id],
            language="be",
            title="Папярэдняя заява аб датэрміновым галасаванні і дні выбараў",
            period_start=date(2024, 2, 20),
            period_end=date(2024, 2, 25),
            key_findings="- Зафіксаваны выпадкі арганізаванага датэрміновага галасавання.",
        ),
    )
