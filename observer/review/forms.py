"""Forms of the review pages: the queue's GET filter form and the decision forms."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from observer.catalog.ordering import criterion_order, stage_order
from observer.dashboard.queries import ReportFilter
from observer.extensions import db
from observer.forms import ObserverForm, select_choices
from observer.labels import (
    INFO_CREDIBILITY_LABELS,
    QUEUE_STATUSES,
    SEVERITY_LABELS,
    SOURCE_RELIABILITY_LABELS,
    SOURCE_TYPE_LABELS,
    STATUS_LABELS,
)
from observer.models import SEVERITIES, SOURCE_TYPES, Criterion, Region, Stage, Status, User
from observer.review.queue import DEFAULT_SORT, QueueQuery
from observer.review.scope import region_scope

OBSERVER_CODE = re.compile(r"^OBS-\d{1,8}$")
REFERENCE = re.compile(r"^R-\d{4}-\d{6}$")
NOTE_MAX = 5000


class MultiSelect(SelectMultipleField):
    """A multi-valued query parameter; blank values (an empty option in a link) are ignored."""

    def process_formdata(self, valuelist):
        super().process_formdata([value for value in valuelist if value.strip()])


class MultiCheckbox(MultiSelect):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CodesField(StringField):
    """Observer codes, typed as 'OBS-0001 OBS-0002' or given as repeated parameters."""

    def process_formdata(self, valuelist):
        self.data = " ".join(value.strip() for value in valuelist if value.strip())

    @property
    def codes(self) -> tuple[str, ...]:
        parts = re.split(r"[\s,;]+", (self.data or "").upper())
        return tuple(dict.fromkeys(part for part in parts if part))


class QueueFilterForm(ObserverForm):
    """Read from the query string; the dashboard links here with the same parameter names."""

    class Meta:
        csrf = False  # a GET search form changes nothing

    status = MultiCheckbox(
        _l("Status"), choices=select_choices((s, STATUS_LABELS[s]) for s in QUEUE_STATUSES)
    )
    stage = MultiSelect(_l("Stage"), coerce=int, choices=[])
    criterion = MultiSelect(_l("Criterion"), coerce=int, choices=[])
    region = MultiSelect(_l("Region"), coerce=int, choices=[])
    district = MultiSelect(_l("District"), coerce=int, choices=[])
    severity = MultiCheckbox(
        _l("Severity"),
        coerce=int,
        choices=select_choices((level, SEVERITY_LABELS[level]) for level in SEVERITIES),
    )
    source_type = MultiSelect(
        _l("Source type"), choices=select_choices((c, SOURCE_TYPE_LABELS[c]) for c in SOURCE_TYPES)
    )
    date_from = DateField(_l("Happened from"), validators=[Optional()])
    date_to = DateField(_l("Happened until"), validators=[Optional()])
    observer = CodesField(_l("Observer code"), validators=[Optional(), Length(max=200)])
    q = StringField(_l("Text in title or narrative"), validators=[Optional(), Length(max=200)])
    sort = SelectField(
        _l("Sort by"),
        default=DEFAULT_SORT,
        choices=select_choices(
            [
                ("oldest", _l("Oldest submitted first")),
                ("newest", _l("Newest submitted first")),
                ("occurred", _l("Most recent incident first")),
                ("severity", _l("Most severe first")),
            ]
        ),
    )

    held = BooleanField(_l("Include reports other coordinators hold"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def active_filters(self) -> int:
        """How many filters narrow the queue beyond its defaults (shown on the folded form)."""
        names = ("stage", "criterion", "region", "district", "severity", "source_type")
        count = sum(1 for name in names if self[name].data)
        count += sum(1 for name in ("date_from", "date_to", "observer", "q") if self[name].data)
        return count + (1 if self.held.data else 0)

    def validate_observer(self, field):
        bad = [code for code in field.codes if not OBSERVER_CODE.match(code)]
        if bad:
            raise ValidationError(
                _l(
                    "Observer codes look like OBS-0042; not recognised: %(codes)s",
                    codes=", ".join(bad[:3]),
                )
            )


def _note(label, message=None, required=False, description=None):
    validators = [DataRequired(message=message)] if required else [Optional()]
    validators.append(Length(max=NOTE_MAX))
    return TextAreaField(label, validators=validators, description=description)


class DecisionForm(ObserverForm):
    # The report version the coordinator was looking at: a decision on an older version is
    # refused as a conflict instead of silently overwriting someone else's.
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])

    @property
    def version_seen(self) -> int:
        return int(self.version.data)

    def decision_data(self) -> dict:
        """Keyword arguments for service.decide."""
        return {"note": self.note.data}


class VerifyForm(DecisionForm):
    source_reliability = RadioField(
        _l("Source reliability"),
        choices=select_choices(SOURCE_RELIABILITY_LABELS.items()),
        validators=[InputRequired(message=_l("Choose how reliable the source is (A-F)."))],
    )
    info_credibility = RadioField(
        _l("Information credibility"),
        coerce=int,
        choices=select_choices(INFO_CREDIBILITY_LABELS.items()),
        validators=[InputRequired(message=_l("Choose how credible the information is (1-6)."))],
    )
    note = _note(_l("Note (optional)"))

    def decision_data(self) -> dict:
        return {
            "note": self.note.data,
            "source_reliability": self.source_reliability.data,
            "info_credibility": self.info_credibility.data,
        }


class RejectForm(DecisionForm):
    note = _note(
        _l("Reason for rejecting"),
        _l("A reason is required to reject a report."),
        required=True,
    )


class NeedsInfoForm(DecisionForm):
    note = _note(
        _l("Question to the observer"),
        _l("Write the question the observer should answer."),
        required=True,
    )


class DuplicateForm(DecisionForm):
    duplicate_of = StringField(
        _l("Reference of the original report"),
        description=_l("For example R-2024-000012."),
        filters=[lambda value: value.strip().upper() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Give the reference of the report this one duplicates.")),
            Regexp(REFERENCE.pattern, message=_l("References look like R-2024-000012.")),
        ],
    )
    note = _note(_l("Note (optional)"))

    def decision_data(self) -> dict:
        return {"note": self.note.data, "duplicate_of": self.duplicate_of.data}


class ReopenForm(DecisionForm):
    note = _note(
        _l("Why the decision is reopened"),
        _l("A note is required to reopen a decision."),
        required=True,
    )


class CommentForm(ObserverForm):
    note = _note(_l("Comment"), _l("The comment is empty."), required=True)


DECISION_FORMS: dict[str, type[DecisionForm]] = {
    "verify": VerifyForm,
    "reject": RejectForm,
    "needs_info": NeedsInfoForm,
    "duplicate": DuplicateForm,
    "reopen": ReopenForm,
}


def fill_queue_choices(form: QueueFilterForm, user: User, locale: str) -> None:
    """Catalog choices for the filter form; a coordinator limited to some regions is offered
    only those regions and their districts."""
    scope = region_scope(user)
    stages = db.session.execute(select(Stage).order_by(*stage_order())).scalars()
    form.stage.choices = select_choices((stage.id, stage.name_in(locale)) for stage in stages)
    criteria = db.session.execute(select(Criterion).order_by(*criterion_order())).scalars()
    form.criterion.choices = select_choices(
        (criterion.id, f"{criterion.code} · {criterion.name_in(locale)}") for criterion in criteria
    )
    regions_stmt = select(Region).order_by(Region.position, Region.name_en)
    if scope is not None:
        regions_stmt = regions_stmt.where(Region.id.in_(scope))
    regions = db.session.execute(regions_stmt.options(selectinload(Region.districts))).scalars()
    form.region.choices = []
    form.district.choices = []
    for region in regions:
        name = region.name_in(locale)
        form.region.choices.append(SelectChoice(region.id, name))
        form.district.choices.extend(
            SelectChoice(district.id, district.name_in(locale), optgroup=name)
            for district in region.districts
        )


# The queue's own parameters: kept on every link and form of the review pages, so deciding,
# skipping and going back all return to the same filtered, ordered queue.
QUEUE_PARAMS = (
    "status",
    "stage",
    "criterion",
    "region",
    "district",
    "severity",
    "source_type",
    "date_from",
    "date_to",
    "observer",
    "q",
    "sort",
    "held",
)


def queue_args(args) -> dict[str, list[str]]:
    """The queue parameters of a request (a MultiDict), blanks dropped, for url_for."""
    kept = {}
    for name in QUEUE_PARAMS:
        values = [value for value in args.getlist(name) if value.strip()]
        if values:
            kept[name] = values
    return kept


def queue_query(form: QueueFilterForm, user: User) -> QueueQuery:
    """The validated filter form as a queue query, within the viewer's region scope. With no
    status chosen the queue shows what waits for review."""
    return QueueQuery(
        report_filter=ReportFilter(
            statuses=tuple(form.status.data or ()) or (Status.SUBMITTED,),
            stage_ids=tuple(form.stage.data or ()),
            criterion_ids=tuple(form.criterion.data or ()),
            region_ids=tuple(form.region.data or ()),
            district_ids=tuple(form.district.data or ()),
            severities=tuple(form.severity.data or ()),
            source_types=tuple(form.source_type.data or ()),
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            region_scope=region_scope(user),
        ),
        observer_codes=form.observer.codes,
        text=(form.q.data or "").strip() or None,
        sort=form.sort.data or DEFAULT_SORT,
        skip_held_for=None if form.held.data else user.id,
    )


def triage_query(args, user: User) -> QueueQuery:
    """The queue a coordinator came from, read from the parameters carried by the review page's
    links and forms. The catalog choices are not loaded (this runs on every decision): an id
    that names nothing matches nothing, and the region scope still applies. Parameters that do
    not parse give the default queue."""
    form = QueueFilterForm(formdata=args)
    for name in ("stage", "criterion", "region", "district", "source_type"):
        form[name].validate_choice = False
    if not form.validate():
        return QueueQuery(
            report_filter=ReportFilter(
                statuses=(Status.SUBMITTED,), region_scope=region_scope(user)
            ),
            skip_held_for=user.id,
        )
    return queue_query(form, user)


class BulkForm(ObserverForm):
    action = SelectField(
        _l("With the selected reports"),
        choices=select_choices(
            [
                ("take", _l("Take them (hold for me)")),
                ("release", _l("Release my hold")),
                ("reject", _l("Reject with one reason")),
                ("duplicate", _l("Mark as duplicates of one report")),
            ]
        ),
    )
    note = TextAreaField(_l("Reason or note"), validators=[Optional(), Length(max=NOTE_MAX)])
    duplicate_of = StringField(
        _l("Reference of the original report"),
        filters=[lambda value: value.strip().upper() if isinstance(value, str) else value],
        validators=[Optional(), Length(max=20)],
    )
