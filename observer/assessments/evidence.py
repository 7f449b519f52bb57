"""What a judgment rests on, as typed by a coordinator and as stored.

Three kinds of evidence, each typed in its own box, one item per line (or, for reports, any
whitespace or commas between references):

    reports     R-2024-000123 R-2024-000456           verified reports of the same campaign
    figures     key name=value name=value | label     a process figure: a key of the records'
                                                      figure registry, its parameters, a label
    documents   title | address | YYYY-MM-DD          a documentary source (address and date
                                                      may be left out)

`parse_evidence` checks all three and returns the links to store, or raises `EvidenceError`
listing every problem by box and line. `evidence_warnings` says which stored links no longer
hold (a report no longer verified or gone, a figure key no longer known)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.extensions import db
from observer.models import EvidenceKind, EvidenceLink, Report, Status, User
from observer.review.scope import staff_can_see

REFERENCE = re.compile(r"^R-\d{4}-\d{6}$")
# Figure keys look like "commission_composition" (observer/records/figures.py); parameters are
# name=value pairs.
FIGURE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
PARAMETER = re.compile(r"^([a-z][a-z0-9_]*)=(\S+)$")
MAX_ITEMS = 50
LABEL_MAX = 300
ADDRESS_MAX = 500


class EvidenceError(ValueError):
    """`problems` maps a form field (reports, figures, documents) to its messages."""

    def __init__(self, problems: dict[str, list]):
        self.problems = problems
        super().__init__("; ".join(str(m) for messages in problems.values() for m in messages))


@dataclass(frozen=True)
class EvidenceItem:
    kind: str
    report_id: int | None = None
    report_reference: str | None = None
    figure_key: str | None = None
    figure_params: dict[str, str] | None = None
    label: str | None = None
    address: str | None = None
    published_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly, for the chain's record of the judgment and for statements."""
        if self.kind == EvidenceKind.REPORT:
            return {"kind": self.kind, "reference": self.report_reference}
        if self.kind == EvidenceKind.FIGURE:
            return {
                "kind": self.kind,
                "key": self.figure_key,
                "params": dict(sorted((self.figure_params or {}).items())),
                "label": self.label,
            }
        return {
            "kind": self.kind,
            "title": self.label,
            "address": self.address,
            "date": self.published_on.isoformat() if self.published_on else None,
        }


@dataclass
class _Problems:
    items: dict[str, list] = field(default_factory=dict)

    def add(self, box: str, message) -> None:
        self.items.setdefault(box, []).append(message)


def figure_registry() -> dict[str, Any] | None:
    """The process records' figure registry (observer/records/figures.py: REGISTRY, key ->
    Figure with `parameters` and `required`), or None when that feature is not installed:
    then only the shape of a key and its parameters is checked."""
    try:
        from observer.records import figures  # noqa: PLC0415 - an optional feature
    except ImportError:
        return None
    return getattr(figures, "REGISTRY", None)


def known_figure_keys() -> set[str] | None:
    registry = figure_registry()
    return None if registry is None else set(registry)


def _check_parameters(figure, key: str, params: dict, number: int, problems) -> bool:
    allowed = tuple(getattr(figure, "parameters", ()) or ())
    required = tuple(getattr(figure, "required", ()) or ())
    good = True
    for name in params:
        if name not in allowed:
            problems.add(
                "figures",
                _l(
                    "Line %(line)s: the figure “%(key)s” takes no parameter “%(name)s” "
                    "(it takes: %(allowed)s).",
                    line=number,
                    key=key,
                    name=name,
                    allowed=", ".join(allowed) or "—",
                ),
            )
            good = False
    for name in required:
        if name not in params:
            problems.add(
                "figures",
                _l(
                    "Line %(line)s: the figure “%(key)s” needs the parameter “%(name)s”.",
                    line=number,
                    key=key,
                    name=name,
                ),
            )
            good = False
    return good


def _lines(text: str | None) -> list[tuple[int, str]]:
    return [
        (number, line.strip())
        for number, line in enumerate((text or "").splitlines(), 1)
        if line.strip()
    ]


def _parse_reports(text: str, campaign_id: int, actor: User, problems: _Problems):
    references = [ref.strip().upper() for ref in re.split(r"[\s,;]+", text or "") if ref.strip()]
    unique = list(dict.fromkeys(references))
    for ref in unique:
        if not REFERENCE.match(ref):
            problems.add(
                "reports", _l("“%(ref)s” is not a report reference like R-2024-000123.", ref=ref)
            )
    wanted = [ref for ref in unique if REFERENCE.match(ref)]
    found = (
        {
            report.reference: report
            for report in db.session.execute(
                select(Report).where(Report.reference.in_(wanted))
            ).scalars()
        }
        if wanted
        else {}
    )
    items = []
    for ref in wanted:
        report = found.get(ref)
        if report is None or report.campaign_id != campaign_id or not staff_can_see(actor, report):
            problems.add("reports", _l("There is no report %(ref)s in this campaign.", ref=ref))
        elif report.status != Status.VERIFIED:
            problems.add(
                "reports",
                _l("Report %(ref)s is not verified: only verified reports can be cited.", ref=ref),
            )
        else:
            items.append(EvidenceItem(EvidenceKind.REPORT, report.id, ref))
    return items


def _parse_figures(text: str, problems: _Problems):
    registry = figure_registry()
    items = []
    for number, line in _lines(text):
        spec, _bar, label = line.partition("|")
        words, label = spec.split(), label.strip()
        if not words:
            problems.add("figures", _l("Line %(line)s: the figure key is missing.", line=number))
            continue
        key, params, good = words[0].lower(), {}, True
        if not FIGURE_KEY.match(key):
            problems.add(
                "figures",
                _l(
                    "Line %(line)s: “%(key)s” is not a figure key (lower-case letters, digits "
                    "and underscores, such as commission_composition).",
                    line=number,
                    key=key,
                ),
            )
            good = False
        elif registry is not None and key not in registry:
            problems.add(
                "figures", _l("Line %(line)s: unknown figure “%(key)s”.", line=number, key=key)
            )
            good = False
        for word in words[1:]:
            match = PARAMETER.match(word)
            if match is None:
                problems.add(
                    "figures",
                    _l(
                        "Line %(line)s: “%(word)s” is not a parameter written name=value.",
                        line=number,
                        word=word,
                    ),
                )
                good = False
            else:
                params[match.group(1)] = match.group(2)
        if good and registry is not None:
            good = _check_parameters(registry[key], key, params, number, problems)
        if not label:
            problems.add(
                "figures",
                _l("Line %(line)s: give the figure a label after a vertical bar |.", line=number),
            )
            good = False
        elif len(label) > LABEL_MAX:
            problems.add(
                "figures",
                _l(
                    "Line %(line)s: the label is longer than %(max)s characters.",
                    line=number,
                    max=LABEL_MAX,
                ),
            )
            good = False
        if good:
            items.append(
                EvidenceItem(EvidenceKind.FIGURE, figure_key=key, figure_params=params, label=label)
            )
    return items


def _parse_documents(text: str, problems: _Problems):
    items = []
    for number, line in _lines(text):
        parts = [part.strip() for part in line.split("|")]
        title = parts[0]
        address = parts[1] if len(parts) > 1 and parts[1] else None
        written_date = parts[2] if len(parts) > 2 and parts[2] else None
        good = True
        if not title or len(parts) > 3:
            problems.add(
                "documents",
                _l("Line %(line)s: write title | address | YYYY-MM-DD.", line=number),
            )
            continue
        if len(title) > LABEL_MAX:
            problems.add(
                "documents",
                _l(
                    "Line %(line)s: the title is longer than %(max)s characters.",
                    line=number,
                    max=LABEL_MAX,
                ),
            )
            good = False
        if address is not None:
            parts_of = urlsplit(address)
            if (
                parts_of.scheme not in ("http", "https")
                or not parts_of.netloc
                or len(address) > ADDRESS_MAX
            ):
                problems.add(
                    "documents",
                    _l(
                        "Line %(line)s: “%(address)s” is not a web address (https://…).",
                        line=number,
                        address=address,
                    ),
                )
                good = False
        published_on = None
        if written_date is not None:
            try:
                published_on = date.fromisoformat(written_date)
            except ValueError:
                problems.add(
                    "documents",
                    _l(
                        "Line %(line)s: “%(date)s” is not a date written YYYY-MM-DD.",
                        line=number,
                        date=written_date,
                    ),
                )
                good = False
        if good:
            items.append(
                EvidenceItem(
                    EvidenceKind.DOCUMENT, label=title, address=address, published_on=published_on
                )
            )
    return items


def parse_evidence(
    *, reports: str, figures: str, documents: str, campaign_id: int, actor: User
) -> list[EvidenceItem]:
    problems = _Problems()
    items = (
        _parse_reports(reports, campaign_id, actor, problems)
        + _parse_figures(figures, problems)
        + _parse_documents(documents, problems)
    )
    if len(items) > MAX_ITEMS:
        problems.add("", _l("At most %(max)s pieces of evidence per judgment.", max=MAX_ITEMS))
    if problems.items:
        raise EvidenceError(problems.items)
    return items


def stored_items(links: list[EvidenceLink]) -> list[EvidenceItem]:
    return [
        EvidenceItem(
            link.kind,
            link.report_id,
            link.report_reference,
            link.figure_key,
            dict(link.figure_params or {}) or ({} if link.kind == EvidenceKind.FIGURE else None),
            link.label,
            link.address,
            link.published_on,
        )
        for link in links
    ]


def new_links(items: list[EvidenceItem]) -> list[EvidenceLink]:
    return [
        EvidenceLink(
            kind=item.kind,
            position=position,
            report_id=item.report_id,
            report_reference=item.report_reference,
            figure_key=item.figure_key,
            figure_params=item.figure_params if item.kind == EvidenceKind.FIGURE else None,
            label=item.label,
            address=item.address,
            published_on=item.published_on,
        )
        for position, item in enumerate(items, 1)
    ]


def as_text(links: list[EvidenceLink]) -> dict[str, str]:
    """The stored evidence written back into the three boxes of the form."""
    reports = [link.report_reference for link in links if link.kind == EvidenceKind.REPORT]
    figures = [
        " ".join(
            [link.figure_key or ""]
            + [f"{name}={value}" for name, value in sorted((link.figure_params or {}).items())]
        )
        + f" | {link.label or ''}"
        for link in links
        if link.kind == EvidenceKind.FIGURE
    ]
    documents = [
        " | ".join(
            [
                link.label or "",
                link.address or "",
                link.published_on.isoformat() if link.published_on else "",
            ]
        ).rstrip(" |")
        for link in links
        if link.kind == EvidenceKind.DOCUMENT
    ]
    return {
        "reports": " ".join(reports),
        "figures": "\n".join(figures),
        "documents": "\n".join(documents),
    }


def evidence_warnings(links: list[EvidenceLink]) -> dict[int, Any]:
    """{link id: message} for links that no longer hold up."""
    known = known_figure_keys()
    warnings = {}
    for link in links:
        if link.kind == EvidenceKind.REPORT:
            if link.report is None:
                warnings[link.id] = _l("This report no longer exists.")
            elif link.report.status != Status.VERIFIED:
                warnings[link.id] = _l("This report is no longer verified.")
        elif (
            link.kind == EvidenceKind.FIGURE and known is not None and link.figure_key not in known
        ):
            warnings[link.id] = _l("This figure is no longer available.")
    return warnings
