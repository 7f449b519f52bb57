"""The app under gunicorn (two workers, the suite's database, 127.0.0.1 only): concurrent
observers lose nothing, a worker killed mid-request leaves no partial report, and the login
rate limit holds across workers when it is kept in Redis. Bounded: well under a minute."""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import signal
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from bench.harness import Client, Gunicorn, catalog_choice, cpu_ticks, report_fields
from observer.audit.service import verify_review_chain
from observer.models import Attachment, Report, ReviewEvent, Status
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.reliability

REPORT_URL = re.compile(r"/reports/(\d+)$")
REFERENCE = re.compile(r"R-\d{4}-\d{6}")
SECRET = "reliability-test-secret"


@pytest.fixture
def server_env(database_url, tmp_path):
    return {
        "OBSERVER_DATABASE_URL": database_url,
        "OBSERVER_SECRET_KEY": SECRET,
        "OBSERVER_LOGIN_RATE_LIMIT": "1000 per minute",
        "OBSERVER_LOGIN_ADDRESS_RATE_LIMIT": "1000 per minute",
        "OBSERVER_RATELIMIT_STORAGE_URI": "memory://",
    }


def _signed_in_clients(server, users) -> list[Client]:
    clients = []
    for user in users:
        client = Client(server.port)
        client.sign_in(user.email, DEFAULT_PASSWORD)
        clients.append(client)
    return clients


def _acknowledged(status: int, headers: dict) -> int | None:
    """The new report's id when the server confirmed the submission (302 to its page)."""
    match = REPORT_URL.search(headers.get("Location", ""))
    return int(match[1]) if status == 302 and match else None


def test_concurrent_observers_lose_nothing(db, catalog, make_user, server_env, tmp_path):
    """20 observers × 10 submissions at once: every acknowledged report is stored with its own
    unique reference, and no response is a server error."""
    observers = [make_user() for _ in range(20)]
    choice = catalog_choice(db.session)
    outcomes: list[tuple[int, int | None, str | None]] = []
    lock = threading.Lock()

    with Gunicorn(env=server_env, log_dir=tmp_path) as server:
        clients = _signed_in_clients(server, observers)

        def observer(client: Client, index: int) -> None:
            token = client.csrf_token("/reports/new")
            for n in range(10):
                status, headers, _ = client.post(
                    "/reports/new", report_fields(token, choice, index * 100 + n)
                )
                report_id = _acknowledged(status, headers)
                reference = None
                if report_id is not None and n == 9:  # the page shows the reference
                    _, _, page = client.get(f"/reports/{report_id}")
                    found = REFERENCE.search(page.decode())
                    reference = found[0] if found else None
                with lock:
                    outcomes.append((status, report_id, reference))

        threads = [threading.Thread(target=observer, args=(c, i)) for i, c in enumerate(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started

    assert len(outcomes) == 200, f"only {len(outcomes)} submissions finished in {elapsed:.0f}s"
    assert [s for s, _, _ in outcomes if s >= 500] == []
    acknowledged = {rid: ref for _, rid, ref in outcomes if rid is not None}
    assert len(acknowledged) == 200
    shown = {rid: ref for rid, ref in acknowledged.items() if ref}
    assert len(shown) == 20, "each observer's last report page shows its reference"
    stored = dict(
        db.session.execute(
            select(Report.id, Report.reference).where(Report.id.in_(acknowledged))
        ).all()
    )
    assert stored.keys() == acknowledged.keys()
    assert all(stored[rid] == ref for rid, ref in shown.items())
    assert len(set(stored.values())) == 200
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 200
    db.session.refresh(catalog)
    assert catalog.last_report_number == 200
    assert verify_review_chain() is None


def _noise_png(megapixels: float) -> bytes:
    """An incompressible photo-sized PNG: slow enough to clean that a kill lands mid-request."""
    from PIL import Image

    side = int((megapixels * 1_000_000) ** 0.5)
    pixels = random.Random(7).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def test_a_worker_killed_mid_request_leaves_no_partial_report(
    db, catalog, make_user, server_env, tmp_path
):
    observers = [make_user() for _ in range(3)]
    choice = catalog_choice(db.session)
    photo = _noise_png(2.5)
    acknowledged: set[int] = set()
    failures = []  # requests cut off by a kill
    answers = []  # statuses of requests answered without an acknowledgement
    lock = threading.Lock()
    done = threading.Event()

    with Gunicorn(env=server_env, log_dir=tmp_path) as server:
        clients = _signed_in_clients(server, observers)
        tokens = [client.csrf_token("/reports/new") for client in clients]

        def observer(index: int) -> None:
            client = clients[index]
            for n in range(5):
                fields = report_fields(tokens[index], choice, index * 100 + n)
                files = [("evidence", f"photo-{n}.png", "image/png", photo)]
                try:
                    status, headers, _ = client.post("/reports/new", fields, files)
                except OSError as error:  # the worker died under this request
                    with lock:
                        failures.append(repr(error))
                    continue
                report_id = _acknowledged(status, headers)
                with lock:
                    if report_id is not None:
                        acknowledged.add(report_id)
                    else:
                        answers.append(status)

        def killer() -> None:
            """Three times: find the worker that is busy and SIGKILL it."""
            kills = 0
            deadline = time.monotonic() + 60
            while kills < 3 and not done.is_set() and time.monotonic() < deadline:
                time.sleep(0.4)
                pids = server.worker_pids()
                try:
                    before = {pid: cpu_ticks(pid) for pid in pids}
                    time.sleep(0.15)
                    busy = {pid: cpu_ticks(pid) - before[pid] for pid in pids}
                except (OSError, KeyError):
                    continue
                pid, ticks = max(busy.items(), key=lambda item: item[1])
                if ticks < 5:  # nobody working right now
                    continue
                os.kill(pid, signal.SIGKILL)
                kills += 1
                while len(server.worker_pids()) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)  # the master starts a replacement

        threads = [threading.Thread(target=observer, args=(i,)) for i in range(len(clients))]
        kill_thread = threading.Thread(target=killer)
        for thread in threads:
            thread.start()
        kill_thread.start()
        for thread in threads:
            thread.join(timeout=120)
        done.set()
        kill_thread.join(timeout=10)

    assert failures, "no kill landed on a request: the test proved nothing"
    assert [status for status in answers if status >= 500] == []
    reports = db.session.execute(select(Report)).scalars().all()
    assert acknowledged <= {report.id for report in reports}
    for report in reports:
        assert report.status == Status.SUBMITTED and report.reference
        files = (
            db.session.execute(select(Attachment).where(Attachment.report_id == report.id))
            .scalars()
            .all()
        )
        assert len(files) == 1, f"report {report.id} lost its evidence"
        assert hashlib.sha256(files[0].data).hexdigest() == files[0].sha256
        assert files[0].size == len(files[0].data)
        events = db.session.execute(
            select(func.count(ReviewEvent.id)).where(ReviewEvent.report_id == report.id)
        ).scalar_one()
        assert events == 1, f"report {report.id} has {events} submission events"
    assert verify_review_chain() is None


@pytest.fixture
def redis_url():
    """A Redis database on 127.0.0.1 with a key prefix of our own, emptied of our keys after."""
    import redis

    url = "redis://127.0.0.1:6379/13"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.ConnectionError:
        os.system('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""')  # noqa: S605
        time.sleep(1)
        connection.ping()  # still down: fail loudly rather than skip
    prefix = f"observer-test-{uuid.uuid4().hex[:10]}"
    yield url, prefix
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_login_rate_limit_holds_across_two_workers(db, server_env, redis_url, tmp_path):
    url, prefix = redis_url
    limit = 4
    env = {
        **server_env,
        "OBSERVER_RATELIMIT_STORAGE_URI": url,
        "OBSERVER_RATELIMIT_KEY_PREFIX": prefix,
        "OBSERVER_LOGIN_RATE_LIMIT": f"{limit} per minute",
    }
    statuses: list[int] = []
    lock = threading.Lock()

    with Gunicorn(env=env, log_dir=tmp_path) as server:
        clients = [Client(server.port) for _ in range(2 * limit + 2)]
        tokens = [client.csrf_token("/login") for client in clients]  # GETs are not limited

        def attempt(index: int) -> None:
            status, _, _ = clients[index].post(
                "/login",
                {"csrf_token": tokens[index], "email": "nobody@example.org", "password": "x" * 12},
            )
            with lock:
                statuses.append(status)

        # Pairs at once, so both workers take attempts while the count is shared in Redis.
        for first in range(0, len(clients), 2):
            pair = [threading.Thread(target=attempt, args=(i,)) for i in (first, first + 1)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join(timeout=30)
        posts = [
            (pid, status) for pid, status, line in server.served_by() if line.startswith("POST")
        ]

    assert len(statuses) == 2 * limit + 2
    assert statuses.count(429) == len(statuses) - limit
    assert all(status == 200 for status in statuses if status != 429)
    assert len({pid for pid, _ in posts}) == 2, "both workers answered sign-in attempts"


def test_openrosa_answers_carry_one_date_header(db, catalog, make_user, server_env, tmp_path):
    """ODK Collect needs the Date header, and HTTP allows one: under gunicorn (which writes its
    own and drops the app's) it comes once, with the OpenRosa version header beside it, on the
    submission HEAD and on a refusal."""
    import http.client

    from tests.factories_openrosa import new_device

    _issued, headers = new_device(make_user())
    with Gunicorn(env=server_env, log_dir=tmp_path) as server:
        for method, path, sent in (
            ("HEAD", "/openrosa/submission", headers),
            ("GET", "/openrosa/formList", {"Authorization": "Basic bm86cGU="}),
        ):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request(method, path, headers=sent)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status in (204, 401), (path, response.status)
            assert len(response.headers.get_all("Date")) == 1, path
            assert response.headers["X-OpenRosa-Version"] == "1.0"
