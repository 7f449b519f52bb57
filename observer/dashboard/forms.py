"""The dashboard's filter form (GET, so a filtered view is a shareable, bookmarkable URL)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from observer.forms import ObserverForm, select_choices
from observer.labels import COUNTABLE_STATUSES, STATUS_LABELS
from observer.models import Status


def optional_int(value):
    """'' (the 'all' choice) → None; anything else must be a whole number."""
    if value in (None, ""):
        return None
    return int(value)


class DashboardFilterForm(ObserverForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    stage = SelectField(_l("Stage"), coerce=optional_int, validators=[Optional()])
    region = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()])
    status = SelectMultipleField(
        _l("Statuses counted"),
        choices=select_choices((code, STATUS_LABELS[code]) for code in COUNTABLE_STATUSES),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )

    def set_choices(self, stages, regions, localize) -> None:
        self.stage.choices = select_choices(
            [("", _l("All stages"))] + [(s.id, localize(s)) for s in stages]
        )
        self.region.choices = select_choices(
            [("", _l("All regions"))] + [(r.id, localize(r)) for r in regions]
        )

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))

    def active_filters(self) -> int:
        """How many filters narrow the figures beyond the default (verified reports, all of
        them): shown on the folded form."""
        count = sum(1 for name in ("date_from", "date_to", "stage", "region") if self[name].data)
        return count + (1 if set(self.status.data or ()) - {Status.VERIFIED} else 0)

    def statuses(self) -> tuple[str, ...]:
        """What to count: verified reports unless the coordinator asked for others."""
        return tuple(self.status.data or ()) or (Status.VERIFIED,)
