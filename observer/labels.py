"""Human labels for coded values (status, severity, source type, scope, grading), shared by the
review pages, the dashboard and the report pages. Translatable, resolved per request.

The grading meanings follow the Admiralty code (STANAG 2511) as described in domain facts §5."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from observer.models import Status

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.NEEDS_INFO: _l("Needs information"),
    Status.VERIFIED: _l("Verified"),
    Status.REJECTED: _l("Rejected"),
    Status.DUPLICATE: _l("Duplicate"),
}

# Drafts are the observer's unfinished work: never in the queue, never counted.
QUEUE_STATUSES = (
    Status.SUBMITTED,
    Status.NEEDS_INFO,
    Status.VERIFIED,
    Status.REJECTED,
    Status.DUPLICATE,
)

SEVERITY_NAMES = {
    1: _l("Procedural"),
    2: _l("Significant"),
    3: _l("Serious"),
    4: _l("Critical"),
}

SEVERITY_MEANINGS = {
    1: _l("A technical deviation with no evident effect on rights."),
    2: _l("Restricts a right for identifiable people."),
    3: _l("Systematic or coercive."),
    4: _l("Affects the integrity of results or physical liberty."),
}

SEVERITY_LABELS = {
    1: _l("1 · Procedural"),
    2: _l("2 · Significant"),
    3: _l("3 · Serious"),
    4: _l("4 · Critical"),
}

SOURCE_TYPE_LABELS = {
    "direct_observation": _l("Direct observation"),
    "witness_account": _l("Witness or voter message"),
    "document": _l("Documentary evidence"),
    "official_source": _l("Official source"),
    "independent_media": _l("Independent media"),
    "social_media": _l("Social media or anonymous"),
}

SCOPE_LABELS = {
    "isolated": _l("Isolated"),
    "repeated": _l("Repeated"),
    "systematic": _l("Systematic"),
}

SOURCE_RELIABILITY_LABELS = {
    "A": _l("A · Completely reliable"),
    "B": _l("B · Usually reliable"),
    "C": _l("C · Fairly reliable"),
    "D": _l("D · Not usually reliable"),
    "E": _l("E · Unreliable"),
    "F": _l("F · Reliability cannot be judged"),
}

INFO_CREDIBILITY_LABELS = {
    1: _l("1 · Confirmed by other sources"),
    2: _l("2 · Probably true"),
    3: _l("3 · Possibly true"),
    4: _l("4 · Doubtful"),
    5: _l("5 · Improbable"),
    6: _l("6 · Truth cannot be judged"),
}

ACTION_LABELS = {
    "verify": _l("Verify"),
    "reject": _l("Reject"),
    "needs_info": _l("Ask the observer for information"),
    "duplicate": _l("Mark as duplicate"),
    "reopen": _l("Reopen"),
    "submit": _l("Submit"),
    "resubmit": _l("Resubmit"),
}

LABELS = {
    "status": STATUS_LABELS,
    "severity": SEVERITY_LABELS,
    "source_type": SOURCE_TYPE_LABELS,
    "scope": SCOPE_LABELS,
    "reliability": SOURCE_RELIABILITY_LABELS,
    "credibility": INFO_CREDIBILITY_LABELS,
    "action": ACTION_LABELS,
}


COUNTABLE_STATUSES = QUEUE_STATUSES


def source_type_label(code: str) -> str:
    return str(SOURCE_TYPE_LABELS.get(code, code))
