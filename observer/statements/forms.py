"""Forms for composing, publishing and withdrawing statements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
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
from wtforms.widgets import CheckboxInput, ListWidget

from observer.forms import ObserverForm, select_choices
from observer.statements.kinds import KINDS
from observer.statements.labels import LANGUAGE_SELF_NAMES, STATEMENT_LANGUAGES
from observer.statements.service import SectionInput, StatementInput

EMPTY_SLOTS = 1  # blank section slots offered below the existing ones


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class SectionForm(Form):
    """One body section. A slot left with neither heading nor text is ignored."""

    heading = StringField(_l("Heading"), validators=[Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[Length(max=50000)])
    stage = SelectField(_l("Stage (optional)"), coerce=optional_int, validate_choice=True)
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=1, max=999)])
    remove = BooleanField(_l("Remove this section"))

    @property
    def is_blank(self) -> bool:
        return not (self.heading.data or "").strip() and not (self.body.data or "").strip()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.remove.data or self.is_blank:
            return True  # nothing of it is kept, so nothing to complain about
        if not (self.heading.data or "").strip():
            self.heading.errors = [*self.heading.errors, _l("Give this section a heading.")]
            ok = False
        return ok


class StatementForm(ObserverForm):
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    stages = SelectMultipleField(
        _l("Stages covered"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    period_start = DateField(
        _l("Period from"),
        validators=[InputRequired(_l("Enter the first day of the period."))],
    )
    period_end = DateField(
        _l("Period to"),
        validators=[InputRequired(_l("Enter the last day of the period."))],
    )
    language = SelectField(
        _l("Language of the statement"),
        choices=select_choices((code, LANGUAGE_SELF_NAMES[code]) for code in STATEMENT_LANGUAGES),
    )
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the statement a title.")), Length(max=300)]
    )
    key_findings = TextAreaField(_l("Key findings"), validators=[Length(max=50000)])
    sections = FieldList(FormField(SectionForm), min_entries=0, max_entries=200)
    recommendations = TextAreaField(_l("Recommendations"), validators=[Length(max=50000)])
    methodology = TextAreaField(_l("Methodology note"), validators=[Length(max=50000)])
    save = SubmitField(_l("Save draft"))
    add_section = SubmitField(_l("Add another section"))

    def set_choices(self, campaigns, stages_by_campaign, locale: str) -> None:
        self.campaign.choices = select_choices((c.id, c.name_in(locale)) for c in campaigns)
        stages = [stage for stages in stages_by_campaign.values() for stage in stages]
        several = len(campaigns) > 1
        names = {c.id: c.name_in(locale) for c in campaigns}
        self.stages.choices = select_choices(
            (s.id, (f"{names[s.campaign_id]} · " if several else "") + s.name_in(locale))
            for s in stages
        )
        section_choices = [SelectChoice("", _l("— none —")), *self.stages.choices]
        for entry in self.sections:
            entry.form.stage.choices = section_choices

    def validate_stages(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one stage."))

    def validate_period_end(self, field) -> None:
        start = self.period_start.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("The end of the period must not be before its start."))

    def kept_sections(self) -> list[SectionInput]:
        """Sections to keep, in the order given by their Order numbers (ties: form order)."""
        kept = []
        for index, entry in enumerate(self.sections):
            sub = entry.form
            if sub.remove.data or sub.is_blank:
                continue
            order = sub.position.data if sub.position.data is not None else index + 1
            section = SectionInput(sub.heading.data or "", sub.body.data or "", sub.stage.data)
            kept.append((order, index, section))
        return [section for _order, _index, section in sorted(kept, key=lambda k: k[:2])]

    def to_input(self) -> StatementInput:
        return StatementInput(
            campaign_id=self.campaign.data,
            stage_ids=list(self.stages.data or []),
            language=self.language.data,
            title=self.title.data or "",
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            key_findings=self.key_findings.data or "",
            recommendations=self.recommendations.data or "",
            methodology=self.methodology.data or "",
            sections=self.kept_sections(),
        )


class PublishForm(ObserverForm):
    submit = SubmitField(_l("Publish now"))


class WithdrawForm(ObserverForm):
    reason = TextAreaField(
        _l("Reason for withdrawal (shown publicly)"),
        validators=[
            DataRequired(_l("Give the reason for withdrawing this statement.")),
            Length(max=2000),
        ],
    )
    submit = SubmitField(_l("Withdraw statement"))


class ActionForm(ObserverForm):
    """A bare POST with its CSRF token (create correction, delete draft)."""


class TemplateForm(ObserverForm):
    """Start a draft from one of the mission's publications."""

    kind = SelectField(_l("Publication"), validators=[InputRequired()])
    language = SelectField(
        _l("Language of the statement"),
        choices=select_choices((code, LANGUAGE_SELF_NAMES[code]) for code in STATEMENT_LANGUAGES),
    )
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Start from this template"))

    def set_choices(self, campaigns, locale: str) -> None:
        language = locale if locale in STATEMENT_LANGUAGES else "en"
        self.kind.choices = select_choices(
            (code, kind.name[language]) for code, kind in KINDS.items()
        )
        self.campaign.choices = select_choices((c.id, c.name_in(locale)) for c in campaigns)


class CaseForm(ObserverForm):
    reference = StringField(
        _l("Report reference"),
        validators=[DataRequired(_l("Enter the reference of a verified report.")), Length(max=20)],
    )
    wording = TextAreaField(
        _l("Public wording (no names, no observer, no detail that identifies anyone)"),
        validators=[DataRequired(_l("Write the public wording of the case.")), Length(max=3000)],
    )
    show_date = BooleanField(_l("Show the exact date (otherwise the month only)"))
    show_district = BooleanField(_l("Show the district (otherwise the region only)"))
    submit = SubmitField(_l("Add case example"))


class TranslateForm(ObserverForm):
    language = SelectField(
        _l("Language"),
        choices=select_choices((code, LANGUAGE_SELF_NAMES[code]) for code in STATEMENT_LANGUAGES),
    )
    submit = SubmitField(_l("Start a translation"))


class MissionProfileForm(ObserverForm):
    place_en = StringField(_l("Place (English)"), validators=[Length(max=200)])
    place_be = StringField(_l("Place (Belarusian)"), validators=[Length(max=200)])
    place_ru = StringField(_l("Place (Russian)"), validators=[Length(max=200)])
    contact = TextAreaField(_l("Contact shown on the cover"), validators=[Length(max=1000)])
    logo = FileField(_l("Logo (PNG or JPEG)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    submit = SubmitField(_l("Save"))


class CheckSignatureForm(ObserverForm):
    """Anyone can check a downloaded file against its .minisig on the signing key page."""

    file = FileField(_l("The file (PDF, CSV or JSON)"))
    signature = FileField(_l("Its signature (.minisig)"))
    submit = SubmitField(_l("Check"))
