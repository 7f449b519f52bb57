"""OpenRosa submissions become reports: the XML instance parsed safely, catalog codes turned into
the catalog's rows, the same rules as the web form applied by the same service function, and a
resend (same instanceID from the same observer) answered as a success that creates nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from xml.etree.ElementTree import ParseError  # noqa: S405 - the type of defusedxml's errors

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from observer.catalog.snapshot import catalog_snapshot
from observer.extensions import db
from observer.models import Attachment, Campaign, DeviceCredential, Report, User
from observer.openrosa import credentials
from observer.openrosa.xform import (
    EVIDENCE_FILE,
    EVIDENCE_GROUP,
    EVIDENCE_KINDS,
    form_id,
)
from observer.reports import service, storage
from observer.reports.service import MAX_FILES_PER_REPORT, ReportData, ReportInvalid, Upload

INSTANCE_ID_MAX = 64
MAX_XML_BYTES = 256 * 1024
EVIDENCE_FIELDS = {name for name, _media in EVIDENCE_KINDS} | {EVIDENCE_FILE}


class SubmissionRefused(ValueError):
    """The submission cannot become a report; `messages` say why (user-facing, translated)."""

    def __init__(self, messages: list, status: int = 400):
        super().__init__("submission refused")
        self.messages = list(messages)
        self.status = status


@dataclass(frozen=True)
class Instance:
    form_id: str
    version: str | None
    instance_id: str
    values: dict[str, str]  # top-level answers by field name
    file_names: list[str]  # attachments the answers name, in order


@dataclass(frozen=True)
class Filed:
    report_id: int
    reference: str | None
    created: bool


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_instance(xml: bytes) -> Instance:
    """The answers of one XML instance. DTDs, entities and external references are refused
    (defusedxml), so an XML bomb costs nothing."""
    if not xml or len(xml) > MAX_XML_BYTES:
        raise SubmissionRefused([_l("The submission has no readable form data.")])
    try:
        root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise SubmissionRefused([_l("The form data is not well-formed XML.")]) from None
    values: dict[str, str] = {}
    files: list[str] = []
    instance_id = ""
    for child in root:
        name = _local(child.tag)
        if name == "meta":
            for item in child:
                if _local(item.tag) == "instanceID":
                    instance_id = (item.text or "").strip()
        elif name == EVIDENCE_GROUP:
            for item in child:
                text = (item.text or "").strip()
                if _local(item.tag) in EVIDENCE_FIELDS and text:
                    files.append(text)
        elif len(child) == 0:
            values[name] = (child.text or "").strip()
    if not instance_id or len(instance_id) > INSTANCE_ID_MAX:
        raise SubmissionRefused([_l("The submission has no instance ID.")])
    return Instance(
        form_id=root.get("id", ""),
        version=root.get("version"),
        instance_id=instance_id,
        values=values,
        file_names=files,
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _time(value: str) -> time | None:
    # ODK sends times as HH:MM:SS.sss+ZZ:ZZ; the report keeps the local wall-clock time.
    try:
        return time.fromisoformat(value[:8]) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _code_maps(catalog):
    """Catalog codes → ids, built once per catalog snapshot."""
    maps = catalog.derived.get("openrosa_codes")
    if maps is None:
        maps = catalog.derived["openrosa_codes"] = (
            {s.code: s.id for s in catalog.stages},
            {c.code: c.id for c in catalog.criteria},
            {r.code: r.id for r in catalog.regions},
            {(d.parent_id, d.name_en): d.id for d in catalog.districts},
        )
    return maps


def to_report_data(instance: Instance, campaign: Campaign) -> tuple[ReportData, dict]:
    """Codes → catalog ids; a code the catalog does not know is an error on its field."""
    catalog = catalog_snapshot(campaign)
    values = instance.values
    errors: dict[str, list] = {}
    stages, criteria, regions, districts = _code_maps(catalog)

    def lookup(table: dict, code: str, field: str):
        if not code:
            return None
        if code not in table:
            errors.setdefault(field, []).append(_l("Choose from the list."))
            return None
        return table[code]

    region_id = lookup(regions, values.get("region_code", ""), "region")
    district_id = None
    district_name = values.get("district", "")
    if district_name:
        district_id = districts.get((region_id, district_name))
        if district_id is None:
            errors.setdefault("district", []).append(_l("Choose a district from the list."))
    further = [
        lookup(criteria, code, "further_criteria")
        for code in values.get("further_criteria", "").split()
    ]
    data = ReportData(
        stage_id=lookup(stages, values.get("stage", ""), "stage"),
        criterion_id=lookup(criteria, values.get("criterion", ""), "criterion"),
        further_criterion_ids=[value for value in further if value is not None],
        occurred_on=_date(values.get("occurred_on", "")),
        occurred_at=_time(values.get("occurred_at", "")),
        region_id=region_id,
        district_id=district_id,
        settlement=values.get("settlement") or None,
        polling_station=_int(values.get("polling_station", "")),
        constituency=_int(values.get("constituency", "")),
        title=values.get("title", ""),
        narrative=values.get("narrative", ""),
        actors=values.get("actors") or None,
        people_affected=_int(values.get("people_affected", "")),
        source_type=values.get("source_type") or None,
        severity=_int(values.get("severity", "")),
        scope=values.get("scope") or None,
        complaint_lodged=values.get("complaint_lodged") == "yes",
        complaint_to=values.get("complaint_to") or None,
        complaint_outcome=values.get("complaint_outcome") or None,
    )
    return data, errors


def already_filed(user_id: int, instance_id: str) -> Report | None:
    return db.session.execute(
        select(Report).where(Report.author_id == user_id, Report.device_instance_id == instance_id)
    ).scalar_one_or_none()


FIELD_NAMES = {
    "stage": "stage",
    "criterion": "criterion",
    "further_criteria": "further_criteria",
    "region": "region_code",
    "district": "district",
    "evidence": "evidence",
}


def _describe(errors: dict) -> list:
    """One line per problem, naming the form's field (the export's column name)."""
    return [
        f"{FIELD_NAMES.get(name, name)}: {message}"
        for name, messages in errors.items()
        for message in messages
    ]


def _attach_later_part(report: Report, instance: Instance, attachments: dict[str, Upload]) -> None:
    """ODK Collect sends a submission larger than the server accepts in several posts with the
    same instanceID, all but the last marked *isIncomplete*: the files of a later post join the
    report the first one filed. A file already attached (a plain resend) is not added again;
    a refused file refuses the post and adds nothing."""
    uploads = [attachments[name] for name in instance.file_names if name in attachments]
    cleaned, messages = service.clean_uploads(uploads)
    if messages:
        raise SubmissionRefused(messages)
    attached = {
        (name, sha256)
        for name, sha256 in db.session.execute(
            select(Attachment.original_name, Attachment.sha256).where(
                Attachment.report_id == report.id
            )
        )
    }
    new = [clean for clean in cleaned if (clean.name, clean.sha256) not in attached]
    if not new:
        return
    if len(attached) + len(new) > MAX_FILES_PER_REPORT:
        raise SubmissionRefused([service.TOO_MANY_FILES])
    for clean in new:
        storage.add_evidence(report, clean)
    db.session.commit()


def file_submission(
    credential: DeviceCredential,
    user: User,
    campaign: Campaign,
    xml: bytes,
    attachments: dict[str, Upload],
    incomplete: bool = False,
) -> Filed:
    """Turn one OpenRosa submission into a submitted report of the credential's observer.

    A resend of an instance already filed (same instanceID from the same observer) answers
    with that report, whatever it contains. It is looked up first when the submission carries
    files (cleaning a video again costs far more than the query) or when it would be refused;
    otherwise the unique constraint on (author, instanceID) catches it at the INSERT.

    Raises SubmissionRefused (nothing stored) with messages that say what is wrong."""
    instance = parse_instance(xml)

    def refuse(messages: list) -> Filed:
        existing = already_filed(user.id, instance.instance_id)
        if existing is None:
            raise SubmissionRefused(messages)
        return Filed(existing.id, existing.reference, created=False)

    if instance.form_id != form_id(campaign):
        return refuse(
            [_l("This form is not the mission's current form. Download the forms again.")]
        )
    if instance.file_names or attachments:
        existing = already_filed(user.id, instance.instance_id)
        if existing is not None:
            if attachments:
                _attach_later_part(existing, instance, attachments)
            return Filed(existing.id, existing.reference, created=False)
    missing = [name for name in instance.file_names if name not in attachments]
    if missing and not incomplete:
        return refuse(
            [
                _l("The file %(name)s named in the form was not sent with it.", name=name)
                for name in missing
            ]
        )
    data, errors = to_report_data(instance, campaign)
    errors = {**service.validate_report_data(data, campaign), **errors}
    if errors:
        messages = _describe(errors)
        if instance.version != campaign.catalog_version:
            messages.insert(
                0,
                _l(
                    "The form on the device is an older version and its answers no longer fit "
                    "the catalog. Download the forms again and fill in a new report."
                ),
            )
        return refuse(messages)
    files = [attachments[name] for name in instance.file_names if name in attachments]
    # In the report's own transaction: one commit per submission.
    credentials.mark_used(credential)
    try:
        saved = service.save_report(
            user,
            data,
            files,
            submit=True,
            campaign=campaign,
            origin={
                "device_credential_id": credential.id,
                "device_instance_id": instance.instance_id,
            },
        )
    except ReportInvalid as invalid:
        return refuse(_describe(invalid.errors))
    except IntegrityError:
        # Already filed: by an earlier send, or by the same instance sent twice at once.
        db.session.rollback()
        existing = already_filed(user.id, instance.instance_id)
        if existing is None:
            raise
        return Filed(existing.id, existing.reference, created=False)
    return Filed(saved.id, saved.reference, created=True)
