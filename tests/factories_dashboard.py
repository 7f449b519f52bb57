"""A small catalog and a hand-counted set of reports for the dashboard and export tests.

The figures the tests assert are worked out by hand in EXPECTED below, from the table of
REPORTS: change one and recount the other."""

from __future__ import annotations

from datetime import date

from observer.extensions import db
from observer.models import Campaign, Criterion, District, Region, Stage, Status
from tests.factories import make_report

STAGES = (
    ("formation", "Formation of commissions", "Формирование комиссий"),
    ("nomination", "Nomination", "Выдвижение"),
    ("campaigning", "Campaigning", "Агитация"),
    ("early_voting", "Early voting", "Досрочное голосование"),
    ("election_day", "Election day", "День выборов"),
)
CRITERIA = (
    ("COM-01", "formation", "Pluralistic commissions", "Плюралистичные комиссии"),
    ("NOM-01", "nomination", "Right to stand", "Право быть избранным"),
    ("CAM-01", "campaigning", "Freedom to campaign", "Свобода агитации"),
    ("CAM-05", "campaigning", "No intimidation or persecution", "Без запугивания"),
    ("EV-01", "early_voting", "Voluntary early voting", "Добровольное досрочное"),
    ("ED-01", "election_day", "Ballot secrecy", "Тайна голосования"),
)
REGIONS = (
    ("BY-BR", "Brest", "Брестская", ("Brest", "Pinsk")),
    ("BY-MI", "Minsk (oblast)", "Минская", ("Barysaw", "Maladzechna")),
    ("BY-HM", "Minsk city", "г. Минск", ("Frunzenski", "Tsentralny")),
)


def build_catalog(region_names: dict[str, str] | None = None) -> Campaign:
    region_names = region_names or {}
    campaign = Campaign(
        slug="2024",
        name_en="Single voting day 2024",
        reference_year=2024,
        starts_on=date(2023, 11, 20),
        ends_on=date(2024, 3, 31),
        election_day=date(2024, 2, 25),
    )
    db.session.add(campaign)
    stages = {}
    for position, (code, name_en, name_ru) in enumerate(STAGES):
        stages[code] = Stage(
            campaign=campaign, code=code, name_en=name_en, name_ru=name_ru, position=position
        )
    db.session.add_all(stages.values())
    db.session.flush()
    for position, (code, stage, name_en, name_ru) in enumerate(CRITERIA):
        db.session.add(
            Criterion(
                campaign_id=campaign.id,
                stage_id=stages[stage].id,
                code=code,
                name_en=name_en,
                name_ru=name_ru,
                position=position,
            )
        )
    for position, (iso, name_en, name_ru, districts) in enumerate(REGIONS):
        region = Region(
            iso_code=iso, name_en=region_names.get(iso, name_en), name_ru=name_ru, position=position
        )
        db.session.add(region)
        for district in districts:
            db.session.add(District(region=region, name_en=district))
    db.session.commit()
    return campaign


# (criterion, region, district index, day, severity, source type, status)
REPORTS = (
    ("CAM-05", "BY-MI", 0, (2, 10), 3, "witness_account", Status.VERIFIED),  # 1
    ("CAM-05", "BY-MI", 1, (2, 10), 4, "document", Status.VERIFIED),  # 2
    ("CAM-05", "BY-BR", 0, (2, 11), 3, "witness_account", Status.VERIFIED),  # 3
    ("CAM-01", "BY-MI", 0, (2, 11), 2, "direct_observation", Status.VERIFIED),  # 4
    ("CAM-01", "BY-HM", 0, (2, 12), 1, "social_media", Status.VERIFIED),  # 5
    ("EV-01", "BY-BR", 1, (2, 21), 3, "witness_account", Status.VERIFIED),  # 6
    ("EV-01", "BY-BR", 1, (2, 22), 3, "witness_account", Status.VERIFIED),  # 7
    ("EV-01", "BY-MI", 0, (2, 22), 4, "direct_observation", Status.VERIFIED),  # 8
    ("ED-01", "BY-HM", 1, (2, 25), 2, "document", Status.VERIFIED),  # 9
    ("COM-01", "BY-MI", 1, (1, 5), 2, "official_source", Status.VERIFIED),  # 10
    ("CAM-05", "BY-MI", 0, (2, 10), 3, "witness_account", Status.SUBMITTED),  # 11
    ("EV-01", "BY-BR", 0, (2, 21), 4, "witness_account", Status.NEEDS_INFO),  # 12
    ("ED-01", "BY-MI", 0, (2, 25), 1, "witness_account", Status.REJECTED),  # 13
    ("CAM-05", "BY-MI", 0, (2, 10), 3, "witness_account", Status.DRAFT),  # 14
    ("ED-01", "BY-HM", 0, (2, 25), 4, "direct_observation", Status.DRAFT),  # 15
    ("CAM-05", "BY-BR", 0, (2, 11), 3, "witness_account", Status.DUPLICATE),  # 16 (of 3)
)

# Counted by hand from REPORTS (verified only unless said otherwise).
EXPECTED = {
    "total": 10,
    "matrix": {
        ("CAM-05", "campaigning"): 3,
        ("CAM-01", "campaigning"): 2,
        ("EV-01", "early_voting"): 3,
        ("ED-01", "election_day"): 1,
        ("COM-01", "formation"): 1,
    },
    "stage_totals": {
        "formation": 1,
        "nomination": 0,
        "campaigning": 5,
        "early_voting": 3,
        "election_day": 1,
    },
    "regions": {"BY-BR": 3, "BY-MI": 5, "BY-HM": 2},
    "districts_BY-MI": {"Barysaw": 3, "Maladzechna": 2},
    "severity": {1: 1, 2: 3, 3: 4, 4: 2},
    "source_type": {
        "direct_observation": 2,
        "witness_account": 4,
        "document": 2,
        "official_source": 1,
        "independent_media": 0,
        "social_media": 1,
    },
    "days": {
        "2024-01-05": 1,
        "2024-02-10": 2,
        "2024-02-11": 2,
        "2024-02-12": 1,
        "2024-02-21": 1,
        "2024-02-22": 2,
        "2024-02-25": 1,
    },
    # Every status but draft: reports 1-13 and 16.
    "all_total": 14,
    "all_matrix_CAM-05": 5,
    "all_regions": {"BY-BR": 5, "BY-MI": 7, "BY-HM": 2},
}


def build_reports(authors, reviewer, **report_fields) -> list:
    """REPORTS in order (authors alternate); returns them so tests can read references."""
    made = []
    for index, (criterion, region, district, (month, day), severity, source, status) in enumerate(
        REPORTS
    ):
        extra = dict(report_fields)
        if status == Status.DUPLICATE:
            extra["duplicate_of"] = made[2]
        made.append(
            make_report(
                authors[index % len(authors)],
                criterion=criterion,
                region=region,
                district_index=district,
                occurred_on=date(2024, month, day),
                severity=severity,
                source_type=source,
                status=status,
                reviewer=reviewer,
                **extra,
            )
        )
    return made
