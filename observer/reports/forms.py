"""The incident report form, built from the active catalog for each request."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from observer.catalog.snapshot import catalog_snapshot
from observer.forms import ObserverForm
from observer.labels import SEVERITY_MEANINGS, SEVERITY_NAMES
from observer.models import Status
from observer.records import links
from observer.reports import service
from observer.reports.service import ReportData, clean_text

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.NEEDS_INFO: _l("Waiting for your answer"),
    Status.VERIFIED: _l("Verified"),
    Status.REJECTED: _l("Rejected"),
    Status.DUPLICATE: _l("Duplicate"),
}
SOURCE_TYPE_LABELS = {
    "direct_observation": _l("Direct observation"),
    "witness_account": _l("Witness account (first-hand message)"),
    "document": _l("Document (photo, video, paper)"),
    "official_source": _l("Official source (election commission, state media)"),
    "independent_media": _l("Independent media"),
    "social_media": _l("Social media or anonymous"),
}
# The observer's form shows each level with its meaning (domain facts §5).
SEVERITY_LABELS = {
    level: (SEVERITY_NAMES[level], SEVERITY_MEANINGS[level]) for level in SEVERITY_NAMES
}
SCOPE_LABELS = {
    "isolated": _l("Isolated: a single incident"),
    "repeated": _l("Repeated: several similar incidents"),
    "systematic": _l("Systematic: organised or widespread"),
}


def optional_int(value):
    """Select values: '' means nothing chosen; anything else must be a whole number."""
    if value is None or value == "":
        return None
    number = value if isinstance(value, int) else int(value)
    if not service.valid_id(number):
        raise ValueError("not an id")
    return number


def stripped(value):
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


TEXT = [stripped]
CHOOSE = _l("Choose…")


class CatalogSelectField(SelectField):
    """A select over catalog ids. The submitted value is checked against the set of offered
    values, with WTForms' own message, instead of walking every option (127 districts) and
    coercing each one on every post."""

    # WTForms' own message, translated with the others in observer/forms.py.
    INVALID_CHOICE = "Not a valid choice."
    offered: frozenset = frozenset()

    def offer(self, choices: list[SelectChoice], values: frozenset) -> None:
        self.choices = choices
        self.offered = values

    def pre_validate(self, form) -> None:
        if self.process_errors:
            return
        if self.data not in self.offered:
            raise ValidationError(self.gettext(self.INVALID_CHOICE))


class ReportForm(ObserverForm):
    stage = CatalogSelectField(
        _l("Stage of the campaign"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose a stage of the campaign."))],
    )
    criterion = CatalogSelectField(
        _l("Criterion"), coerce=optional_int, validators=[DataRequired(_l("Choose a criterion."))]
    )
    further_criteria = SelectMultipleField(_l("Further criteria (optional)"), coerce=optional_int)
    occurred_on = DateField(
        _l("Date of the incident"), validators=[InputRequired(_l("Give the date of the incident."))]
    )
    occurred_at = TimeField(
        _l("Time (optional)"), format=["%H:%M", "%H:%M:%S"], validators=[Optional()]
    )
    region = CatalogSelectField(
        _l("Region"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose a region."))],
        render_kw={"data-region-select": True},
    )
    district = CatalogSelectField(
        _l("District (if known)"),
        coerce=optional_int,
        validators=[Optional()],
        render_kw={"data-district-select": True},
    )
    settlement = StringField(
        _l("Town or village (optional)"),
        filters=TEXT,
        validators=[Optional(), Length(max=service.SETTLEMENT_MAX)],
    )
    polling_station = IntegerField(
        _l("Polling station number (optional)"),
        validators=[Optional(), NumberRange(*service.POLLING_STATION_RANGE)],
    )
    constituency = IntegerField(
        _l("Constituency number, 1-110 (optional)"),
        validators=[Optional(), NumberRange(*service.CONSTITUENCY_RANGE)],
    )
    title = StringField(
        _l("Title"),
        filters=TEXT,
        validators=[
            DataRequired(_l("Give the report a short title.")),
            Length(max=service.TITLE_MAX),
        ],
    )
    narrative = TextAreaField(
        _l("What happened"),
        filters=TEXT,
        render_kw={"rows": 10},
        validators=[
            DataRequired(_l("Describe what happened.")),
            Length(min=service.NARRATIVE_MIN, max=service.NARRATIVE_MAX),
        ],
    )
    actors = TextAreaField(
        _l("Who was involved (optional)"),
        filters=TEXT,
        validators=[Optional(), Length(max=service.ACTORS_MAX)],
    )
    people_affected = IntegerField(
        _l("Number of people affected (optional)"),
        validators=[Optional(), NumberRange(*service.PEOPLE_AFFECTED_RANGE)],
    )
    source_type = RadioField(
        _l("Source of the information"),
        choices=[SelectChoice(value, label) for value, label in SOURCE_TYPE_LABELS.items()],
        validators=[InputRequired(_l("Choose the type of source."))],
    )
    severity = RadioField(
        _l("Severity"),
        coerce=optional_int,
        choices=[SelectChoice(str(level), label) for level, (label, _m) in SEVERITY_LABELS.items()],
        validators=[InputRequired(_l("Choose a severity level."))],
    )
    scope = RadioField(
        _l("Scope"),
        choices=[SelectChoice(v, label) for v, label in SCOPE_LABELS.items()],
        validators=[InputRequired(_l("Choose the scope."))],
    )
    complaint_lodged = BooleanField(_l("A complaint was lodged"))
    complaint_to = StringField(
        _l("Complaint lodged with (optional)"),
        filters=TEXT,
        validators=[Optional(), Length(max=service.COMPLAINT_TO_MAX)],
    )
    complaint_outcome = TextAreaField(
        _l("Outcome of the complaint (optional)"),
        filters=TEXT,
        validators=[Optional(), Length(max=service.COMPLAINT_OUTCOME_MAX)],
    )
    commission = links.commission_field()
    candidate = links.candidate_field()
    evidence = MultipleFileField(_l("Evidence files (optional)"))
    answer = TextAreaField(
        _l("Your answer to the coordinator"),
        filters=TEXT,
        validators=[Optional(), Length(max=service.ANSWER_MAX)],
    )
    version = HiddenField()
    save_draft = SubmitField(_l("Save as draft"))
    submit_report = SubmitField(_l("Submit"))

    @classmethod
    def for_campaign(cls, campaign, locale: str, report=None, **kwargs) -> ReportForm:
        """The form with this campaign's catalog as choices (labels in `locale`); with `report`,
        prefilled from it unless the request carries the observer's answers."""
        if report is not None and "data" not in kwargs:
            kwargs["data"] = form_data_from(report)
        form = cls(**kwargs)
        form.set_choices(campaign, locale)
        if report is None or report.status != Status.NEEDS_INFO:
            del form.answer
        return form

    def set_choices(self, campaign, locale: str) -> None:
        self.commission.campaign_id = self.candidate.campaign_id = campaign.id
        catalog = catalog_snapshot(campaign)
        choices = catalog.derived.get(("report_form", locale))
        if choices is None:
            choices = catalog.derived[("report_form", locale)] = _catalog_choices(catalog, locale)
        latest = min(campaign.ends_on, service.latest_possible_date())
        self.occurred_on.render_kw = {
            "min": campaign.starts_on.isoformat(),
            "max": latest.isoformat(),
        }
        for name in CATALOG_FIELDS:
            getattr(self, name).offer(getattr(choices, name), choices.offered[name])
        self.further_criteria.choices = choices.further_criteria
        self.criteria_by_stage = choices.criteria_by_stage

    def validate_report(self, campaign) -> bool:
        """The form's own checks. When they fail, the catalog rules (criterion within the stage,
        district within the region, date within the campaign) are added for fields that are
        otherwise fine, so every problem is shown at once; when they pass, save_report applies
        those rules itself (ReportInvalid, shown with add_errors)."""
        if self.validate():
            return True
        domain = service.validate_report_data(self.to_data(), campaign)
        for name, messages in domain.items():
            target = getattr(self, FIELD_FOR.get(name, name), None)
            if target is not None and not target.errors:
                target.errors = list(target.errors) + list(messages)
        return False

    def to_data(self) -> ReportData:
        return ReportData(
            stage_id=self.stage.data,
            criterion_id=self.criterion.data,
            further_criterion_ids=list(self.further_criteria.data or []),
            occurred_on=self.occurred_on.data,
            occurred_at=self.occurred_at.data,
            region_id=self.region.data,
            district_id=self.district.data,
            settlement=self.settlement.data,
            polling_station=self.polling_station.data,
            constituency=self.constituency.data,
            title=self.title.data or "",
            narrative=self.narrative.data or "",
            actors=self.actors.data,
            people_affected=self.people_affected.data,
            source_type=self.source_type.data,
            severity=self.severity.data,
            scope=self.scope.data,
            complaint_lodged=bool(self.complaint_lodged.data),
            complaint_to=self.complaint_to.data,
            complaint_outcome=self.complaint_outcome.data,
            commission_id=self.commission.record_id,
            candidate_id=self.candidate.record_id,
        )

    def add_errors(self, errors: dict) -> None:
        """Put service-level errors beside their fields (unknown names on the title)."""
        for name, messages in errors.items():
            target = getattr(self, FIELD_FOR.get(name, name), None)
            if target is None:
                target = self.title
            target.errors = list(target.errors) + list(messages)


# ReportData names that differ from the form's field names.
FIELD_FOR = {
    "stage_id": "stage",
    "criterion_id": "criterion",
    "region_id": "region",
    "district_id": "district",
    "further_criterion_ids": "further_criteria",
    "commission_id": "commission",
    "candidate_id": "candidate",
}


def form_data_from(report) -> dict:
    """The report's stored answers under the form's field names."""
    data = ReportData.from_report(report)
    values = {FIELD_FOR.get(name, name): value for name, value in data.items()}
    values["version"] = str(report.version)
    return values


CATALOG_FIELDS = ("stage", "criterion", "region", "district")


@dataclass(frozen=True)
class CatalogChoices:
    stage: list
    criterion: list
    further_criteria: list
    criteria_by_stage: list
    region: list
    district: list
    offered: dict[str, frozenset] = field(init=False)

    def __post_init__(self):
        # The values a CatalogSelectField accepts, as its coerce function reads them.
        offered = {
            name: frozenset(optional_int(c.value) for c in getattr(self, name))
            for name in CATALOG_FIELDS
        }
        object.__setattr__(self, "offered", offered)


def _catalog_choices(catalog, locale: str) -> CatalogChoices:
    """The form's choices for one language, built once per catalog snapshot."""
    criteria = catalog.active_criteria()

    def stage_name(criterion) -> str:
        return catalog.stage(criterion.parent_id).name_in(locale)

    regions = [SelectChoice("", CHOOSE)]
    districts = [SelectChoice("", _l("Not known"))]
    for region in catalog.regions:
        label = region.name_in(locale)
        regions.append(SelectChoice(str(region.id), label, {"data-group": label}))
        districts.extend(
            SelectChoice(str(d.id), d.name_in(locale), optgroup=label)
            for d in catalog.districts_of(region.id)
        )
    # Grouped by stage so the list makes sense without JavaScript.
    criterion_choices = [
        SelectChoice(str(c.id), f"{c.code} — {c.name_in(locale)}", optgroup=stage_name(c))
        for c in criteria
    ]
    return CatalogChoices(
        stage=[SelectChoice("", CHOOSE)]
        + [SelectChoice(str(s.id), s.name_in(locale)) for s in catalog.active_stages()],
        criterion=[SelectChoice("", CHOOSE), *criterion_choices],
        further_criteria=criterion_choices,
        criteria_by_stage=_group(criteria, stage_name),
        region=regions,
        district=districts,
    )


def _group(items, key) -> list[tuple[str, list]]:
    groups: list[tuple[str, list]] = []
    for item in items:
        label = key(item)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(item)
    return groups
