"""Forms of the assessment pages: a judgment (level, reasoning, evidence), its scope, agreement,
and the recommendations file upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from observer.assessments.content import JudgmentContent
from observer.assessments.scales import levels_of
from observer.forms import ObserverForm, select_choices
from observer.models.base import LANGUAGES

LANGUAGE_LABELS = {"en": _l("English"), "be": _l("Belarusian"), "ru": _l("Russian")}


class ProblemsShown:
    def show_problems(self, error) -> list:
        """Attach the service's messages to their fields; returns those of the whole form."""
        general = []
        for name, messages in error.problems.items():
            field = getattr(self, name, None) if name else None
            if field is None or not hasattr(field, "errors"):
                general.extend(messages)
            else:
                field.errors = [*field.errors, *messages]
        return general


class JudgmentForm(ProblemsShown, ObserverForm):
    level = RadioField(_l("Conclusion"), validators=[InputRequired()])
    reasoning_en = TextAreaField(_l("Reasoning in English"), validators=[Optional()])
    reasoning_be = TextAreaField(_l("Reasoning in Belarusian"), validators=[Optional()])
    reasoning_ru = TextAreaField(_l("Reasoning in Russian"), validators=[Optional()])
    reports = TextAreaField(_l("Verified reports"), validators=[Optional()])
    figures = TextAreaField(_l("Process figures"), validators=[Optional()])
    documents = TextAreaField(_l("Documentary sources"), validators=[Optional()])
    note = StringField(_l("Note on this change"), validators=[Optional(), Length(max=500)])
    version = HiddenField()

    def fill_levels(self, scale: str, language: str) -> None:
        self.level.choices = select_choices(
            (level.code, level.name_in(language)) for level in levels_of(scale)
        )

    def content(self) -> JudgmentContent:
        return JudgmentContent(
            level_code=self.level.data or "",
            reasoning={lang: getattr(self, f"reasoning_{lang}").data or "" for lang in LANGUAGES},
            reports=self.reports.data or "",
            figures=self.figures.data or "",
            documents=self.documents.data or "",
            note=(self.note.data or "").strip() or None,
        )

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class AssessmentForm(JudgmentForm):
    criterion = SelectField(_l("Criterion"), coerce=int, validators=[InputRequired()])
    stage = SelectField(_l("Stage"), coerce=int, validators=[Optional()])
    region = SelectField(_l("Region"), coerce=int, validators=[Optional()])


class FollowUpForm(JudgmentForm):
    level = RadioField(_l("Follow-up rating"), validators=[InputRequired()])


class AgreeForm(ObserverForm):
    version = HiddenField()


class RecommendationsUploadForm(ObserverForm):
    file = FileField(
        _l("CSV or XLSX file"), validators=[FileRequired(message=_l("Choose a CSV or XLSX file."))]
    )
    dry_run = BooleanField(_l("Check only (dry run): write nothing"))


class ScaleLevelForm(ProblemsShown, ObserverForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=32)])
    name_en = StringField(_l("English name"), validators=[InputRequired(), Length(max=120)])
    name_be = StringField(_l("Belarusian name"), validators=[Optional(), Length(max=120)])
    name_ru = StringField(_l("Russian name"), validators=[Optional(), Length(max=120)])
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=999)])
    colour = StringField(_l("Colour"), validators=[InputRequired(), Length(max=7)])
    counts_as_assessed = BooleanField(_l("Counts as assessed"))
    reasoning_required = BooleanField(_l("Needs reasoning"))
    active = BooleanField(_l("Active"))
