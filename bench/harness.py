"""Running the app the way production does, on loopback only: gunicorn processes, a small HTTP
client with cookies and CSRF scraping, a bounded load generator and /proc readings.

Shared by the benchmarks in bench/ and the reliability tests in tests/test_reliability.py.
Every loop here is bounded in requests and in time, and every address is 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]+)\"")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn -w N app` on a free loopback port; the access log records each worker's pid."""

    def __init__(
        self,
        app: str = "wsgi:app",
        *,
        workers: int = 2,
        env: dict | None = None,
        log_dir: Path | None = None,
        timeout: int = 30,
    ):
        self.app = app
        self.workers = workers
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), self.env.get("PYTHONPATH")) if p
        )
        directory = Path(log_dir or tempfile.gettempdir())
        tag = uuid.uuid4().hex[:8]
        self.access_log = directory / f"gunicorn-{tag}-access.log"
        self.error_log = directory / f"gunicorn-{tag}-error.log"
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, ready_path: str = "/") -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            '%(p)s %(s)s "%(r)s" %(L)s',
            "--error-logfile",
            str(self.error_log),
            self.app,
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.error_log.read_text()[-3000:]}")
            if len(self.worker_pids()) == self.workers:
                try:
                    status, _, _ = Client(self.port).get(ready_path)
                    if status < 500:
                        return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not become ready within 60 s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def served_by(self) -> list[tuple[int, int, str]]:
        """(worker pid, status, request line) of every logged request."""
        entries = []
        if self.access_log.exists():
            for line in self.access_log.read_text().splitlines():
                match = re.match(r"<?(\d+)>? (\d+) \"([^\"]*)\"", line)
                if match:
                    entries.append((int(match[1]), int(match[2]), match[3]))
        return entries

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        for path in (self.access_log, self.error_log):
            path.unlink(missing_ok=True)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the most resident memory the process has had, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def process_names() -> dict[int, str]:
    """pid -> command name of every process now running."""
    names = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            names[int(entry.name)] = stat[stat.index("(") + 1 : stat.rindex(")")]
    return names


class CpuSplit:
    """CPU time spent during a measurement by the server's workers, by PostgreSQL (every
    postgres process: backends, WAL writer, checkpointer) and by this process (the load
    generator), so a throughput figure can be read as milliseconds of CPU per request."""

    def __init__(self, worker_pids: list[int]):
        self.groups = {"workers": list(worker_pids), "load generator": [os.getpid()]}
        self.seconds: dict[str, float] = {}

    def _ticks(self) -> dict[str, int]:
        totals = {}
        for group, pids in self.groups.items():
            totals[group] = 0
            for pid in pids:
                with contextlib.suppress(OSError):  # a backend that ended meanwhile
                    totals[group] += cpu_ticks(pid)
        return totals

    def __enter__(self) -> CpuSplit:
        # Backends started by the pool during warm-up exist by now; later ones are missed.
        self.groups["postgres"] = [p for p, n in process_names().items() if n == "postgres"]
        self._before = self._ticks()
        return self

    def __exit__(self, *exc) -> None:
        """Adds to what earlier measurements with this object counted."""
        after = self._ticks()
        hertz = os.sysconf("SC_CLK_TCK")
        for group in self.groups:
            spent = (after[group] - self._before[group]) / hertz
            self.seconds[group] = self.seconds.get(group, 0.0) + spent

    def per_request_ms(self, requests: int) -> dict[str, float]:
        return {g: s * 1000 / requests for g, s in self.seconds.items()} if requests else {}


class Client:
    """One browser-like client: keep-alive when the server allows it, cookies, CSRF tokens."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        # A load client freezes its signed-in session: a browser would follow each redirect and
        # so consume the flashed message; a client that never does would pile them up in its
        # cookie and measure an ever-growing session instead of the endpoint.
        self.frozen_cookies = False
        self.connection: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for header in [] if self.frozen_cookies else response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return response.status, dict(response.headers.items()), data

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict | list, files: list | None = None):
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": content_type})

    def csrf_token(self, path: str) -> str:
        status, _, body = self.get(path)
        match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if status != 200 or match is None:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return VALUE.search(match[0])[1]

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/login")
        status, headers, _ = self.post(
            "/login", {"csrf_token": token, "email": email, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {email} refused (HTTP {status})")


def multipart(fields, files) -> tuple[bytes, str]:
    """multipart/form-data body; files are (field, filename, content type, bytes)."""
    boundary = uuid.uuid4().hex
    items = fields.items() if isinstance(fields, dict) else fields
    parts = []
    for name, value in items:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content_type, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def add(self, other: LoadResult) -> None:
        """Counts another measurement of the same endpoint as part of this one."""
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.errors += other.errors

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_load(
    clients: list, action, *, seconds: float, max_requests: int, expect=(302,)
) -> LoadResult:
    """Each client in its own thread calls action(client, n) -> status until the time or the
    request budget runs out. Only expected statuses count as completed requests."""
    result = LoadResult(seconds=0.0)
    lock = threading.Lock()
    budget = iter(range(max_requests))
    stop_at = time.monotonic() + seconds

    def worker(client):
        while time.monotonic() < stop_at:
            with lock:
                number = next(budget, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                status = action(client, number)
            except (OSError, http.client.HTTPException):
                with lock:
                    result.errors += 1
                continue
            took = time.perf_counter() - started
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status in expect:
                    result.latencies.append(took)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    result.seconds = time.perf_counter() - began
    return result


def catalog_choice(session, criterion_code: str = "CAM-05", region_iso: str = "BY-MI") -> dict:
    """Form values for a valid report: ids of a criterion, its stage, a region and a district."""
    from sqlalchemy import select

    from observer.models import Criterion, District, Region

    criterion = session.execute(
        select(Criterion).where(Criterion.code == criterion_code)
    ).scalar_one()
    region = session.execute(select(Region).where(Region.iso_code == region_iso)).scalar_one()
    district = session.execute(
        select(District.id).where(District.region_id == region.id).order_by(District.id).limit(1)
    ).scalar_one()
    return {
        "stage": criterion.stage_id,
        "criterion": criterion.id,
        "region": region.id,
        "district": district,
        "occurred_on": "2024-02-10",
    }


def report_fields(token: str, choice: dict, number: int) -> list[tuple[str, str]]:
    """The filled-in report form, as a browser posts it when the observer presses Submit."""
    return [
        ("csrf_token", token),
        ("stage", str(choice["stage"])),
        ("criterion", str(choice["criterion"])),
        ("occurred_on", choice["occurred_on"]),
        ("occurred_at", "14:30"),
        ("region", str(choice["region"])),
        ("district", str(choice["district"])),
        ("settlement", "Town centre"),
        ("title", f"Observer turned away from the commission meeting ({number})"),
        (
            "narrative",
            "The chair of the precinct commission refused to let the accredited "
            f"observer attend the meeting and gave no written reason. Case {number}.",
        ),
        ("source_type", "direct_observation"),
        ("severity", "2"),
        ("scope", "isolated"),
        ("submit_report", "Submit"),
    ]
