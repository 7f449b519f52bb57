"""Filing and editing incident reports: the rules, in one place the views and tests call.

Drafts are validated exactly like submissions. The database needs every required field anyway,
and a draft that passed the checks can be submitted later without surprises; the observer's
text is never lost because an invalid form always comes back filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from observer.audit.service import append_review_event
from observer.catalog.snapshot import catalog_snapshot
from observer.extensions import db
from observer.models import (
    SCOPES,
    SEVERITIES,
    SOURCE_TYPES,
    Campaign,
    Criterion,
    KeptEvidence,
    Report,
    Status,
)
from observer.records.links import check_record_links
from observer.reports import storage
from observer.reports.permissions import can_delete, can_edit
from observer.reports.sanitize import MAX_PIXELS, CleanFile, EvidenceError, sanitize
from observer.review.workflow import ConflictError, apply_transition

# Limits shared by the form (messages beside fields) and the service (defence in depth).
TITLE_MAX = 200
NARRATIVE_MIN = 30
NARRATIVE_MAX = 20_000
SETTLEMENT_MAX = 120
ACTORS_MAX = 500
COMPLAINT_TO_MAX = 200
COMPLAINT_OUTCOME_MAX = 5_000
ANSWER_MAX = 5_000
POLLING_STATION_RANGE = (1, 99_999)
CONSTITUENCY_RANGE = (1, 110)
PEOPLE_AFFECTED_RANGE = (0, 1_000_000)
MAX_FILES_PER_REPORT = 20

EVIDENCE_MESSAGES = {
    "empty": _l("%(name)s is empty."),
    "unsupported": _l(
        "%(name)s is not a JPEG, PNG, WebP or HEIC photo or a PDF document, so it cannot be "
        "attached."
    ),
    "too_many_pixels": _l(
        "%(name)s has too many pixels to process safely (the limit is %(limit)s megapixels)."
    ),
    "broken": _l("%(name)s could not be read: the file seems to be damaged."),
    "encrypted": _l("%(name)s is password-protected. Please attach a copy without a password."),
    "too_large": _l("%(name)s is larger than the %(limit)s MB limit for one file."),
}


@dataclass
class ReportData:
    """The observer's answers, already parsed (by the form or by a caller)."""

    stage_id: int | None = None
    criterion_id: int | None = None
    further_criterion_ids: list[int] = field(default_factory=list)
    occurred_on: date | None = None
    occurred_at: time | None = None
    region_id: int | None = None
    district_id: int | None = None
    settlement: str | None = None
    polling_station: int | None = None
    constituency: int | None = None
    title: str = ""
    narrative: str = ""
    actors: str | None = None
    people_affected: int | None = None
    source_type: str | None = None
    severity: int | None = None
    scope: str | None = None
    complaint_lodged: bool = False
    complaint_to: str | None = None
    complaint_outcome: str | None = None
    commission_id: int | None = None
    candidate_id: int | None = None

    def items(self) -> list[tuple[str, object]]:
        """(name, value) of every answer; values are not copied (unlike dataclasses.asdict)."""
        return [(name, getattr(self, name)) for name in REPORT_DATA_FIELDS]

    @classmethod
    def from_report(cls, report: Report) -> ReportData:
        values = {f.name: getattr(report, f.name) for f in fields(cls) if hasattr(report, f.name)}
        values["further_criterion_ids"] = [c.id for c in report.further_criteria]
        return cls(**values)


REPORT_DATA_FIELDS = tuple(f.name for f in fields(ReportData))


@dataclass(frozen=True)
class SavedReport:
    """What the observer is told after saving, read before the commit expires the report (so
    the confirmation and the redirect need no second query)."""

    report: Report
    id: int
    reference: str | None
    status: str


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


class ReportInvalid(ValueError):
    """What is wrong, by field name (the form's field names), as user messages."""

    def __init__(self, errors: Mapping[str, list]):
        super().__init__("invalid report")
        self.errors = dict(errors)


# --- validation ---------------------------------------------------------------------------

MAX_ID = 2**31 - 1  # the database's integer range: larger ids cannot exist (and PostgreSQL errors)


def valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def latest_possible_date() -> date:
    """Today somewhere on Earth (UTC+14): nothing reported can have happened after it."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def validate_report_data(data: ReportData, campaign: Campaign) -> dict[str, list]:
    """Every rule a stored report must satisfy; {} when the data may be saved."""
    errors: dict[str, list] = {}

    def fail(name: str, message) -> None:
        errors.setdefault(name, []).append(message)

    catalog = catalog_snapshot(campaign)
    stage = catalog.stage(data.stage_id) if valid_id(data.stage_id) else None
    if stage is None or not stage.active:
        fail("stage", _l("Choose a stage of the campaign."))
    criterion = catalog.criterion(data.criterion_id) if valid_id(data.criterion_id) else None
    if criterion is None:
        fail("criterion", _l("Choose a criterion."))
    elif not criterion.active:
        fail("criterion", _l("This criterion is no longer in use. Please choose another."))
    elif stage is not None and criterion.parent_id != stage.id:
        fail("criterion", _l("Choose a criterion of the stage you chose."))
    further = set(data.further_criterion_ids or ()) - {data.criterion_id}
    offered = {c.id for c in catalog.criteria if c.active}
    if not all(valid_id(value) for value in further) or not further <= offered:
        fail("further_criteria", _l("Choose further criteria from the list."))

    _check_date(data, campaign, fail)
    region = catalog.region(data.region_id) if valid_id(data.region_id) else None
    if region is None:
        fail("region", _l("Choose a region."))
    if data.district_id is not None:
        district = catalog.district(data.district_id) if valid_id(data.district_id) else None
        if district is None:
            fail("district", _l("Choose a district from the list."))
        elif region is not None and district.parent_id != region.id:
            fail("district", _l("This district is not in the region you chose."))

    _check_range(data.polling_station, POLLING_STATION_RANGE, "polling_station", fail)
    check_record_links(data, campaign, fail)
    _check_range(data.constituency, CONSTITUENCY_RANGE, "constituency", fail)
    _check_range(data.people_affected, PEOPLE_AFFECTED_RANGE, "people_affected", fail)
    title = (data.title or "").strip()
    if not title:
        fail("title", _l("Give the report a short title."))
    elif len(title) > TITLE_MAX:
        fail("title", _l("The title can be at most %(max)s characters.", max=TITLE_MAX))
    narrative = (data.narrative or "").strip()
    if len(narrative) < NARRATIVE_MIN:
        fail(
            "narrative",
            _l("Describe what happened in at least %(min)s characters.", min=NARRATIVE_MIN),
        )
    elif len(narrative) > NARRATIVE_MAX:
        fail("narrative", _l("The account can be at most %(max)s characters.", max=NARRATIVE_MAX))
    for name, limit in (
        ("settlement", SETTLEMENT_MAX),
        ("actors", ACTORS_MAX),
        ("complaint_to", COMPLAINT_TO_MAX),
        ("complaint_outcome", COMPLAINT_OUTCOME_MAX),
    ):
        if len(getattr(data, name) or "") > limit:
            fail(name, _l("This can be at most %(max)s characters.", max=limit))
    if data.source_type not in SOURCE_TYPES:
        fail("source_type", _l("Choose the type of source."))
    if data.severity not in SEVERITIES:
        fail("severity", _l("Choose a severity level."))
    if data.scope not in SCOPES:
        fail("scope", _l("Choose the scope."))
    return errors


def _check_date(data: ReportData, campaign: Campaign, fail) -> None:
    if data.occurred_on is None:
        fail("occurred_on", _l("Give the date of the incident."))
    elif not campaign.starts_on <= data.occurred_on <= campaign.ends_on:
        fail(
            "occurred_on",
            _l(
                "The date must be within the campaign, %(start)s to %(end)s.",
                start=format_date(campaign.starts_on),
                end=format_date(campaign.ends_on),
            ),
        )
    elif data.occurred_on > latest_possible_date():
        fail("occurred_on", _l("The date cannot be in the future."))


def _check_range(value, bounds: tuple[int, int], name: str, fail) -> None:
    low, high = bounds
    if value is not None and not low <= value <= high:
        fail(name, _l("Enter a number from %(low)s to %(high)s.", low=low, high=high))


# --- evidence -----------------------------------------------------------------------------


def max_file_bytes() -> int:
    return int(current_app.config["MAX_FILE_MB"]) * 1024 * 1024


def uploads_from(file_storages: Iterable) -> list[Upload]:
    """Read uploaded files (Werkzeug FileStorage), skipping the empty part a browser sends when
    no file was chosen. Reads at most one byte past the per-file limit."""
    limit = max_file_bytes()
    uploads = []
    for item in file_storages or ():
        if item is None or not getattr(item, "filename", None):
            continue
        uploads.append(Upload(name=item.filename, data=item.stream.read(limit + 1)))
    return uploads


def clean_uploads(uploads: Iterable[Upload]) -> tuple[list[CleanFile], list]:
    """Each file checked and cleaned on its own: the clean files, and a message per refusal."""
    limit = max_file_bytes()
    cleaned, messages = [], []
    for upload in uploads:
        try:
            if len(upload.data) > limit:
                raise EvidenceError("too_large", upload.name)
            cleaned.append(sanitize(upload.name, upload.data))
        except EvidenceError as refused:
            messages.append(evidence_message(refused))
    return cleaned, messages


TOO_MANY_FILES = _l("A report can have at most %(limit)s files.", limit=MAX_FILES_PER_REPORT)


def prepare_evidence(uploads: Iterable[Upload], already_attached: int = 0) -> list[CleanFile]:
    """Check and clean every file before anything is written; all refusals reported at once."""
    uploads = list(uploads)
    cleaned, messages = clean_uploads(uploads)
    if already_attached + len(uploads) > MAX_FILES_PER_REPORT:
        messages.insert(0, TOO_MANY_FILES)
    if messages:
        raise ReportInvalid({"evidence": messages})
    return cleaned


def keep_sent_evidence(
    user, uploads: Iterable[Upload], kept: Sequence[KeptEvidence]
) -> tuple[list[KeptEvidence], list]:
    """After a form came back with a problem: clean the files just sent and keep those that pass
    for this user, beside the ones kept before, so that nothing has to be chosen twice. Returns
    every kept file and a message for each file that could not be kept. Commits."""
    uploads, kept = list(uploads), list(kept)
    room = max(MAX_FILES_PER_REPORT - len(kept), 0)
    cleaned, messages = clean_uploads(uploads[:room])
    if len(uploads) > room:
        messages.append(TOO_MANY_FILES)
    storage.discard_expired_kept()
    kept.extend(storage.keep_evidence(user.id, cleaned))
    db.session.commit()
    return kept, messages


def evidence_message(error: EvidenceError):
    template = EVIDENCE_MESSAGES.get(error.code, EVIDENCE_MESSAGES["broken"])
    if error.code == "too_large":
        return template % {"name": error.name, "limit": current_app.config["MAX_FILE_MB"]}
    if error.code == "too_many_pixels":
        return template % {"name": error.name, "limit": MAX_PIXELS // 1_000_000}
    return template % {"name": error.name}


# --- saving -------------------------------------------------------------------------------


def save_report(
    user,
    data: ReportData | Mapping,
    files: Iterable[Upload] = (),
    report: Report | None = None,
    submit: bool = False,
    *,
    answer: str | None = None,
    expected_version: int | None = None,
    campaign: Campaign | None = None,
    kept: Sequence[KeptEvidence] = (),
) -> SavedReport:
    """Create (report=None) or update the user's report, attach `files` and the user's `kept`
    files (from a form that came back with a problem), and with submit=True submit it (a draft)
    or resubmit it (a report sent back with a question).

    Raises ReportInvalid (field errors; nothing stored), ConflictError (changed meanwhile),
    PermissionError (not this user's editable report)."""
    if not isinstance(data, ReportData):
        data = ReportData(**dict(data))
    data = ReportData(**{name: clean_text(value) for name, value in data.items()})
    if report is not None and not can_edit(user, report):
        raise PermissionError("report not editable by this user")
    if report is not None and expected_version is not None and report.version != expected_version:
        raise ConflictError(report)
    campaign = report.campaign if report is not None else campaign
    if campaign is None:
        raise ReportInvalid({"stage": [_l("No campaign is open for reports.")]})
    answer = (answer or "").strip() or None
    errors = validate_report_data(data, campaign)
    if answer and len(answer) > ANSWER_MAX:
        errors.setdefault("answer", []).append(
            _l("This can be at most %(max)s characters.", max=ANSWER_MAX)
        )
    if errors:
        raise ReportInvalid(errors)
    if any(item.owner_id != user.id for item in kept):
        raise PermissionError("kept evidence of another user")
    attached = storage.count_evidence(report.id) if report is not None else 0
    cleaned = prepare_evidence(files, already_attached=attached + len(kept))

    try:
        if report is None:
            report = Report(author_id=user.id, campaign_id=campaign.id, status=Status.DRAFT)
            db.session.add(report)
            changed: list[str] = []
        else:
            changed = _changed_fields(report, data)
        _assign(report, data)
        for clean in cleaned:
            storage.add_evidence(report, clean)
        for item in kept:
            storage.attach_kept(report, item)
        added = len(cleaned) + len(kept)
        if not (submit and report.status == Status.DRAFT):
            # A new report being submitted is inserted by the transition's own flush, already
            # numbered and submitted: one INSERT instead of an INSERT and an UPDATE.
            db.session.flush()
        if report.status == Status.NEEDS_INFO and (answer or changed or added):
            # Tell the coordinator what moved since the question: the answer and the edits.
            details = {"changed_fields": changed} if changed else {}
            if added:
                details["evidence_added"] = added
            append_review_event(
                report_id=report.id,
                actor_id=user.id,
                kind="comment",
                note=answer,
                details=details or None,
            )
        if submit:
            apply_transition(
                report, user, "resubmit" if report.status == Status.NEEDS_INFO else "submit"
            )
        saved = SavedReport(report, report.id, report.reference, report.status)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(report) from None
    except Exception:
        db.session.rollback()
        raise
    return saved


_CONTROL = {i: None for i in range(32) if chr(i) not in "\t\n\r"} | {127: None}


def clean_text(value):
    """Text without control characters (a NUL byte cannot even be stored in PostgreSQL) and with
    plain newlines; other values pass through."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def _normalised(value):
    value = clean_text(value)
    return (value.strip() or None) if isinstance(value, str) else value


def _assign(report: Report, data: ReportData) -> None:
    for name, value in data.items():
        if name == "further_criterion_ids":
            continue
        if name in ("title", "narrative"):
            value = value.strip()
        setattr(report, name, _normalised(value))
    if not report.complaint_lodged:
        report.complaint_to = None
        report.complaint_outcome = None
    wanted = sorted(set(data.further_criterion_ids or ()) - {data.criterion_id})
    if [c.id for c in report.further_criteria] != wanted:
        report.further_criteria = (
            list(db.session.execute(select(Criterion).where(Criterion.id.in_(wanted))).scalars())
            if wanted
            else []
        )


def _changed_fields(report: Report, data: ReportData) -> list[str]:
    before = ReportData.from_report(report)
    changed = []
    for name, value in data.items():
        old = getattr(before, name)
        if name == "further_criterion_ids":
            if sorted(set(value) - {data.criterion_id}) != sorted(old):
                changed.append(name)
        elif _normalised(value) != _normalised(old):
            changed.append(name)
    return changed


def remove_attachment(user, report: Report, attachment) -> None:
    if not can_edit(user, report):
        raise PermissionError("report not editable by this user")
    was_waiting = report.status == Status.NEEDS_INFO
    name = attachment.original_name
    storage.remove_evidence(report, attachment)
    if was_waiting:
        db.session.flush()
        append_review_event(
            report_id=report.id,
            actor_id=user.id,
            kind="comment",
            details={"evidence_removed": name},
        )
    db.session.commit()


def delete_draft(user, report: Report) -> None:
    if not can_delete(user, report):
        raise PermissionError("only an unsubmitted draft may be deleted")
    db.session.delete(report)
    db.session.commit()
