"""Browser tests: the app served on 127.0.0.1 by a real WSGI server in a thread, driven by
Debian's chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        pytest.fail(
            "Debian's chromium is missing (apt-get install chromium): browser tests cannot run"
        )
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_server(make_app, db):
    """The app on a free loopback port for the duration of one test."""
    app = make_app(WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class RequestLog:
    """Every request any page of a context makes; the journey fails on any non-local host."""

    def __init__(self):
        self.urls: list[str] = []

    def attach(self, context):
        context.on("request", lambda request: self.urls.append(request.url))

    def foreign(self) -> list[str]:
        bad = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname != "127.0.0.1":
                bad.append(url)
        return bad


@pytest.fixture
def request_log():
    log = RequestLog()
    yield log
    assert log.foreign() == [], f"requests to other hosts: {log.foreign()}"


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core inside the page (evaluated through DevTools, so the page's CSP still holds
    for everything the page itself loads) and list serious/critical violations."""
    page.evaluate(AXE_SOURCE + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in impacts:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
