"""Where evidence bytes live. Today: in the database, in the report's own transaction, so a report
and its evidence are saved or refused together and one backup holds everything. Every read and
write of attachment bytes goes through here, so object storage can replace it later."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from observer.extensions import db
from observer.models import Attachment, Report
from observer.reports.sanitize import CleanFile


def add_evidence(report: Report, clean: CleanFile) -> Attachment:
    """Attach a cleaned file to the report in the caller's transaction (the caller commits)."""
    attachment = Attachment(
        original_name=clean.name,
        media_type=clean.media_type,
        size=clean.size,
        sha256=clean.sha256,
        data=clean.data,
    )
    report.attachments.append(attachment)
    return attachment


def remove_evidence(report: Report, attachment: Attachment) -> None:
    report.attachments.remove(attachment)  # delete-orphan removes the row and its bytes


def find_attachment(report_id: int, attachment_id: int) -> Attachment | None:
    """The attachment, only if it belongs to that report (metadata only, bytes deferred)."""
    if not (0 < report_id < 2**31 and 0 < attachment_id < 2**31):
        return None
    return db.session.execute(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.report_id == report_id)
    ).scalar_one_or_none()


def read_bytes(attachment: Attachment) -> bytes:
    return db.session.execute(
        select(Attachment.data).where(Attachment.id == attachment.id)
    ).scalar_one()


def count_evidence(report_id: int) -> int:
    return db.session.execute(
        select(func.count(Attachment.id)).where(Attachment.report_id == report_id)
    ).scalar_one()


def load_with_bytes(attachment_id: int) -> Attachment | None:
    return db.session.execute(
        select(Attachment).options(undefer(Attachment.data)).where(Attachment.id == attachment_id)
    ).scalar_one_or_none()
