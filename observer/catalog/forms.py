"""Admin forms for stages and criteria. Rules that need the database live in service.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from observer.catalog.fileformat import CRITERION_CODE, STAGE_CODE
from observer.catalog.service import CRITERION_FIELDS, STAGE_FIELDS
from observer.forms import ObserverForm


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class _Names:
    name_en = StringField(
        _l("Name in English"),
        filters=[_strip],
        validators=[DataRequired(_l("The English name is required.")), Length(max=200)],
    )
    name_be = StringField(
        _l("Name in Belarusian"), filters=[_strip], validators=[Optional(), Length(max=200)]
    )
    name_ru = StringField(
        _l("Name in Russian"), filters=[_strip], validators=[Optional(), Length(max=200)]
    )


def _position_field() -> IntegerField:
    return IntegerField(
        _l("Position"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000, message=_l("Give a number from 0 to 100000.")),
        ],
    )


class CriterionForm(_Names, ObserverForm):
    code = StringField(
        _l("Code"),
        filters=[_upper],
        validators=[
            DataRequired(_l("Give the criterion a code.")),
            Length(max=16),
            Regexp(
                CRITERION_CODE,
                message=_l(
                    "Use capital letters and digits in groups joined by hyphens, e.g. CAM-05."
                ),
            ),
        ],
    )
    stage_id = SelectField(
        _l("Stage"),
        coerce=int,
        validators=[DataRequired(_l("Choose a stage."))],
        validate_choice=True,
    )
    description_en = TextAreaField(
        _l("Description in English"), filters=[_strip], validators=[Length(max=4000)]
    )
    description_be = TextAreaField(
        _l("Description in Belarusian"), filters=[_strip], validators=[Length(max=4000)]
    )
    description_ru = TextAreaField(
        _l("Description in Russian"), filters=[_strip], validators=[Length(max=4000)]
    )
    references = TextAreaField(
        _l("References to standards"), filters=[_strip], validators=[Length(max=2000)]
    )
    position = _position_field()
    active = BooleanField(_l("Active (offered on the report form)"), default=True)
    submit = SubmitField(_l("Save criterion"))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in CRITERION_FIELDS}


class StageForm(_Names, ObserverForm):
    code = StringField(
        _l("Code"),
        filters=[_lower],
        validators=[
            DataRequired(_l("Give the stage a code.")),
            Length(max=32),
            Regexp(
                STAGE_CODE,
                message=_l("Use lower-case letters, digits and underscores, e.g. early_voting."),
            ),
        ],
    )
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    position = _position_field()
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save stage"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in STAGE_FIELDS}
