"""Who may see, change and download what: the one place the report pages ask.

An observer sees only their own reports; staff see submitted reports in their region scope (a
draft is the author's private work in progress). Anything else is answered as if it did not
exist (404), so report ids cannot be probed."""

from __future__ import annotations

from observer.models import Attachment, Report, Status
from observer.review.scope import staff_can_see


def can_view(user, report: Report | None) -> bool:
    if report is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if report.is_author(user):
        return True
    return report.status != Status.DRAFT and staff_can_see(user, report)


def can_edit(user, report: Report | None) -> bool:
    return (
        report is not None and report.is_author(user) and report.status in Status.EDITABLE_BY_AUTHOR
    )


def can_delete(user, report: Report | None) -> bool:
    """Only a never-submitted draft may be deleted: once submitted, the record stays."""
    return (
        report is not None
        and report.is_author(user)
        and report.status == Status.DRAFT
        and report.reference is None
    )


def can_download(user, attachment: Attachment | None) -> bool:
    return attachment is not None and can_view(user, attachment.report)


def can_preview(user, attachment: Attachment | None) -> bool:
    """Inline image previews and video/audio playback are for coordinators' review pages only."""
    return (
        attachment is not None
        and (attachment.is_image or attachment.is_video or attachment.is_audio)
        and getattr(user, "is_staff", False)
        and can_view(user, attachment.report)
    )
