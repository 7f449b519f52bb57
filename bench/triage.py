"""Election-night triage over a million reports on PostgreSQL, 10,000 of them waiting.

1. A scripted coordinator verifies 200 reports in a row, each decision one request (the POST
   that decides answers with the next report of the queue, taken for them). Every SQL statement
   each request runs is captured (and where it committed) and replayed raw, on a bare DBAPI
   connection, against a twin database cloned from the first before the run, so the replay
   does the same work on the same rows; app request and raw replay alternate. Ratio of the
   medians, target <= 2.
2. The election-night page (/review/night/) against the statements it ran, captured during
   one render and replayed raw on the same database, timed alternately. Ratio, target <= 1.5.

Data: a clone of the template database `--template` (default observer_template_1m, made with
`flask demo generate --reports 1000000 --seed 1 --observers 500`) when it exists, else
`flask demo generate` into a fresh database (`--reports`). Then, in SQL: every waiting report
is marked verified and `--waiting` of them are set back to submitted, received over the last
24 hours. Both databases are dropped at the end unless --keep.

    python bench/triage.py [--template observer_template_1m] [--reports 1000000]
                           [--waiting 10000] [--decisions 200] [--repeat 9] [--keep]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import uuid

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

DECIDE_TARGET = 2.0
NIGHT_TARGET = 1.5
WARM_UP = 10
COMMIT = object()  # marks where the request committed

VERIFY_FORM = re.compile(r'<form method="post" action="([^"]*/decide/verify[^"]*)"')
CSRF = re.compile(r'name="verify-csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="verify-version" type="hidden" value="(\d+)"')
HEADING_REF = re.compile(r"<h1><span class=\"mono\">(R-\d{4}-\d{6})</span>")


def clone(template: str, name: str) -> Database:
    from sqlalchemy import text

    database = Database(name)
    with database.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return database


def make_waiting(app, waiting: int) -> None:
    """Every waiting report decided, then `waiting` of them back to submitted, received over
    the last 24 hours (deterministic: setseed)."""
    from sqlalchemy import text

    from observer.extensions import db

    with app.app_context():
        started = time.perf_counter()
        db.session.execute(text("SELECT setseed(0.16)"))
        db.session.execute(
            text(
                "UPDATE reports SET status = 'verified', source_reliability = 'B', "
                "info_credibility = 2, decided_at = submitted_at WHERE status = 'submitted'"
            )
        )
        db.session.execute(
            text(
                "UPDATE reports SET status = 'submitted', source_reliability = NULL, "
                "info_credibility = NULL, decided_at = NULL, "
                "submitted_at = now() - random() * interval '24 hours' "
                "WHERE id IN (SELECT id FROM reports WHERE status = 'verified' "
                "ORDER BY id DESC LIMIT :n)"
            ),
            {"n": waiting},
        )
        db.session.execute(text("DELETE FROM report_holds"))
        db.session.commit()
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE reports"))
            conn.execute(text("VACUUM ANALYZE review_events"))
        print(f"{waiting:,} reports waiting (set up in {time.perf_counter() - started:.0f} s)")


class Recorder:
    """Every statement the app's engine runs (with its parameters) and every commit."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.log: list = []
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        self.log.append((statement, parameters, executemany))

    def _commit(self, conn):
        self.log.append(COMMIT)

    def take(self) -> list:
        taken, self.log = self.log, []
        return taken

    def stop(self) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


def replay(connection, statements) -> float:
    """Run captured statements on a bare DBAPI connection; seconds taken."""
    started = time.perf_counter()
    cursor = connection.cursor()
    for item in statements:
        if item is COMMIT:
            connection.commit()
            continue
        statement, parameters, executemany = item
        if executemany:
            cursor.executemany(statement, parameters)
        else:
            cursor.execute(statement, parameters)
        if cursor.description is not None:
            cursor.fetchall()
    connection.commit()
    return time.perf_counter() - started


def verify_form(html: str) -> tuple[str, dict]:
    action = VERIFY_FORM.search(html).group(1).replace("&amp;", "&")
    data = {
        "verify-csrf_token": CSRF.search(html).group(1),
        "verify-version": VERSION.search(html).group(1),
        "verify-source_reliability": "B",
        "verify-info_credibility": "2",
    }
    return action, data


def coordinator_run(app, twin_url: str, decisions: int) -> dict:
    from sqlalchemy import create_engine

    from observer.extensions import db

    with app.app_context():
        engine = db.engine
    twin = create_engine(twin_url).raw_connection()
    recorder = Recorder(engine)
    client = signed_in_client(app, ADMIN_EMAIL)
    try:
        queue = client.get("/review/")
        assert queue.status_code == 200
        first = re.search(r'href="(/review/\d+)" class="queue-link"', queue.get_data(as_text=True))
        page = client.get(first.group(1))
        assert page.status_code == 200
        replay(twin, recorder.take())
        server, raw, counts, references = [], [], [], []
        html = page.get_data(as_text=True)
        requests = 0
        for number in range(WARM_UP + decisions):
            action, data = verify_form(html)
            started = time.perf_counter()
            response = client.post(action, data=data)
            elapsed = time.perf_counter() - started
            requests += 1
            assert response.status_code == 200, (number, response.status_code)
            html = response.get_data(as_text=True)
            assert "is verified." in html, number
            statements = recorder.take()
            raw_elapsed = replay(twin, statements)
            if number >= WARM_UP:
                server.append(elapsed)
                raw.append(raw_elapsed)
                counts.append(sum(1 for item in statements if item is not COMMIT))
                references.append(HEADING_REF.search(html).group(1))
    finally:
        recorder.stop()
        twin.close()
    assert len(set(references)) == decisions  # every decision opened a different report
    return {
        "server": statistics.median(server),
        "raw": statistics.median(raw),
        "p95": sorted(server)[int(len(server) * 0.95) - 1],
        "statements": statistics.median(counts),
        "requests_per_decision": (requests - WARM_UP) / decisions,
    }


def night_page(app, repeat: int) -> tuple[float, float, int]:
    from observer.extensions import db

    client = signed_in_client(app, ADMIN_EMAIL)
    url = "/review/night/?refresh=off"
    assert client.get(url).status_code == 200  # warm-up
    with app.app_context():
        engine = db.engine
    recorder = Recorder(engine)
    client.get(url)
    statements = [item for item in recorder.take() if item is not COMMIT]
    recorder.stop()
    connection = engine.raw_connection()

    def fetch():
        response = client.get(url)
        assert response.status_code == 200

    try:
        page, raw = paired_medians(fetch, lambda: replay(connection, statements), repeat)
    finally:
        connection.close()
    return page, raw, len(statements)


def main() -> tuple[float, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default="observer_template_1m")
    parser.add_argument("--reports", type=int, default=1_000_000, help="when there is no template")
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of the night page")
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:8]
    probe = Database(args.template)
    if probe.exists():
        database = clone(args.template, f"observer_bench_triage_{tag}")
        print(f"cloned {args.template} into {database.name}")
    else:
        from dashboard import ensure_reports

        database = Database(f"observer_bench_triage_{tag}").create()
    probe.admin.dispose()
    twin = None
    try:
        app = make_app(database.url)
        prepare(app)
        if not probe.exists():
            ensure_reports(app, database, args.reports)
        make_waiting(app, args.waiting)
        with app.app_context():
            from observer.extensions import db

            db.engine.dispose()
        twin = clone(database.name, f"{database.name}_twin")
        decide = coordinator_run(app, twin.url, args.decisions)
        night, night_raw, night_statements = night_page(app, args.repeat)
        with app.app_context():
            db.engine.dispose()
    finally:
        for each in (database, twin):
            if each is None:
                continue
            if args.keep:
                print(f"kept database {each.name} (--keep)")
            else:
                each.drop()

    decide_ratio = decide["server"] / decide["raw"]
    night_ratio = night / night_raw
    print(f"machine: {machine()}")
    print(
        f"reports waiting: {args.waiting:,}; decisions timed: {args.decisions} "
        f"(after {WARM_UP} warm-up), one POST each: "
        f"{decide['requests_per_decision']:.0f} request per decision"
    )
    print(f"decide + next (server)  median {ms(decide['server']):>10}   p95 {ms(decide['p95'])}")
    statements = f"{decide['statements']:.0f} statements"
    print(f"same SQL replayed raw   median {ms(decide['raw']):>10}   ({statements})")
    print(f"election-night page     median {ms(night):>10}")
    print(f"its SQL replayed raw    median {ms(night_raw):>10}   ({night_statements} statements)")
    print(
        f"ratio {decide_ratio:.3f} (decide+next / raw SQL; target <= {DECIDE_TARGET}: "
        f"{'meets' if decide_ratio <= DECIDE_TARGET else 'ABOVE'}); night ratio "
        f"{night_ratio:.3f} (page / raw SQL; target <= {NIGHT_TARGET}: "
        f"{'meets' if night_ratio <= NIGHT_TARGET else 'ABOVE'})"
    )
    return decide_ratio, night_ratio


if __name__ == "__main__":
    main()
