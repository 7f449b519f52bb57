"""Forms of the records pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from observer.forms import ObserverForm


class LoadForm(ObserverForm):
    file = FileField(
        _l("File (CSV, XLSX, JSON or YAML)"),
        validators=[FileRequired(message=_l("Choose a file."))],
    )
    dry_run = BooleanField(_l("Dry run: check the file and show what would change, write nothing"))
    submit = SubmitField(_l("Load"))


class SourceCopyForm(ObserverForm):
    file = FileField(
        _l("Copy of the source (PDF, or the page saved as an image)"),
        validators=[FileRequired(message=_l("Choose a file."))],
    )
    submit = SubmitField(_l("Keep this copy"))


class OrganisationForm(ObserverForm):
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=200)])
    name_be = StringField(_l("Belarusian name"), validators=[Optional(), Length(max=200)])
    name_ru = StringField(_l("Russian name"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    alignment = SelectField(_l("Alignment"), choices=[])
    submit = SubmitField(_l("Save"))


class NamesPublicForm(ObserverForm):
    public = BooleanField(_l("Members' names may appear in public figures and exports"))
    submit = SubmitField(_l("Save"))
