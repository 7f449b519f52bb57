"""Dashboard and review queue over a million reports on PostgreSQL.

1. The dashboard page (rendered in-process through the Flask test client, signed in as an admin)
   against the raw SQL it needs: the statements over `reports` that the page itself ran, captured
   during one render and replayed on a bare DBAPI cursor. Ratio page / raw, target <= 1.5.
2. The review queue at a depth of 500,000 rows (the keyset cursor of the row at that depth,
   built as the queue builds it) against its first page. Ratio deep / first, target <= 2.

The data comes from `flask demo generate` (seed 1). With --keep the database is kept and reused
by the next run (it is named after the report count); without it, it is dropped at the end.

    python bench/dashboard.py [--reports 1000000] [--depth 500000] [--keep]
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

DASHBOARD_TARGET = 1.5
QUEUE_TARGET = 2.0


def ensure_reports(app, database: Database, count: int) -> None:
    from sqlalchemy import func, select, text

    from observer.demo.generate import generate_reports
    from observer.extensions import db
    from observer.models import Report

    with app.app_context():
        have = db.session.execute(select(func.count(Report.id))).scalar_one()
        if have >= count:
            print(f"reusing {have:,} reports in {database.name}")
            return
        started = time.perf_counter()
        result = generate_reports(count - have, seed=1, observers=500, batch_size=10_000)
        print(
            f"generated {result.reports:,} reports ({result.rows:,} rows) in "
            f"{time.perf_counter() - started:.0f} s, {result.rows_per_second:,.0f} rows/s"
        )
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def capture_report_queries(app, fetch) -> list[tuple[str, object]]:
    """The SQL statements over `reports` that one call of fetch() runs."""
    from sqlalchemy import event

    from observer.extensions import db

    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if " reports" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        fetch()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def replay(app, statements) -> None:
    from observer.extensions import db

    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            connection.rollback()
        finally:
            connection.close()


def deep_cursor(app, depth: int) -> str:
    """The `after` cursor the queue would hand out after showing `depth` rows (default filters)."""
    from sqlalchemy import select

    from observer.extensions import db
    from observer.models import Report
    from observer.review.queue import DEFAULT_SORT, SORTS, QueueQuery, encode_cursor

    column, descending = SORTS[DEFAULT_SORT]
    order = (column.desc(), Report.id.desc()) if descending else (column, Report.id)
    with app.app_context():
        report = db.session.execute(
            select(Report)
            .where(*QueueQuery().conditions())
            .order_by(*order)
            .offset(depth - 1)
            .limit(1)
        ).scalar_one()
        return encode_cursor(DEFAULT_SORT, report)


def page(client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    fetch()  # warm-up: templates, caches, the database's buffers
    return fetch


def main() -> tuple[float, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--depth", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each (median)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    args = parser.parse_args()

    database = Database(f"observer_bench_{args.reports}")
    if not database.exists():
        database.create()
    try:
        app = make_app(database.url)
        prepare(app)
        ensure_reports(app, database, args.reports)
        client = signed_in_client(app, ADMIN_EMAIL)

        statements = capture_report_queries(app, lambda: client.get("/dashboard/"))
        replay(app, statements)
        dashboard, raw = paired_medians(
            page(client, "/dashboard/"), lambda: replay(app, statements), args.repeat
        )
        cursor = deep_cursor(app, args.depth)
        first, deep = paired_medians(
            page(client, "/review/"), page(client, f"/review/?after={cursor}"), args.repeat
        )
        with app.app_context():
            from observer.extensions import db

            db.engine.dispose()
    finally:
        if args.keep:
            print(f"kept database {database.name} for the next run (--keep)")
        else:
            database.drop()

    dashboard_ratio = dashboard / raw
    queue_ratio = deep / first
    print(f"machine: {machine()}")
    print(f"reports: {args.reports:,} (PostgreSQL, medians of {args.repeat}, run alternately)")
    print(f"dashboard page      {ms(dashboard):>12}")
    print(f"raw queries ({len(statements)})     {ms(raw):>12}")
    print(f"queue first page    {ms(first):>12}")
    print(f"queue at {args.depth:,}  {ms(deep):>12}")
    print(
        f"ratio {dashboard_ratio:.3f} (dashboard page / raw queries; target <= "
        f"{DASHBOARD_TARGET}: {'meets' if dashboard_ratio <= DASHBOARD_TARGET else 'ABOVE'}); "
        f"queue ratio {queue_ratio:.3f} (depth {args.depth:,} / first page; target <= "
        f"{QUEUE_TARGET}: {'meets' if queue_ratio <= QUEUE_TARGET else 'ABOVE'})"
    )
    return dashboard_ratio, queue_ratio


if __name__ == "__main__":
    main()
