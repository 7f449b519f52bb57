"""The campaign's report form as an XForm (ODK XForms 1.0), generated from the catalog.

Field names are the reports export's column names and select values are catalog codes (stage
code, criterion code, region ISO code, district English name), so a submission, an export and
the data dictionary speak one language. Labels and hints are itext in en, be and ru; criteria
and districts are secondary instances filtered by the chosen stage and region. The form's
version is the campaign's catalog version, which changes with any catalog edit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from flask import g
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from observer.catalog.snapshot import CatalogSnapshot, catalog_snapshot
from observer.labels import SEVERITY_MEANINGS, SEVERITY_NAMES
from observer.models import Campaign
from observer.reports import service
from observer.reports.forms import SCOPE_LABELS, SOURCE_TYPE_LABELS, ReportForm

ROOT = "data"
LANGUAGES = (("en", "English (en)"), ("be", "Belarusian (be)"), ("ru", "Russian (ru)"))
EVIDENCE_KINDS = (("photo", "image/*"), ("video", "video/*"), ("audio", "audio/*"))
EVIDENCE_FILE = "document"
EVIDENCE_GROUP = "evidence"
YES_NO = {"yes": _l("Yes"), "no": _l("No")}

HINTS = {
    "stage": _l("The stage of the campaign the incident belongs to."),
    "criterion": _l("Only the criteria of the chosen stage are listed."),
    "district": _l("Only the districts of the chosen region are listed."),
    "narrative": _l("Facts only: what you saw or were told, by whom, when and where."),
    EVIDENCE_GROUP: _l("Photos, video, audio or documents. Location and device data are removed."),
}
EVIDENCE_LABELS = {
    EVIDENCE_GROUP: _l("Evidence"),
    "photo": _l("Photo"),
    "video": _l("Video"),
    "audio": _l("Audio recording"),
    EVIDENCE_FILE: _l("Document (PDF)"),
}


def form_id(campaign: Campaign) -> str:
    return f"observer-{campaign.slug}"


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # string | text | int | date | time | select1 | select | upload
    required: bool = False
    constraint: str | None = None
    constraint_message: object | None = None
    relevant: str | None = None
    choices: tuple[tuple[str, object], ...] = ()  # static choices: (value, lazy label)
    itemset: str | None = None  # secondary instance filter for dynamic choices
    mediatype: str | None = None


def _length(maximum: int, minimum: int = 0) -> str:
    if minimum:
        return f"string-length(.) >= {minimum} and string-length(.) <= {maximum}"
    return f"string-length(.) <= {maximum}"


def _range(bounds: tuple[int, int]) -> str:
    return f". >= {bounds[0]} and . <= {bounds[1]}"


def questions(campaign: Campaign) -> list[Question]:
    """The report's questions in the web form's order (statistics first)."""
    start, end = campaign.starts_on.isoformat(), campaign.ends_on.isoformat()
    range_message = _l("Enter a number in the allowed range.")
    too_long = _l("This is too long.")
    severity = tuple((str(level), SEVERITY_NAMES[level]) for level in sorted(SEVERITY_NAMES))
    return [
        Question("stage", "select1", required=True, itemset="instance('stages')/root/item"),
        Question(
            "criterion",
            "select1",
            required=True,
            itemset=f"instance('criteria')/root/item[stage = /{ROOT}/stage]",
        ),
        Question(
            "occurred_on",
            "date",
            required=True,
            constraint=f". >= date('{start}') and . <= date('{end}') and . <= today()",
            constraint_message=_l("The date must be within the campaign and not in the future."),
        ),
        Question("region_code", "select1", required=True, itemset="instance('regions')/root/item"),
        Question(
            "district",
            "select1",
            itemset=f"instance('districts')/root/item[region = /{ROOT}/region_code]",
        ),
        Question("severity", "select1", required=True, choices=severity),
        Question("scope", "select1", required=True, choices=tuple(SCOPE_LABELS.items())),
        Question(
            "source_type", "select1", required=True, choices=tuple(SOURCE_TYPE_LABELS.items())
        ),
        Question(
            "title",
            "string",
            required=True,
            constraint=_length(service.TITLE_MAX),
            constraint_message=too_long,
        ),
        Question(
            "narrative",
            "text",
            required=True,
            constraint=_length(service.NARRATIVE_MAX, service.NARRATIVE_MIN),
            constraint_message=_l(
                "Describe what happened in at least %(min)s characters.", min=service.NARRATIVE_MIN
            ),
        ),
        Question("further_criteria", "select", itemset="instance('criteria')/root/item"),
        Question("occurred_at", "time"),
        Question(
            "settlement",
            "string",
            constraint=_length(service.SETTLEMENT_MAX),
            constraint_message=too_long,
        ),
        Question(
            "polling_station",
            "int",
            constraint=_range(service.POLLING_STATION_RANGE),
            constraint_message=range_message,
        ),
        Question(
            "constituency",
            "int",
            constraint=_range(service.CONSTITUENCY_RANGE),
            constraint_message=range_message,
        ),
        Question(
            "actors", "text", constraint=_length(service.ACTORS_MAX), constraint_message=too_long
        ),
        Question(
            "people_affected",
            "int",
            constraint=_range(service.PEOPLE_AFFECTED_RANGE),
            constraint_message=range_message,
        ),
        Question("complaint_lodged", "select1", choices=tuple(YES_NO.items())),
        Question(
            "complaint_to",
            "string",
            constraint=_length(service.COMPLAINT_TO_MAX),
            constraint_message=too_long,
            relevant=f"/{ROOT}/complaint_lodged = 'yes'",
        ),
        Question(
            "complaint_outcome",
            "text",
            constraint=_length(service.COMPLAINT_OUTCOME_MAX),
            constraint_message=too_long,
            relevant=f"/{ROOT}/complaint_lodged = 'yes'",
        ),
    ]


def _labels(qs: list[Question]) -> dict[str, object]:
    """Question labels: the web form's own (already translated)."""
    field_of = {"region_code": "region"}
    return {q.name: getattr(ReportForm, field_of.get(q.name, q.name)).args[0] for q in qs}


@dataclass(frozen=True)
class BuiltForm:
    xml: str
    version: str
    md5: str


def build_form(campaign: Campaign) -> BuiltForm:
    """The campaign's XForm, built once per catalog version (memoised on the snapshot)."""
    catalog = catalog_snapshot(campaign)
    key = ("xform", campaign.starts_on, campaign.ends_on, campaign.slug)
    built = catalog.derived.get(key)
    if built is None:
        xml = _render(campaign, catalog)
        built = BuiltForm(xml, catalog.version, hashlib.md5(xml.encode()).hexdigest())  # noqa: S324
        catalog.derived[key] = built
    return built


def _render(campaign: Campaign, catalog: CatalogSnapshot) -> str:
    # flask_babel keeps a forced locale on `g` and ignores force_locale while `g` is empty (a
    # CLI command, a test): give it something, so every language really is rendered.
    g.setdefault("openrosa_xform", True)
    qs = questions(campaign)
    labels = _labels(qs)
    path: Callable[[str], str] = lambda name: f"/{ROOT}/{name}"  # noqa: E731
    evidence_path = path(EVIDENCE_GROUP)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"'
        ' xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"'
        ' xmlns:odk="http://www.opendatakit.org/xforms">',
        "<h:head>",
        f"<h:title>{escape(campaign.name_en)}</h:title>",
        '<model odk:xforms-version="1.0.0">',
        "<itext>",
    ]
    for index, (code, language) in enumerate(LANGUAGES):
        default = ' default="true()"' if index == 0 else ""
        out.append(f"<translation lang={quoteattr(language)}{default}>")
        with force_locale(code):
            for text_id, text in _texts(qs, labels, catalog, code):
                out.append(
                    f"<text id={quoteattr(text_id)}><value>{escape(str(text))}</value></text>"
                )
        out.append("</translation>")
    out.append("</itext>")

    fid, version = form_id(campaign), catalog.version
    out.append(f"<instance><{ROOT} id={quoteattr(fid)} version={quoteattr(version)}>")
    for q in qs:
        default = "no" if q.name == "complaint_lodged" else ""
        out.append(f"<{q.name}>{default}</{q.name}>")
    out.append(f'<{EVIDENCE_GROUP} jr:template="">')
    for name, _media in (*EVIDENCE_KINDS, (EVIDENCE_FILE, None)):
        out.append(f"<{name}/>")
    out.append(f"</{EVIDENCE_GROUP}>")
    out.append("<meta><instanceID/></meta>")
    out.append(f"</{ROOT}></instance>")
    out.extend(_secondary_instances(catalog))

    for q in qs:
        attrs = [f'nodeset="{path(q.name)}"', f'type="{_bind_type(q.kind)}"']
        if q.required:
            attrs.append('required="true()"')
            attrs.append(f"jr:requiredMsg=\"jr:itext('{path(q.name)}:requiredMsg')\"")
        if q.constraint:
            attrs.append(f"constraint={quoteattr(q.constraint)}")
            attrs.append(f"jr:constraintMsg=\"jr:itext('{path(q.name)}:constraintMsg')\"")
        if q.relevant:
            attrs.append(f"relevant={quoteattr(q.relevant)}")
        out.append(f"<bind {' '.join(attrs)}/>")
    for name, _media in (*EVIDENCE_KINDS, (EVIDENCE_FILE, None)):
        out.append(f'<bind nodeset="{evidence_path}/{name}" type="binary"/>')
    out.append(
        f'<bind nodeset="{path("meta/instanceID")}" type="string" readonly="true()"'
        ' jr:preload="uid"/>'
    )
    out.append(
        f'<setvalue event="odk-instance-first-load" ref="{path("occurred_on")}" value="today()"/>'
    )
    out.append("</model>")
    out.append("</h:head>")
    out.append("<h:body>")
    for q in qs:
        out.append(_control(q, path(q.name)))
    out.append(f'<group ref="{evidence_path}">')
    out.append(f"<label ref=\"jr:itext('{evidence_path}:label')\"/>")
    out.append(f'<repeat nodeset="{evidence_path}">')
    for name, media in EVIDENCE_KINDS:
        out.append(
            f'<upload ref="{evidence_path}/{name}" mediatype="{media}">'
            f"<label ref=\"jr:itext('{evidence_path}/{name}:label')\"/></upload>"
        )
    out.append(
        f'<upload ref="{evidence_path}/{EVIDENCE_FILE}" mediatype="application/*">'
        f"<label ref=\"jr:itext('{evidence_path}/{EVIDENCE_FILE}:label')\"/></upload>"
    )
    out.append("</repeat></group>")
    out.append("</h:body></h:html>")
    return "\n".join(out)


def _bind_type(kind: str) -> str:
    return {"text": "string", "select": "string", "select1": "string"}.get(kind, kind)


def _control(q: Question, ref: str) -> str:
    tag = {"select1": "select1", "select": "select"}.get(q.kind, "input")
    appearance = ' appearance="multiline"' if q.kind == "text" else ""
    if q.kind == "select1" and q.itemset and "[" in q.itemset:
        appearance = ' appearance="minimal"'
    if q.name in ("district", "region_code", "criterion", "further_criteria"):
        appearance = ' appearance="minimal"' if q.kind == "select1" else appearance
    parts = [f'<{tag} ref="{ref}"{appearance}>', f"<label ref=\"jr:itext('{ref}:label')\"/>"]
    if q.name in HINTS:
        parts.append(f"<hint ref=\"jr:itext('{ref}:hint')\"/>")
    if q.itemset:
        parts.append(
            f'<itemset nodeset="{escape(q.itemset)}"><value ref="name"/>'
            '<label ref="jr:itext(itextId)"/></itemset>'
        )
    for value, _label in q.choices:
        parts.append(
            f"<item><label ref=\"jr:itext('{ref}/{value}:label')\"/><value>{value}</value></item>"
        )
    parts.append(f"</{tag}>")
    return "".join(parts)


def _texts(qs, labels, catalog: CatalogSnapshot, locale: str):
    """(itext id, text) for one language."""
    for q in qs:
        ref = f"/{ROOT}/{q.name}"
        yield f"{ref}:label", labels[q.name]
        if q.name in HINTS:
            yield f"{ref}:hint", HINTS[q.name]
        if q.required:
            yield f"{ref}:requiredMsg", _l("This answer is required.")
        if q.constraint:
            yield f"{ref}:constraintMsg", q.constraint_message
        for value, label in q.choices:
            if q.name == "severity":
                level = int(value)
                label = f"{value} · {SEVERITY_NAMES[level]}: {SEVERITY_MEANINGS[level]}"
            yield f"{ref}/{value}:label", label
    evidence = f"/{ROOT}/{EVIDENCE_GROUP}"
    yield f"{evidence}:label", EVIDENCE_LABELS[EVIDENCE_GROUP]
    for name in (*(k for k, _m in EVIDENCE_KINDS), EVIDENCE_FILE):
        yield f"{evidence}/{name}:label", EVIDENCE_LABELS[name]
    for kind, items in _choice_lists(catalog):
        for index, (item, _extra) in enumerate(items):
            label = item.name_in(locale)
            if kind == "criteria":
                label = f"{item.code} — {label}"
            yield f"{kind}-{index}", label


def _choice_lists(catalog: CatalogSnapshot):
    stages = {s.id: s for s in catalog.stages}
    regions = {r.id: r for r in catalog.regions}
    yield "stages", [(s, {"name": s.code}) for s in catalog.active_stages()]
    yield (
        "criteria",
        [
            (c, {"name": c.code, "stage": stages[c.parent_id].code})
            for c in catalog.active_criteria()
        ],
    )
    yield "regions", [(r, {"name": r.code}) for r in catalog.regions]
    yield (
        "districts",
        [(d, {"name": d.name_en, "region": regions[d.parent_id].code}) for d in catalog.districts],
    )


def _secondary_instances(catalog: CatalogSnapshot) -> list[str]:
    out = []
    for kind, items in _choice_lists(catalog):
        out.append(f'<instance id="{kind}"><root>')
        for index, (_item, fields) in enumerate(items):
            cells = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
            out.append(f"<item><itextId>{kind}-{index}</itextId>{cells}</item>")
        out.append("</root></instance>")
    return out
