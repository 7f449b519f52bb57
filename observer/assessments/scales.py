"""The two rating scales (conclusions on the standards, follow-up of recommendations). Their
levels are catalog data (`ScaleLevel` rows, editable by admins); these are the defaults a new
database starts with (created on the first use of the assessment pages or commands).

The follow-up defaults express the UPR mid-term figures the mission quotes (implemented, in the
process of implementation, partially implemented, not implemented, not assessed for lack of
information); ODIHR's fully / mostly / partially / not implemented fit the same table."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from observer.extensions import db
from observer.models import ScaleLevel, Scales

# (code, English, Belarusian, Russian, colour, counts as assessed, reasoning required)
DEFAULT_LEVELS = {
    Scales.CONCLUSION: (
        ("meets", "Meets the standard", "Адпавядае стандарту", "Соответствует стандарту",
         "#2e7d4f", True, True),
        ("partially_meets", "Partially meets the standard", "Часткова адпавядае стандарту",
         "Частично соответствует стандарту", "#d9a21b", True, True),
        ("does_not_meet", "Does not meet the standard", "Не адпавядае стандарту",
         "Не соответствует стандарту", "#b3261e", True, True),
        ("not_assessed", "Not assessed", "Не ацэнена", "Не оценено", "#8a96a3", False, False),
    ),
    Scales.FOLLOW_UP: (
        ("implemented", "Implemented", "Выканана", "Выполнена", "#2e7d4f", True, True),
        ("in_progress", "In the process of implementation", "У працэсе выканання",
         "В процессе выполнения", "#5b9bd5", True, True),
        ("partially_implemented", "Partially implemented", "Выканана часткова",
         "Выполнена частично", "#d9a21b", True, True),
        ("not_implemented", "Not implemented", "Не выканана", "Не выполнена", "#b3261e",
         True, True),
        ("not_assessed", "Not assessed (insufficient information)",
         "Не ацэнена (недастаткова інфармацыі)", "Не оценена (недостаточно информации)",
         "#8a96a3", False, False),
    ),
}  # fmt: skip


def ensure_default_scales() -> bool:
    """Create the default levels of a scale that has none (a new database; not in the migration,
    so that an upgraded empty database can still take a restore). Never touches a scale the
    mission has already set up. Returns whether it created any."""
    present = set(db.session.execute(select(ScaleLevel.scale).distinct()).scalars())
    if present >= set(DEFAULT_LEVELS):
        return False
    for scale, levels in DEFAULT_LEVELS.items():
        if scale in present:
            continue
        for position, (code, en, be, ru, colour, assessed, reasoning) in enumerate(levels, 1):
            db.session.add(
                ScaleLevel(
                    scale=scale,
                    code=code,
                    name_en=en,
                    name_be=be,
                    name_ru=ru,
                    position=position,
                    colour=colour,
                    counts_as_assessed=assessed,
                    reasoning_required=reasoning,
                )
            )
    db.session.flush()
    return True


def levels_of(scale: str, active_only: bool = True) -> list[ScaleLevel]:
    query = select(ScaleLevel).where(ScaleLevel.scale == scale)
    if active_only:
        query = query.where(ScaleLevel.active.is_(True))
    return list(db.session.execute(query.order_by(ScaleLevel.position, ScaleLevel.id)).scalars())


def level_by_code(scale: str, code: str) -> ScaleLevel | None:
    return db.session.execute(
        select(ScaleLevel).where(
            ScaleLevel.scale == scale, ScaleLevel.code == code, ScaleLevel.active.is_(True)
        )
    ).scalar_one_or_none()


class ScaleError(ValueError):
    """`problems` maps a form field to its messages."""

    def __init__(self, problems: dict[str, list]):
        self.problems = problems
        super().__init__("; ".join(str(m) for messages in problems.values() for m in messages))


LEVEL_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LEVEL_FIELDS = (
    "name_en",
    "name_be",
    "name_ru",
    "position",
    "colour",
    "counts_as_assessed",
    "reasoning_required",
    "active",
)


def save_level(scale: str, values: dict, level: ScaleLevel | None = None) -> ScaleLevel:
    """Create a level (its code is fixed from then on: judgments and files name it) or change
    one; the caller commits. A level in use may be deactivated, never deleted."""
    problems: dict[str, list] = {}
    if scale not in Scales.ALL:
        problems["scale"] = [_l("Unknown scale.")]
    if level is None:
        code = (values.get("code") or "").strip().lower()
        if not LEVEL_CODE.match(code):
            problems["code"] = [
                _l("Lower-case letters, digits and underscores, e.g. mostly_implemented.")
            ]
        elif db.session.execute(
            select(ScaleLevel.id).where(ScaleLevel.scale == scale, ScaleLevel.code == code)
        ).first():
            problems["code"] = [_l("This scale already has a level “%(code)s”.", code=code)]
    if not (values.get("name_en") or "").strip():
        problems["name_en"] = [_l("Give the level an English name.")]
    if not COLOUR.match(values.get("colour") or ""):
        problems["colour"] = [_l("A colour written #RRGGBB, e.g. #b3261e.")]
    if problems:
        raise ScaleError(problems)
    if level is None:
        level = ScaleLevel(scale=scale, code=code)
        db.session.add(level)
    for name in LEVEL_FIELDS:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        setattr(level, name, value)
    if level.position is None:
        level.position = len(levels_of(scale, active_only=False)) + 1
    db.session.flush()
    return level
