"""Human labels for the coded values the dashboard counts (translatable, resolved per request)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from observer.models import Status

SEVERITY_LABELS = {
    1: _l("Procedural"),
    2: _l("Significant"),
    3: _l("Serious"),
    4: _l("Critical"),
}

SOURCE_TYPE_LABELS = {
    "direct_observation": _l("Direct observation"),
    "witness_account": _l("Witness or voter message"),
    "document": _l("Documentary evidence"),
    "official_source": _l("Official source"),
    "independent_media": _l("Independent media"),
    "social_media": _l("Social media or anonymous"),
}

STATUS_LABELS = {
    Status.SUBMITTED: _l("Submitted"),
    Status.NEEDS_INFO: _l("Needs information"),
    Status.VERIFIED: _l("Verified"),
    Status.REJECTED: _l("Rejected"),
    Status.DUPLICATE: _l("Duplicate"),
}

# Drafts are the observer's own work in progress: never counted, never offered as a filter.
COUNTABLE_STATUSES = tuple(STATUS_LABELS)


def source_type_label(code: str) -> str:
    return str(SOURCE_TYPE_LABELS.get(code, code))
