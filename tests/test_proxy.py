"""The README's production set-up, for real: Debian's nginx with deploy/nginx/observer.conf and a
self-signed certificate in front of gunicorn with gunicorn.conf.py, on free ports of 127.0.0.1.
Checks secure cookies and HSTS over https, the redirect from http, the client address the rate
limits count (clients on other loopback addresses, forging X-Forwarded-For), unknown hosts
refused, and an export downloaded through the proxy. Bounded: well under a minute."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pyotp
import pytest

from bench.harness import CSRF_INPUT, VALUE, free_port
from tests.conftest import DEFAULT_PASSWORD
from tests.factories import make_report

pytestmark = pytest.mark.proxy

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx" / "observer.conf"
HOST = "127.0.0.1"


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if found is None:
        pytest.fail("nginx is missing: run `make system-test-deps` (Debian's nginx)")
    return found


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def site_config(directory: Path, ports: SimpleNamespace, cert: Path, key: Path) -> str:
    """deploy/nginx/observer.conf with this test's ports, certificate and log folder. Each
    replacement must apply, so a change to the shipped file cannot quietly bypass the test."""
    text = SITE.read_text()
    replacements = [
        (r"server 127\.0\.0\.1:8000;", f"server {HOST}:{ports.gunicorn};"),
        (r"\n\s*listen \[::\]:[^\n]*", ""),
        (r"listen 80;", f"listen {HOST}:{ports.http};"),
        (r"listen 443 ssl http2;", f"listen {HOST}:{ports.https} ssl http2;"),
        (r"ssl_certificate /etc/letsencrypt/\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key /etc/letsencrypt/\S+;", f"ssl_certificate_key {key};"),
        (r"/var/log/nginx/", f"{directory}/"),
        (r"root /var/www/letsencrypt;", f"root {directory};"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"deploy/nginx/observer.conf no longer has {pattern!r}"
    return text


def nginx_config(directory: Path, site: Path) -> str:
    temp = (
        "\n".join(
            f"  {kind}_temp_path {directory}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi")
        )
        + f"\n  uwsgi_temp_path {directory}/uwsgi;\n  scgi_temp_path {directory}/scgi;"
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers read the test's temp dir
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n{temp}\n  include {site};\n}}\n"
    )


def wait_until(ready, what: str, processes, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{what}: a process exited with {process.returncode}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not become ready within {seconds} s")


class Browser:
    """A client on its own loopback address, over TLS checked against the test certificate."""

    def __init__(self, stack, source: str = HOST, scheme: str = "https"):
        self.stack, self.source, self.scheme = stack, source, scheme
        self.cookies: dict[str, str] = {}
        self.set_cookie_lines: list[str] = []

    def request(self, method, path, fields=None, headers=None):
        headers = dict(headers or {})
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.scheme == "https":
            connection = http.client.HTTPSConnection(
                HOST,
                self.stack.ports.https,
                context=self.stack.tls,
                source_address=(self.source, 0),
                timeout=30,
            )
        else:
            connection = http.client.HTTPConnection(
                HOST, self.stack.ports.http, source_address=(self.source, 0), timeout=30
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_lines.append(line)
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def csrf(self, path):
        status, _, body = self.request("GET", path)
        assert status == 200, status
        return VALUE.search(CSRF_INPUT.search(body.decode())[0])[1]

    def sign_in(self, email, password=DEFAULT_PASSWORD, headers=None):
        fields = {"csrf_token": self.csrf("/login"), "email": email, "password": password}
        return self.request("POST", "/login", fields, headers)


@pytest.fixture(scope="module")
def redis_limits():
    import redis

    url = "redis://127.0.0.1:6379/12"  # issue 12's database number on the shared server
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.ConnectionError:
        os.system('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""')  # noqa: S605
        time.sleep(1)
        connection.ping()  # still down: fail loudly rather than skip
    prefix = f"observer-proxy-test-{uuid.uuid4().hex[:10]}"
    yield url, prefix
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture(scope="module")
def stack(database_url, tmp_path_factory, redis_limits):
    nginx = nginx_binary()
    directory = tmp_path_factory.mktemp("proxy")
    ports = SimpleNamespace(gunicorn=free_port(), https=free_port(), http=free_port())
    cert, key = self_signed_certificate(directory)
    site = directory / "observer.conf"
    site.write_text(site_config(directory, ports, cert, key))
    (directory / "nginx.conf").write_text(nginx_config(directory, site))
    public_url = f"https://{HOST}:{ports.https}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "OBSERVER_PRODUCTION": "1",
        "OBSERVER_SECRET_KEY": "proxy-test-secret-key",
        "OBSERVER_PUBLIC_URL": public_url,
        "OBSERVER_PROXY_COUNT": "1",
        "OBSERVER_DATABASE_URL": database_url,
        "OBSERVER_RATELIMIT_STORAGE_URI": redis_limits[0],
        "OBSERVER_RATELIMIT_KEY_PREFIX": redis_limits[1],
        "OBSERVER_LOGIN_RATE_LIMIT": "3 per minute",
        "OBSERVER_WEB_BIND": f"{HOST}:{ports.gunicorn}",
        "OBSERVER_WEB_WORKERS": "2",
        "OBSERVER_WEB_ACCESS_LOG": str(directory / "gunicorn-access.log"),
        "OBSERVER_WEB_ERROR_LOG": str(directory / "gunicorn-error.log"),
    }
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env
    )
    proxy = subprocess.Popen(
        [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf")]
        + ["-e", str(directory / "startup-error.log")]
    )
    tls = ssl.create_default_context(cafile=str(cert))
    state = SimpleNamespace(ports=ports, tls=tls, public_url=public_url, directory=directory)
    try:
        wait_until(
            lambda: Browser(state).request("GET", "/login")[0] == 200,
            "nginx and gunicorn",
            [gunicorn, proxy],
        )
        yield state
    finally:
        proxy.send_signal(signal.SIGQUIT)
        gunicorn.terminate()
        for process in (proxy, gunicorn):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_https_carries_hsts_and_cookies_are_secure(stack, make_user):
    observer = make_user("observer")
    browser = Browser(stack)
    status, headers, _ = browser.request("GET", "/login")
    assert status == 200
    assert "max-age=" in headers["Strict-Transport-Security"]
    status, headers, _ = browser.sign_in(observer.email)
    assert status == 302 and headers["Location"] == "/reports/"
    names = {line.split("=", 1)[0] for line in browser.set_cookie_lines}
    assert {"observer_session", "observer_browser"} <= names
    for line in browser.set_cookie_lines:
        assert "Secure" in line and "HttpOnly" in line, line
    assert browser.request("GET", "/reports/")[0] == 200


def test_plain_http_is_sent_to_https(stack):
    status, headers, _ = Browser(stack, scheme="http").request("GET", "/login?next=/reports/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/login?next=/reports/"


def test_rate_limits_count_the_address_nginx_saw_not_a_forged_one(stack, make_user):
    user = make_user("observer")
    first, second = Browser(stack, source="127.0.0.2"), Browser(stack, source="127.0.0.3")
    attempts = [
        first.sign_in(user.email, "wrong password!!", {"X-Forwarded-For": f"198.51.100.{n}"})[0]
        for n in range(5)
    ]
    assert attempts == [200, 200, 200, 429, 429]
    # Another client behind the same proxy has its own count.
    assert second.sign_in(user.email)[0] == 302

    # gunicorn logs the address the app took from X-Forwarded-For: the real clients', never the
    # forged ones, and never nginx's own 127.0.0.1 for these posts.
    def logged_posts() -> list[str]:
        lines = (stack.directory / "gunicorn-access.log").read_text().splitlines()
        return [line.split(" ", 1)[0] for line in lines if '"POST /login' in line]

    deadline = time.monotonic() + 10  # a worker writes its log line after the response
    while "127.0.0.3" not in logged_posts() and time.monotonic() < deadline:
        time.sleep(0.1)
    posts = logged_posts()
    assert posts.count("127.0.0.2") == 5 and "127.0.0.3" in posts
    assert not any(address.startswith("198.51.100.") for address in posts)
    assert "127.0.0.2" in (stack.directory / "observer.access.log").read_text()


def test_an_unknown_host_is_refused_through_the_proxy(stack):
    status, _, body = Browser(stack).request("GET", "/", headers={"Host": "evil.example"})
    assert status == 400
    assert b"not served at this address" in body


def test_an_export_downloads_through_the_proxy(stack, catalog, make_user):
    coordinator, observer = make_user("coordinator"), make_user("observer")
    for _ in range(3):
        make_report(observer, status="verified", reviewer=coordinator)
    browser = Browser(stack, source="127.0.0.4")
    status, headers, _ = browser.sign_in(coordinator.email)
    assert status == 302 and headers["Location"] == "/login/code"
    code = pyotp.TOTP(coordinator.totp_secret).now()
    fields = {"csrf_token": browser.csrf("/login/code"), "code": code}
    assert browser.request("POST", "/login/code", fields)[0] == 302

    # The export is a background job: ask for it, wait on its status, then download its file.
    page = "/dashboard/export/reports?format=csv"
    status, headers, _ = browser.request("POST", page, {"csrf_token": browser.csrf(page)})
    assert status == 303, status
    job_page = urlsplit(headers["Location"]).path
    assert job_page.startswith("/jobs/"), headers["Location"]
    deadline = time.monotonic() + 30
    while True:
        status, _, body = browser.request("GET", f"{job_page}/status")
        assert status == 200, body[:500]
        state = json.loads(body)["status"]
        if state in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert state == "done", body
    status, headers, body = browser.request("GET", f"{job_page}/download")
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert observer.observer_code in body.decode() and observer.email not in body.decode()
