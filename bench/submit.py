"""Submission throughput: the real report form under gunicorn (2 workers) against a bare Flask +
SQLAlchemy endpoint doing one INSERT on the same PostgreSQL database, same server settings.

The real path is everything an observer's Submit costs: session cookie and user load, CSRF check,
the catalog-driven form and its validation, the INSERT, the reference from the campaign counter,
the hash-chained review event, the commit and the redirect. Load comes from this process: N
client threads with their own connections, for a fixed time and a bounded number of requests,
all on 127.0.0.1. Both servers run side by side and are measured in alternating turns. Besides
throughput, latency and memory, the CPU time of the workers, of PostgreSQL and of the load
generator is printed per request. Last line: ratio = real / bare throughput (target >= 0.5).

    python bench/submit.py [--clients 8] [--seconds 10] [--rounds 5]
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
    LoadResult,
    catalog_choice,
    peak_rss_kib,
    report_fields,
    run_load,
)

TARGET = 0.5


class Endpoint:
    """One server under test, with its clients and the action each client repeats."""

    def __init__(self, server: Gunicorn, clients: list[Client], action):
        self.server, self.clients, self.action = server, clients, action
        self.result = LoadResult(seconds=0.0)
        self.cpu = CpuSplit(server.worker_pids())

    def warm_up(self) -> None:  # imports, connection pools, caches, prepared statements
        run_load(self.clients, self.action, seconds=2, max_requests=40)

    def measure(self, seconds: float, max_requests: int) -> None:
        with self.cpu:
            slice_ = run_load(self.clients, self.action, seconds=seconds, max_requests=max_requests)
        self.result.add(slice_)

    def peak_rss(self) -> list[int]:
        return [peak_rss_kib(pid) for pid in self.server.worker_pids()]


def alternate(endpoints: list[Endpoint], args) -> None:
    """Measure the endpoints in turns of seconds/rounds each, so that a change in the machine's
    speed (other tenants, the disk) during the run weighs on both alike."""
    for endpoint in endpoints:
        endpoint.warm_up()
    turn = args.seconds / args.rounds
    for _ in range(args.rounds):
        for endpoint in endpoints:
            endpoint.measure(turn, args.max_requests // args.rounds)


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
    parser.add_argument("--rounds", type=int, default=5, help="turns per endpoint")
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

        bare_env = {"BENCH_DATABASE_URL": database.url}
        with (
            Gunicorn("wsgi:app", env=server_env(database.url)) as real_server,
            Gunicorn("bench.bare_app:app", env=bare_env) as bare_server,
        ):
            clients = [Client(real_server.port) for _ in range(args.clients)]
            tokens = {}
            for client in clients:
                client.sign_in(OBSERVER_EMAIL, PASSWORD)
                tokens[id(client)] = client.csrf_token("/reports/new")
                client.frozen_cookies = True

            def submit(client, number):
                fields = report_fields(tokens[id(client)], choice, number)
                return client.post("/reports/new", fields)[0]

            sample = dict(report_fields("", choice, 0))

            def insert(client, number):
                fields = {"title": f"{sample['title']} {number}", "narrative": sample["narrative"]}
                return client.post("/items", fields)[0]

            real = Endpoint(real_server, clients, submit)
            bare_clients = [Client(bare_server.port) for _ in range(args.clients)]
            bare = Endpoint(bare_server, bare_clients, insert)
            alternate([real, bare], args)
            real_rss, bare_rss = real.peak_rss(), bare.peak_rss()
    finally:
        database.drop()

    return summarize(
        args,
        "gunicorn 2 sync workers, PostgreSQL",
        (("submission", real, real_rss), ("bare insert", bare, bare_rss)),
        TARGET,
    )


def summarize(args, setup: str, measured, target: float) -> float:
    """Print both endpoints' figures and, last, the throughput ratio of the first to the second.
    `measured` is ((label, Endpoint, peak RSS), (label, Endpoint, peak RSS))."""
    print(f"machine: {machine()}")
    print(
        f"{args.clients} clients, {args.seconds:.0f} s each in {args.rounds} alternating turns, "
        + setup
    )
    for label, endpoint, rss in measured:
        describe(label, endpoint.result, rss)
    for label, endpoint, _rss in measured:
        describe_cpu(label, endpoint.result, endpoint.cpu)
    (first, measured_first, _), (second, baseline, _) = measured
    base = baseline.result.throughput
    ratio = measured_first.result.throughput / base if base else 0.0
    verdict = "meets" if ratio >= target else "BELOW"
    print(f"ratio {ratio:.3f} ({first} / {second} throughput; target >= {target}: {verdict})")
    return ratio


if __name__ == "__main__":
    main()
