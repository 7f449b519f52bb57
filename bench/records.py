"""Process records pages over 100,000 commission members and 50,000 candidates on PostgreSQL.

The composition page (/records/commissions) and the candidate pipeline page (/records/candidates),
rendered in-process through the Flask test client signed in as an admin, against the raw GROUP BY
queries they run: the statements over `commission_members` and `candidates` that each page ran,
captured during one render and replayed on a bare DBAPI cursor. Ratio page / raw, target <= 1.5.

With --template NAME (default observer_template_1m when it exists) the database is a clone of
that template (a million reports), migrated to head; otherwise a new empty database. The records
come from observer/records/demo.py scaled up (precinct commissions, local candidates).

    python bench/records.py [--members 100000] [--candidates 50000] [--template NAME] [--keep]
"""

from __future__ import annotations

import argparse
import time

from common import (  # noqa: I001 - puts the project on sys.path first
    ADMIN_EMAIL,
    Database,
    machine,
    make_app,
    ms,
    paired_medians,
    prepare,
    signed_in_client,
)
from dashboard import page, replay

TARGET = 1.5
DEFAULT_TEMPLATE = "observer_template_1m"
# Members per precinct commission in the scaled-up data (18 appointed, 1 in 4 with one more).
MEMBERS_PER_PEC = 18.25
DEC_AND_TEC_MEMBERS = 2_930


def clone(database: Database, template: str) -> None:
    from sqlalchemy import text

    with database.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database.name}" TEMPLATE "{template}"'))


def template_exists(database: Database, name: str) -> bool:
    probe = Database(name)
    probe.admin = database.admin
    return probe.exists()


def ensure_records(app, members: int, candidates: int) -> None:
    from sqlalchemy import func, select, text

    from observer.extensions import db
    from observer.models import CommissionMember
    from observer.records.demo import seed_demo_records

    with app.app_context():
        have = db.session.execute(select(func.count(CommissionMember.id))).scalar_one()
        if have:
            print(f"reusing {have:,} commission members")
            return
        started = time.perf_counter()
        pecs = max(0, round((members - DEC_AND_TEC_MEMBERS) / MEMBERS_PER_PEC))
        seed_demo_records(pecs=pecs, local_candidates=max(0, candidates - 275), seed=1)
        db.session.commit()
        print(f"generated the process records in {time.perf_counter() - started:.0f} s")
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def counts(app) -> tuple[int, int]:
    from sqlalchemy import func, select

    from observer.extensions import db
    from observer.models import Candidate, CommissionMember

    with app.app_context():
        return (
            db.session.execute(select(func.count(CommissionMember.id))).scalar_one(),
            db.session.execute(select(func.count(Candidate.id))).scalar_one(),
        )


def capture(app, fetch, tables: tuple[str, ...]) -> list[tuple[str, object]]:
    """The SELECT statements over `tables` that one call of fetch() runs."""
    from sqlalchemy import event

    from observer.extensions import db

    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and any(
            f" {table}" in statement for table in tables
        ):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        fetch()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def main() -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--template", default=None, help="clone this database (a template)")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each (median)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    args = parser.parse_args()

    database = Database(f"observer_bench_records_{args.members}_{args.candidates}")
    template = args.template
    if template is None and template_exists(database, DEFAULT_TEMPLATE):
        template = DEFAULT_TEMPLATE
    if not database.exists():
        if template:
            clone(database, template)
        else:
            database.create()
    try:
        app = make_app(database.url)
        prepare(app)
        ensure_records(app, args.members, args.candidates)
        members, candidates = counts(app)
        client = signed_in_client(app, ADMIN_EMAIL)
        results = []
        for url, tables in (
            ("/records/commissions", ("commission_members",)),
            ("/records/candidates", ("candidates",)),
        ):
            statements = capture(app, lambda url=url: client.get(url), tables)
            replay(app, statements)
            rendered, raw = paired_medians(
                page(client, url), lambda s=statements: replay(app, s), args.repeat
            )
            results.append((url, rendered, raw, len(statements)))
        with app.app_context():
            from observer.extensions import db

            db.engine.dispose()
    finally:
        if args.keep:
            print(f"kept database {database.name} for the next run (--keep)")
        else:
            database.drop()

    print(f"machine: {machine()}")
    print(
        f"commission members: {members:,}, candidates: {candidates:,} (PostgreSQL"
        f"{', clone of ' + template if template else ''}; medians of {args.repeat}, alternately)"
    )
    ratios = []
    for url, rendered, raw, n in results:
        ratios.append(rendered / raw)
        print(f"{url:<24} page {ms(rendered):>12}   raw GROUP BY queries ({n}) {ms(raw):>12}")
    worst = max(ratios)
    print(
        f"ratio {worst:.3f} (worst of composition {ratios[0]:.3f} and pipeline {ratios[1]:.3f}, "
        f"page / raw queries; target <= {TARGET}: {'meets' if worst <= TARGET else 'ABOVE'})"
    )
    return worst


if __name__ == "__main__":
    main()
