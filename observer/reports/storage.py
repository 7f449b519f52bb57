"""Where evidence bytes live. Today: in the database, in the report's own transaction, so a report
and its evidence are saved or refused together and one backup holds everything. Every read and
write of attachment bytes goes through here, so object storage can replace it later."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import undefer

from observer.extensions import db
from observer.models import Attachment, KeptEvidence, Report, utcnow
from observer.reports.sanitize import CleanFile

KEEP_FOR = timedelta(days=1)


def add_evidence(report: Report, clean: CleanFile) -> Attachment:
    """Attach a cleaned file to the report in the caller's transaction (the caller commits)."""
    attachment = Attachment(
        original_name=clean.name,
        media_type=clean.media_type,
        size=clean.size,
        sha256=clean.sha256,
        data=clean.data,
        poster=clean.poster,
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


def read_poster(attachment: Attachment) -> bytes | None:
    return db.session.execute(
        select(Attachment.poster).where(Attachment.id == attachment.id)
    ).scalar_one()


def count_evidence(report_id: int) -> int:
    return db.session.execute(
        select(func.count(Attachment.id)).where(Attachment.report_id == report_id)
    ).scalar_one()


def load_with_bytes(attachment_id: int) -> Attachment | None:
    return db.session.execute(
        select(Attachment).options(undefer(Attachment.data)).where(Attachment.id == attachment_id)
    ).scalar_one_or_none()


# --- evidence kept while the observer corrects a form ----------------------------------------


def keep_evidence(owner_id: int, cleaned: Iterable[CleanFile]) -> list[KeptEvidence]:
    """Keep cleaned files for their owner under fresh random tokens (the caller commits)."""
    kept = []
    for clean in cleaned:
        item = KeptEvidence(
            token=secrets.token_urlsafe(32),
            owner_id=owner_id,
            original_name=clean.name,
            media_type=clean.media_type,
            size=clean.size,
            data=clean.data,
            poster=clean.poster,
        )
        db.session.add(item)
        kept.append(item)
    return kept


def kept_evidence(owner_id: int, tokens: Iterable[str], limit: int) -> list[KeptEvidence]:
    """The owner's kept files among `tokens`, oldest first: another user's token, an unknown
    one or an expired one finds nothing."""
    tokens = list(dict.fromkeys(t for t in tokens if isinstance(t, str) and 0 < len(t) <= 64))
    if not tokens:
        return []
    return list(
        db.session.execute(
            select(KeptEvidence)
            .where(
                KeptEvidence.owner_id == owner_id,
                KeptEvidence.token.in_(tokens[:limit]),
                KeptEvidence.created_at >= utcnow() - KEEP_FOR,
            )
            .order_by(KeptEvidence.id)
        ).scalars()
    )


def attach_kept(report: Report, kept: KeptEvidence) -> Attachment:
    """Move a kept file onto the report (the caller commits)."""
    attachment = add_evidence(
        report, CleanFile(kept.original_name, kept.media_type, kept.data, kept.poster)
    )
    db.session.delete(kept)
    return attachment


def discard_expired_kept() -> None:
    db.session.execute(delete(KeptEvidence).where(KeptEvidence.created_at < utcnow() - KEEP_FOR))
