"""Case examples: verified reports a coordinator picks for a statement, in public wording."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from observer.extensions import db
from observer.models import Report, Statement, StatementCase, Status
from observer.statements.service import StatementError, ensure_draft


def add_case(
    statement: Statement, reference: str, wording: str, show_date: bool, show_district: bool
) -> StatementCase:
    ensure_draft(statement)
    reference = reference.strip().upper()
    report = db.session.execute(
        select(Report).where(Report.reference == reference)
    ).scalar_one_or_none()
    if report is None or report.campaign_id != statement.campaign_id:
        raise StatementError(
            _l("No report of this campaign has the reference %(ref)s.", ref=reference)
        )
    if report.status != Status.VERIFIED:
        raise StatementError(_l("Only a verified report can be a case example."))
    if not wording.strip():
        raise StatementError(_l("Write the public wording of the case."))
    if any(case.report_id == report.id for case in statement.cases):
        raise StatementError(_l("This report is already a case example of this statement."))
    last = db.session.execute(
        select(func.max(StatementCase.position)).where(StatementCase.statement_id == statement.id)
    ).scalar_one()
    case = StatementCase(
        statement_id=statement.id,
        report_id=report.id,
        position=(last or 0) + 1,
        wording=wording.strip(),
        show_date=show_date,
        show_district=show_district,
    )
    db.session.add(case)
    db.session.flush()
    return case


def remove_case(statement: Statement, case_id: int) -> None:
    ensure_draft(statement)
    case = db.session.get(StatementCase, case_id)
    if case is None or case.statement_id != statement.id:
        raise StatementError(_l("This case example does not belong to this statement."))
    db.session.delete(case)
    db.session.flush()


def copy_cases(source: Statement, target: Statement) -> None:
    """A translation starts from the original's cases (their wording is then translated)."""
    for case in source.cases:
        db.session.add(
            StatementCase(
                statement_id=target.id,
                report_id=case.report_id,
                position=case.position,
                wording=case.wording,
                show_date=case.show_date,
                show_district=case.show_district,
            )
        )
    db.session.flush()
