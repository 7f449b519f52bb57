"""`flask demo generate --reports N`: bulk synthetic reports for benchmarks and load tests.

Rows are written with SQLAlchemy Core executemany (or COPY on PostgreSQL) in batches, never as
ORM objects, so a million reports take minutes. The data obeys the same rules as real filing:
each report's stage is its criterion's stage and its date falls in that stage's window, every
submitted report has a reference taken from the campaign counter, and every status change has a
review event appended to the one hash chain (so `flask audit verify` passes afterwards).

Run it on a quiet database: it locks the campaign counter and the chain head for its whole
transaction, and reserves blocks of ids ahead of the sequences on PostgreSQL."""

from __future__ import annotations

import random
import time as clock
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from types import SimpleNamespace

from sqlalchemy import select, update

from observer.audit.chain import GENESIS_DIGEST, event_digest
from observer.audit.service import CHAIN_HEAD_ID, event_content
from observer.backup.bulk import BulkWriter
from observer.demo import synthetic as syn
from observer.extensions import db
from observer.models import (
    Campaign,
    ChainHead,
    Criterion,
    District,
    Region,
    Report,
    ReviewEvent,
    Stage,
    User,
    report_criteria,
)
from observer.reports.references import format_reference

SYNTHETIC_DOMAIN = "synthetic.invalid"
STAFF_NOTES = {
    "rejected": "Outside the mission's criteria: the incident concerns a private dispute.",
    "needs_info": "Which polling station was this, and did anyone else witness it?",
}
REVIEW_COMMENT = "Cross-checked with a second observer's account from the same district."


@dataclass
class GenerationResult:
    reports: int
    events: int
    further_criteria: int
    observers: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.reports + self.events + self.further_criteria

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class GenerationError(RuntimeError):
    """The database is not ready for generation (no catalog, ...)."""


def generate_reports(
    count: int,
    *,
    seed: int = 1,
    observers: int = 50,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> GenerationResult:
    """Create `count` synthetic reports (with references, further criteria and review events)
    by `observers` synthetic observer accounts, in one transaction. Deterministic for a seed."""
    from observer.catalog.seed import load_default_catalog

    started = clock.perf_counter()
    load_default_catalog()
    db.session.commit()
    catalog = _Catalog.load()
    authors = _ensure_accounts("observer", max(observers, 1))
    reviewers = _ensure_accounts("coordinator", max(2, observers // 25))
    db.session.commit()

    rng = random.Random(seed)
    conn = db.session.connection()
    writer = BulkWriter(conn)
    # The counter UPDATE comes first: on SQLite it takes the write lock, on PostgreSQL the
    # campaign row lock that every real submission also waits for.
    conn.execute(
        update(Campaign)
        .where(Campaign.id == catalog.campaign.id)
        .values(last_report_number=Campaign.last_report_number)
    )
    number = conn.execute(
        select(Campaign.last_report_number).where(Campaign.id == catalog.campaign.id)
    ).scalar_one()
    head = _lock_chain_head(conn)
    report_ids = writer.reserve_ids(Report.__table__, count)
    event_ids = writer.reserve_ids(ReviewEvent.__table__, 3 * count)

    state = _State(
        number=number,
        year=catalog.campaign.reference_year,
        seq=head[0],
        digest=head[1],
        next_event_id=event_ids,
    )
    plan = _plan(rng, catalog, count)
    made = SimpleNamespace(events=0, criteria=0)
    for start in range(0, count, batch_size):
        reports, links, events = [], [], []
        for offset in range(start, min(start + batch_size, count)):
            key = plan[offset]
            _one_report(
                rng,
                catalog,
                state,
                report_ids + offset,
                key,
                authors,
                reviewers,
                reports,
                links,
                events,
            )
        _chain(events, state)
        writer.write(Report.__table__, reports)
        writer.write(report_criteria, links)
        writer.write(ReviewEvent.__table__, events)
        made.events += len(events)
        made.criteria += len(links)
        if progress:
            progress(min(start + batch_size, count))

    conn.execute(
        update(Campaign)
        .where(Campaign.id == catalog.campaign.id)
        .values(last_report_number=state.number)
    )
    conn.execute(
        update(ChainHead)
        .where(ChainHead.id == CHAIN_HEAD_ID)
        .values(last_seq=state.seq, last_digest=state.digest)
    )
    writer.settle_sequences((Report.__table__, ReviewEvent.__table__))
    db.session.commit()
    return GenerationResult(
        reports=count,
        events=made.events,
        further_criteria=made.criteria,
        observers=len(authors),
        seconds=clock.perf_counter() - started,
    )


@dataclass
class _State:
    number: int  # last reference number used
    year: int  # the campaign's reference year
    seq: int  # last chain seq
    digest: str  # last chain digest
    next_event_id: int
    recent: list | None = None  # (id, reference) of recent submitted reports: duplicate targets


class _Catalog:
    def __init__(self, campaign, criteria, regions):
        self.campaign = campaign
        self.criteria = criteria  # [(id, stage_id, stage_code, name, first_day, last_day)]
        self.regions = regions  # [(region_id, weight, [(district_id, name), ...])]
        self.region_draw = syn.Weighted([(i, region[1]) for i, region in enumerate(regions)])

    @classmethod
    def load(cls) -> _Catalog:
        campaign = db.session.execute(
            select(Campaign).order_by(Campaign.active.desc(), Campaign.id).limit(1)
        ).scalar_one_or_none()
        if campaign is None:
            raise GenerationError("No campaign: load the catalog first (flask catalog load).")
        rows = db.session.execute(
            select(Criterion, Stage)
            .join(Stage, Criterion.stage_id == Stage.id)
            .where(Criterion.campaign_id == campaign.id, Criterion.active.is_(True))
            .order_by(Stage.position, Criterion.position)
        ).all()
        criteria = [
            (
                crit.id,
                stage.id,
                stage.code,
                crit.name_en,
                stage.starts_on or campaign.starts_on,
                stage.ends_on or campaign.ends_on,
            )
            for crit, stage in rows
        ]
        regions = []
        for region in db.session.execute(select(Region).order_by(Region.position)).scalars():
            districts = db.session.execute(
                select(District.id, District.name_en)
                .where(District.region_id == region.id)
                .order_by(District.name_en)
            ).all()
            weight = syn.REGION_WEIGHTS.get(region.iso_code, 10)
            regions.append((region.id, weight, [tuple(d) for d in districts]))
        if not criteria or not regions:
            raise GenerationError("The catalog has no criteria or regions: load it first.")
        return cls(campaign, criteria, regions)


def _ensure_accounts(role: str, count: int) -> list[int]:
    """Ids of `count` synthetic accounts of this role, creating the missing ones. They have no
    password, so nobody can sign in as them."""
    from observer.auth.service import create_user

    emails = [f"{role}-{number:05d}@{SYNTHETIC_DOMAIN}" for number in range(1, count + 1)]
    existing = dict(
        db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all()
    )
    ids = []
    for number, email in enumerate(emails, start=1):
        if email not in existing:
            user = create_user(email, f"Synthetic {role} {number}", role, password=None)
            existing[email] = user.id
        ids.append(existing[email])
    return ids


def _lock_chain_head(conn) -> tuple[int, str]:
    row = conn.execute(
        select(ChainHead.last_seq, ChainHead.last_digest)
        .where(ChainHead.id == CHAIN_HEAD_ID)
        .with_for_update()
    ).one_or_none()
    if row is None:
        conn.execute(
            ChainHead.__table__.insert().values(
                id=CHAIN_HEAD_ID, last_seq=0, last_digest=GENESIS_DIGEST
            )
        )
        return 0, GENESIS_DIGEST
    return row.last_seq, row.last_digest


def _plan(rng: random.Random, catalog: _Catalog, count: int) -> array:
    """Each report's (day, criterion) packed in one integer and sorted, so ids follow time the
    way real filing does. Packing keeps a million of them in 8 MB."""
    keys = array("q")
    criteria = catalog.criteria
    for _ in range(count):
        index = rng.randrange(len(criteria))
        day = syn.day_in(rng, criteria[index][4], criteria[index][5])
        keys.append(day.toordinal() * 1024 + index)
    return array("q", sorted(keys))


_STATUS = syn.Weighted(syn.STATUS_WEIGHTS)
_SEVERITY = syn.Weighted(syn.SEVERITY_WEIGHTS)
_SOURCE = syn.Weighted(syn.SOURCE_TYPE_WEIGHTS)
_SCOPE = syn.Weighted(syn.SCOPE_WEIGHTS)
_RELIABILITY = syn.Weighted(syn.RELIABILITY_WEIGHTS)
_CREDIBILITY = syn.Weighted(syn.CREDIBILITY_WEIGHTS)
REPORT_COLUMNS = [column.name for column in Report.__table__.columns]


def _one_report(rng, catalog, state, report_id, key, authors, reviewers, reports, links, events):
    criterion_id, stage_id, stage_code, criterion_name, _, _ = catalog.criteria[key % 1024]
    occurred_on = date.fromordinal(key // 1024)
    region_id, _, districts = catalog.regions[catalog.region_draw.draw(rng)]
    district_id, district_name = rng.choice(districts) if districts else (None, "the region")
    if rng.random() < 0.04:
        district_id = None  # some observers only know the region
    occurred_at = time(rng.randint(7, 21), rng.randrange(0, 60, 5)) if rng.random() < 0.6 else None
    title, narrative = syn.title_and_narrative(rng, criterion_name, district_name)
    status = _STATUS.draw(rng)
    author = rng.choice(authors)
    reviewer = rng.choice(reviewers)
    created_at = syn.moment_after(rng, syn.as_utc(occurred_on, occurred_at), 0.5, 48)
    polling = stage_code in syn.POLLING_STAGES
    complaint = rng.random() < 0.15
    row = {
        "id": report_id,
        "reference": None,
        "author_id": author,
        "campaign_id": catalog.campaign.id,
        "stage_id": stage_id,
        "criterion_id": criterion_id,
        "occurred_on": occurred_on,
        "occurred_at": occurred_at,
        "region_id": region_id,
        "district_id": district_id,
        "settlement": rng.choice(syn.SETTLEMENTS) if rng.random() < 0.5 else None,
        "polling_station": rng.randint(1, 5400) if polling and rng.random() < 0.8 else None,
        "constituency": rng.randint(1, 110) if rng.random() < 0.3 else None,
        "title": title,
        "narrative": narrative,
        "actors": rng.choice(syn.ACTORS) if rng.random() < 0.7 else None,
        "people_affected": rng.randint(1, 200) if rng.random() < 0.4 else None,
        "source_type": _SOURCE.draw(rng),
        "severity": _SEVERITY.draw(rng),
        "scope": _SCOPE.draw(rng),
        "complaint_lodged": complaint,
        "complaint_to": rng.choice(syn.COMPLAINT_BODIES) if complaint else None,
        "complaint_outcome": "No answer within the legal time limit." if complaint else None,
        "status": status,
        "source_reliability": None,
        "info_credibility": None,
        "duplicate_of_id": None,
        "commission_id": None,
        "candidate_id": None,
        "version": 1,
        "created_at": created_at,
        "updated_at": created_at,
        "submitted_at": None,
        "decided_at": None,
    }
    if rng.random() < 0.15:
        others = rng.sample(range(len(catalog.criteria)), 2)[: rng.randint(1, 2)]
        for index in others:
            if catalog.criteria[index][0] != criterion_id:
                links.append((report_id, catalog.criteria[index][0]))
    if status != "draft":
        _review_history(rng, state, row, author, reviewer, events)
    reports.append(tuple(row[name] for name in REPORT_COLUMNS))


def _review_history(rng, state, row, author, reviewer, events):
    """Submission, then (for decided reports) the coordinator's decision, as chain events."""
    if state.recent is None:
        state.recent = []
    state.number += 1
    row["reference"] = format_reference(state.year, state.number)
    submitted = syn.moment_after(rng, row["created_at"], 0.1, 30)
    row.update(submitted_at=submitted, updated_at=submitted, version=2)
    events.append([row["id"], author, submitted, "status", "draft", "submitted", None, None])
    status = row["status"]
    if status == "duplicate" and not state.recent:
        status = row["status"] = "submitted"
    if status != "submitted":
        decided = syn.moment_after(rng, submitted, 2, 96)
        if status == "verified" and rng.random() < 0.1:
            noted = syn.moment_after(rng, submitted, 0.5, 1.5)
            events.append([row["id"], reviewer, noted, "comment", None, None, REVIEW_COMMENT, None])
        details = None
        if status == "verified":
            reliability, credibility = _RELIABILITY.draw(rng), _CREDIBILITY.draw(rng)
            row.update(source_reliability=reliability, info_credibility=credibility)
            details = {"source_reliability": reliability, "info_credibility": credibility}
        elif status == "duplicate":
            original_id, original_reference = rng.choice(state.recent)
            row["duplicate_of_id"] = original_id
            details = {"duplicate_of": original_reference}
        note = STAFF_NOTES.get(status)
        events.append([row["id"], reviewer, decided, "status", "submitted", status, note, details])
        row.update(decided_at=decided, updated_at=decided, version=3)
    state.recent.append((row["id"], row["reference"]))
    if len(state.recent) > 2000:
        del state.recent[:1000]


def _chain(events: list[list], state: _State) -> None:
    """Order the batch's events by time, number them and link each to the previous digest.
    Replaces each event list in place by its full review_events row tuple."""
    events.sort(key=lambda event: event[2])
    for index, (report_id, actor_id, at, kind, old, new, note, details) in enumerate(events):
        state.seq += 1
        event = SimpleNamespace(
            seq=state.seq,
            report_id=report_id,
            actor_id=actor_id,
            created_at=at,
            kind=kind,
            from_status=old,
            to_status=new,
            note=note,
            details=details,
        )
        digest = event_digest(event_content(event), state.digest)
        events[index] = (
            state.next_event_id,
            state.seq,
            report_id,
            actor_id,
            at,
            kind,
            old,
            new,
            note,
            details,
            state.digest,
            digest,
        )
        state.next_event_id += 1
        state.digest = digest
