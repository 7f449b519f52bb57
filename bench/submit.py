"""Submission throughput: the real report form under gunicorn (2 workers) against a bare Flask +
SQLAlchemy endpoint doing one INSERT on the same PostgreSQL database, same server settings.

The real path is everything an observer's Submit costs: session cookie and user load, CSRF check,
the catalog-driven form and its validation, the INSERT, the reference from the campaign counter,
the hash-chained review event, the commit and the redirect. Load comes from this process: N
client threads with their own connections, for a fixed time and a bounded number of requests,
all on 127.0.0.1. Last line: ratio = real / bare throughput (target >= 0.5).

    python bench/submit.py [--clients 8] [--seconds 10]
"""

from __future__ import annotations

import argparse

from common import (  # noqa: I001 - puts the project on sys.path first
    OBSERVER_EMAIL,
    PASSWORD,
    Database,
    machine,
    make_app,
    ms,
    prepare,
    server_env,
)

from bench.harness import (
    Client,
    CpuSplit,
    Gunicorn,
    catalog_choice,
    peak_rss_kib,
    report_fields,
    run_load,
)

TARGET = 0.5


def load(server: Gunicorn, clients, action, args) -> tuple:
    run_load(clients, action, seconds=2, max_requests=40)  # warm-up: imports, pools, caches
    with CpuSplit(server.worker_pids()) as cpu:
        result = run_load(
            clients, action, seconds=args.seconds, max_requests=args.max_requests, expect=(302,)
        )
    rss = [peak_rss_kib(pid) for pid in server.worker_pids()]
    return result, rss, cpu


def describe_cpu(name: str, result, cpu: CpuSplit) -> None:
    """Where the machine's time went, per completed request: the ratio of throughputs is, on
    a saturated machine, the inverse ratio of these sums."""
    split = cpu.per_request_ms(result.ok)
    parts = "   ".join(f"{group} {ms:5.2f}" for group, ms in split.items())
    print(f"{name:<11} CPU ms per request: {parts}   total {sum(split.values()):5.2f}")


def describe(name: str, result, rss) -> None:
    failed = {s: n for s, n in result.statuses.items() if s != 302}
    print(
        f"{name:<11} {result.throughput:8.1f} req/s   p50 {ms(result.percentile(0.5)):>10}   "
        f"p95 {ms(result.percentile(0.95)):>10}   requests {result.ok:>6}   "
        f"peak RSS per worker {', '.join(f'{kib / 1024:.0f} MiB' for kib in rss)}"
        + (f"   unexpected {failed}" if failed else "")
        + (f"   connection errors {result.errors}" if result.errors else "")
    )


def main() -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()

    database = Database().create()
    try:
        app = make_app(database.url)
        prepare(app)
        from bench.bare_app import Base as BareBase
        from observer.extensions import db

        with app.app_context():
            choice = catalog_choice(db.session)
            BareBase.metadata.create_all(db.engine)
            db.engine.dispose()

        with Gunicorn("wsgi:app", env=server_env(database.url)) as server:
            clients = [Client(server.port) for _ in range(args.clients)]
            tokens = {}
            for client in clients:
                client.sign_in(OBSERVER_EMAIL, PASSWORD)
                tokens[id(client)] = client.csrf_token("/reports/new")
                client.frozen_cookies = True

            def submit(client, number):
                fields = report_fields(tokens[id(client)], choice, number)
                return client.post("/reports/new", fields)[0]

            real, real_rss, real_cpu = load(server, clients, submit, args)

        bare_env = {"BENCH_DATABASE_URL": database.url}
        with Gunicorn("bench.bare_app:app", env=bare_env) as server:
            clients = [Client(server.port) for _ in range(args.clients)]
            sample = dict(report_fields("", choice, 0))

            def insert(client, number):
                fields = {"title": f"{sample['title']} {number}", "narrative": sample["narrative"]}
                return client.post("/items", fields)[0]

            bare, bare_rss, bare_cpu = load(server, clients, insert, args)
    finally:
        database.drop()

    print(f"machine: {machine()}")
    print(f"{args.clients} clients, {args.seconds:.0f} s each, gunicorn 2 sync workers, PostgreSQL")
    describe("submission", real, real_rss)
    describe("bare insert", bare, bare_rss)
    describe_cpu("submission", real, real_cpu)
    describe_cpu("bare insert", bare, bare_cpu)
    ratio = real.throughput / bare.throughput if bare.throughput else 0.0
    verdict = "meets" if ratio >= TARGET else "BELOW"
    print(f"ratio {ratio:.3f} (submission / bare throughput; target >= {TARGET}: {verdict})")
    return ratio


if __name__ == "__main__":
    main()
