"""A plausible 2024 data set of process records for `flask demo seed` (and, scaled up, for
bench/records.py): nominating organisations, the district (DEC) and territorial (TEC)
commissions with their nominees, the candidates of both elections with their pipeline, and
the official turnout figures as published, including two sources that disagree.

The shares follow what the 2024 mission reported (pro-government public associations 74.3% of
DEC and 47.1% of TEC members, the four parties 16.3% and 2.83%; Belaya Rus 42% of registered
parliamentary candidates; 263 candidates for 110 seats); names are invented. Seeding twice
changes nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.models import (
    Candidate,
    Commission,
    CommissionLevel,
    CommissionMember,
    District,
    Election,
    OfficialFigure,
    Organisation,
    RefusalReason,
    Region,
)
from observer.records import terms

ORGANISATIONS = [
    # name_en, name_be, name_ru, kind, alignment
    ("Belaya Rus", "Белая Русь", "Белая Русь", "party", "pro_government"),
    (
        "Communist Party of Belarus",
        "Камуністычная партыя Беларусі",
        "Коммунистическая партия Беларуси",
        "party",
        "pro_government",
    ),
    (
        "Liberal Democratic Party of Belarus",
        "Ліберальна-дэмакратычная партыя Беларусі",
        "Либерально-демократическая партия Беларуси",
        "party",
        "pro_government",
    ),
    (
        "Republican Party of Labour and Justice",
        "Рэспубліканская партыя працы і справядлівасці",
        "Республиканская партия труда и справедливости",
        "party",
        "pro_government",
    ),
    (
        "Belarusian Republican Youth Union",
        "Беларускі рэспубліканскі саюз моладзі",
        "Белорусский республиканский союз молодёжи",
        "public_association",
        "pro_government",
    ),
    (
        "Belarusian Union of Women",
        "Беларускі саюз жанчын",
        "Белорусский союз женщин",
        "public_association",
        "pro_government",
    ),
    (
        "Federation of Trade Unions of Belarus",
        "Федэрацыя прафсаюзаў Беларусі",
        "Федерация профсоюзов Беларуси",
        "public_association",
        "pro_government",
    ),
    (
        "Belarusian Public Association of Veterans",
        "Беларускае грамадскае аб'яднанне ветэранаў",
        "Белорусское общественное объединение ветеранов",
        "public_association",
        "pro_government",
    ),
    (
        "Labour collectives",
        "Працоўныя калектывы",
        "Трудовые коллективы",
        "labour_collective",
        "unknown",
    ),
    (
        "Independent initiative groups",
        "Незалежныя ініцыятыўныя групы",
        "Независимые инициативные группы",
        "voters",
        "independent",
    ),
]
PARTIES = ORGANISATIONS[1:4]
ASSOCIATIONS = ORGANISATIONS[4:8]
INDEPENDENT = "Independent initiative groups"

# Appointed members by nominating group: (group, weight in percent).
DEC_SHARES = [("association", 74.3), ("party", 16.3), ("labour", 7.4), ("voters", 2.0)]
TEC_SHARES = [("association", 47.1), ("party", 2.83), ("labour", 38.0), ("voters", 12.07)]
PEC_SHARES = [("association", 62.0), ("party", 4.5), ("labour", 27.0), ("voters", 6.5)]
# House constituencies per region (110 in all).
CONSTITUENCIES = {
    "BY-BR": 16,
    "BY-VI": 14,
    "BY-HO": 17,
    "BY-HR": 13,
    "BY-HM": 20,
    "BY-MI": 17,
    "BY-MA": 13,
}
REASONS = [
    (
        "Invalid signatures of voters",
        "Несапраўдныя подпісы выбаршчыкаў",
        "Недействительные подписи избирателей",
    ),
    (
        "Inaccurate income and property declaration",
        "Недакладная дэкларацыя аб даходах і маёмасці",
        "Недостоверная декларация о доходах и имуществе",
    ),
    (
        "Violation of the nomination procedure",
        "Парушэнне парадку вылучэння",
        "Нарушение порядка выдвижения",
    ),
]
FIRST = {
    "f": [
        "Alena",
        "Hanna",
        "Volha",
        "Natallia",
        "Tatsiana",
        "Iryna",
        "Sviatlana",
        "Maryia",
        "Yuliya",
        "Ludmila",
        "Katsiaryna",
        "Veranika",
    ],
    "m": [
        "Aliaksandr",
        "Siarhei",
        "Andrei",
        "Dzmitry",
        "Ihar",
        "Uladzimir",
        "Viktar",
        "Pavel",
        "Mikalai",
        "Yauhen",
        "Aleh",
        "Vasil",
    ],
}
LAST = [
    "Kavalenka",
    "Novik",
    "Marozau",
    "Shautsou",
    "Karpovich",
    "Lukashevich",
    "Tsikhanau",
    "Zhuk",
    "Bandarenka",
    "Kazlou",
    "Hrynevich",
    "Sakalou",
    "Melnik",
    "Pashkevich",
    "Yakimovich",
    "Makarevich",
    "Kuzmich",
    "Savitski",
    "Dubovik",
    "Klimovich",
]


def _name(rng: random.Random, gender: str, taken: set) -> str:
    while True:
        name = f"{rng.choice(FIRST[gender])} {rng.choice('ABDHIKMPSUV')}. {rng.choice(LAST)}"
        if name not in taken:
            taken.add(name)
            return name
        if len(taken) > 5000:  # a very large commission: a number keeps names apart
            name = f"{name} {len(taken)}"
            taken.add(name)
            return name


def _organisation_ids() -> dict[str, int]:
    existing = dict(db.session.execute(select(Organisation.name_en, Organisation.id)).all())
    for name_en, name_be, name_ru, kind, alignment in ORGANISATIONS:
        if name_en not in existing:
            organisation = Organisation(
                name_en=name_en, name_be=name_be, name_ru=name_ru, kind=kind, alignment=alignment
            )
            db.session.add(organisation)
            db.session.flush()
            existing[name_en] = organisation.id
    return existing


def _pick_nominator(rng, group: str, orgs: dict[str, int]) -> tuple[int | None, str]:
    if group == "association":
        return orgs[rng.choice(ASSOCIATIONS)[0]], "public_association"
    if group == "party":
        return orgs[rng.choice([ORGANISATIONS[0], *PARTIES])[0]], "party"
    if group == "labour":
        return orgs["Labour collectives"], "labour_collective"
    return None, "voters"


def _members(rng, commission_id, seats, shares, orgs, independents=0, extra_nominees=0):
    """Appointed members by the shares, `independents` of them from the independent groups,
    and `extra_nominees` put forward but not appointed (independents and parties)."""
    taken: set[str] = set()
    groups = [g for g, _w in shares]
    weights = [w for _g, w in shares]
    rows = []
    for seat in range(seats):
        gender = "f" if rng.random() < 0.68 else "m"
        if seat < independents:
            organisation_id, route = orgs[INDEPENDENT], "voters"
        else:
            organisation_id, route = _pick_nominator(rng, rng.choices(groups, weights)[0], orgs)
        rows.append(
            {
                "commission_id": commission_id,
                "name": _name(rng, gender, taken),
                "organisation_id": organisation_id,
                "route": route,
                "outcome": "appointed",
            }
        )
    for _n in range(extra_nominees):
        independent = rng.random() < 0.6
        organisation_id, route = (
            (orgs[INDEPENDENT], "voters") if independent else _pick_nominator(rng, "party", orgs)
        )
        rows.append(
            {
                "commission_id": commission_id,
                "name": _name(rng, "m", taken),
                "organisation_id": organisation_id,
                "route": route,
                "outcome": "not_appointed",
            }
        )
    return rows


def _commission(campaign_id, level_id, region_id, name, district_id=None) -> int:
    commission = Commission(
        campaign_id=campaign_id,
        level_id=level_id,
        region_id=region_id,
        name=name,
        district_id=district_id,
    )
    db.session.add(commission)
    db.session.flush()
    return commission.id


def seed_commissions(campaign_id: int, rng: random.Random, orgs: dict, pecs: int = 0) -> int:
    levels = dict(db.session.execute(select(CommissionLevel.code, CommissionLevel.id)).all())
    regions = {r.iso_code: r for r in db.session.execute(select(Region)).scalars()}
    rows: list[dict] = []
    number = 0
    for iso, count in CONSTITUENCIES.items():
        for _n in range(count):
            number += 1
            commission_id = _commission(campaign_id, levels["dec"], regions[iso].id, str(number))
            rows += _members(
                rng,
                commission_id,
                13,
                DEC_SHARES,
                orgs,
                independents=1 if number % 22 == 0 else 0,
                extra_nominees=1 if number % 3 == 0 else 0,
            )
    districts = db.session.execute(select(District).order_by(District.id)).scalars().all()
    for index, district in enumerate(districts):
        commission_id = _commission(
            campaign_id, levels["tec"], district.region_id, district.name_en, district.id
        )
        rows += _members(
            rng,
            commission_id,
            11,
            TEC_SHARES,
            orgs,
            independents=1 if index % 12 == 0 else 0,
            extra_nominees=1 if index % 2 == 0 else 0,
        )
    for index in range(pecs):
        district = districts[index % len(districts)]
        commission_id = _commission(
            campaign_id, levels["pec"], district.region_id, str(index + 1), district.id
        )
        rows += _members(
            rng, commission_id, 18, PEC_SHARES, orgs, extra_nominees=1 if index % 4 == 0 else 0
        )
        if len(rows) > 20_000:
            db.session.execute(insert(CommissionMember), rows)
            rows = []
    if rows:
        db.session.execute(insert(CommissionMember), rows)
    return number


def _reason_ids() -> list[int]:
    ids = []
    for name_en, name_be, name_ru in REASONS:
        found = db.session.execute(
            select(RefusalReason.id).where(RefusalReason.name_en == name_en)
        ).scalar_one_or_none()
        if found is None:
            reason = RefusalReason(name_en=name_en, name_be=name_be, name_ru=name_ru)
            db.session.add(reason)
            db.session.flush()
            found = reason.id
        ids.append(found)
    return ids


def _candidate_rows(
    rng, election_id, constituency, region_id, count, shares, orgs, reasons, elected: bool
):
    taken: set[str] = set()
    rows = []
    for _n in range(count):
        gender = "f" if rng.random() < 0.32 else "m"
        who = rng.choices([name for name, _w in shares], [w for _n, w in shares])[0]
        organisation_id, route = (None, "voters") if who == "voters" else (orgs[who], "party")
        nominated_on = date(2023, 12, 20) + timedelta(days=rng.randrange(25))
        row = {
            "election_id": election_id,
            "constituency": constituency,
            "region_id": region_id,
            "name": _name(rng, gender, taken),
            "gender": gender,
            "organisation_id": organisation_id,
            "route": route,
            "nominated_on": nominated_on,
            "status": "registered",
            "registered_on": None,
            "refused_on": None,
            "withdrawn_on": None,
            "elected_on": None,
            "refusal_reason_id": None,
            "appeal_outcome": None,
            "appealed_on": None,
        }
        decided = date(2024, 1, 16) + timedelta(days=rng.randrange(14))
        draw = rng.random()
        if draw < 0.085:
            row.update(status="refused", refused_on=decided, refusal_reason_id=rng.choice(reasons))
            if rng.random() < 0.3:
                row.update(appeal_outcome="dismissed", appealed_on=decided + timedelta(days=3))
        else:
            row["registered_on"] = decided
            if draw > 0.99:
                row.update(status="withdrawn", withdrawn_on=date(2024, 2, 10))
        rows.append(row)
    registered = [r for r in rows if r["status"] == "registered"]
    if elected and registered:
        winner = max(
            registered, key=lambda r: (r["organisation_id"] == orgs["Belaya Rus"], rng.random())
        )
        winner.update(status="elected", elected_on=date(2024, 2, 26))
    return rows


HOUSE_SHARES = [
    ("Belaya Rus", 42.0),
    ("Communist Party of Belarus", 14.0),
    ("Liberal Democratic Party of Belarus", 13.0),
    ("Republican Party of Labour and Justice", 8.0),
    ("voters", 23.0),
]
LOCAL_SHARES = [
    ("Belaya Rus", 27.6),
    ("Communist Party of Belarus", 6.0),
    ("Liberal Democratic Party of Belarus", 4.0),
    ("Republican Party of Labour and Justice", 2.4),
    ("voters", 60.0),
]


def seed_candidates(campaign_id: int, rng: random.Random, orgs: dict, local: int) -> int:
    elections = {
        e.code: e
        for e in db.session.execute(
            select(Election).where(Election.campaign_id == campaign_id)
        ).scalars()
    }
    regions = {r.iso_code: r.id for r in db.session.execute(select(Region)).scalars()}
    reasons = _reason_ids()
    rows: list[dict] = []
    number = 0
    for iso, count in CONSTITUENCIES.items():
        for _n in range(count):
            number += 1
            rows += _candidate_rows(
                rng,
                elections["house"].id,
                str(number),
                regions[iso],
                rng.choice((2, 3, 3, 3)),
                HOUSE_SHARES,
                orgs,
                reasons,
                True,
            )
    isos = list(regions)
    seats = elections["local"].seats or 1
    for seat in range(seats):
        count = local // seats + (1 if seat < local % seats else 0)  # spread over every seat
        if not count:
            continue
        rows += _candidate_rows(
            rng,
            elections["local"].id,
            f"L{seat + 1:05d}",
            regions[isos[seat % len(isos)]],
            count,
            LOCAL_SHARES,
            orgs,
            reasons,
            True,
        )
        if len(rows) > 20_000:
            db.session.execute(insert(Candidate), rows)
            rows = []
    if rows:
        db.session.execute(insert(Candidate), rows)
    return number


BELTA = "https://www.belta.by/"
CEC = "https://rec.gov.by/"
OTHER = "https://zachod.pl/"
EARLY_DAY3 = {
    None: 24.44,
    "BY-HO": 30.68,
    "BY-MA": 26.07,
    "BY-BR": 25.48,
    "BY-MI": 23.56,
    "BY-VI": 23.39,
    "BY-HM": 21.35,
    "BY-HR": 20.30,
}
# Cumulative early voting by day, as a multiple of the third day's figure.
EARLY_SCALE = {1: 0.33, 2: 0.66, 3: 1.0, 4: 1.36, 5: 1.69}


def seed_figures(campaign_id: int) -> None:
    regions = {r.iso_code: r.id for r in db.session.execute(select(Region)).scalars()}
    rows = []

    def add(metric, iso, moment, value, unit, url, retrieved):
        rows.append(
            {
                "campaign_id": campaign_id,
                "metric": metric,
                "region_id": regions.get(iso) if iso else None,
                "as_of": moment,
                "value": round(value, 2),
                "unit": unit,
                "source_url": url,
                "retrieved_at": retrieved,
            }
        )

    for day, scale in EARLY_SCALE.items():
        moment = datetime(2024, 2, 19 + day, 18, 0)
        for iso, day3 in EARLY_DAY3.items():
            add(
                "early_turnout",
                iso,
                moment,
                day3 * scale,
                "percent",
                CEC,
                moment + timedelta(hours=2),
            )
    # The fifth day as a second source reported it: kept beside the commission's own figure.
    add(
        "early_turnout",
        None,
        datetime(2024, 2, 24, 18, 0),
        47.9,
        "percent",
        OTHER,
        datetime(2024, 2, 25, 9, 0),
    )
    at_two = {
        None: 59.17,
        "BY-HM": 48.23,
        "BY-HO": 67.09,
        "BY-BR": 62.4,
        "BY-VI": 61.8,
        "BY-HR": 60.9,
        "BY-MI": 60.2,
        "BY-MA": 63.5,
    }
    for iso, value in at_two.items():
        add(
            "turnout",
            iso,
            datetime(2024, 2, 25, 14, 0),
            value,
            "percent",
            BELTA,
            datetime(2024, 2, 25, 15, 0),
        )
    add(
        "turnout",
        None,
        datetime(2024, 2, 25, 20, 0),
        73.09,
        "percent",
        CEC,
        datetime(2024, 2, 26, 8, 0),
    )
    add(
        "polling_stations",
        None,
        datetime(2024, 1, 25, 12, 0),
        5411,
        "count",
        CEC,
        datetime(2024, 1, 26, 9, 0),
    )
    add(
        "candidates_per_seat",
        None,
        datetime(2024, 1, 30, 12, 0),
        2.4,
        "count",
        CEC,
        datetime(2024, 1, 31, 9, 0),
    )
    db.session.execute(insert(OfficialFigure), rows)


def seed_demo_records(pecs: int = 0, local_candidates: int = 18_800, seed: int = 2024) -> bool:
    """Returns False when the campaign has process records already (nothing is added)."""
    campaign = active_campaign()
    if campaign is None:
        return False
    terms.ensure_defaults(campaign)
    has_records = db.session.execute(
        select(func.count(Commission.id)).where(Commission.campaign_id == campaign.id)
    ).scalar_one()
    if has_records:
        return False
    rng = random.Random(seed)
    orgs = _organisation_ids()
    seed_commissions(campaign.id, rng, orgs, pecs=pecs)
    seed_candidates(campaign.id, rng, orgs, local=local_candidates)
    seed_figures(campaign.id)
    db.session.flush()
    return True
