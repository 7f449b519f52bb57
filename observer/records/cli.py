"""flask organisations|commissions|candidates|figures load FILE [--dry-run]"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from observer.imports.cli import add_load_command
from observer.records.kinds import KINDS, NoActiveCampaign

DOCS = {
    "organisations": "Nominating organisations: name_en,name_be,name_ru,kind,alignment.",
    "commissions": (
        "Commission nominees: level,commission,region,district,member,nominated_by,route,outcome."
    ),
    "candidates": (
        "Candidates: election,constituency,region,candidate,gender,nominated_by,route,outcome,"
        "reason,decided_on."
    ),
    "figures": "Official figures: metric,region,as_of,value,unit,source_url,retrieved_at.",
}
LOAD_HELP = (
    "{what} Every row is checked first; nothing is written unless the whole file is correct. "
    "Rows are matched by natural key, so loading the same file twice changes nothing. "
    "CSV, XLSX, JSON or YAML; see docs/process-records-format.md."
)


def _factory(name: str):
    def build():
        try:
            return KINDS[name]()
        except NoActiveCampaign:
            raise click.ClickException(
                "there is no active campaign: load one first (flask catalog load)"
            ) from None

    return build


def record_groups() -> list[AppGroup]:
    groups = []
    for name, what in DOCS.items():
        group = AppGroup(name, help=f"Process records: {name}.")
        add_load_command(group, _factory(name), LOAD_HELP.format(what=what))
        groups.append(group)
    return groups
