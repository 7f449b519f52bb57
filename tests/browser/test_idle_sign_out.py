"""With a one-minute idle limit, in a real browser, JavaScript on and off: a report with its
photo, and a coordinator's decision note, sent after the limit are not lost. The person signs
in again (the coordinator with the code) and lands on the form, filled in, photo kept, with a
message; sending it then files the report with the photo."""

import re
import threading
import time

import pyotp
import pytest
from werkzeug.serving import make_server

from observer.models import Status
from tests.browser.conftest import axe_violations, shoot
from tests.browser.test_submit_progress import fill_report, sign_in
from tests.conftest import DEFAULT_PASSWORD

IDLE_SECONDS = 60


@pytest.fixture
def idle_server(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True, SESSION_IDLE_MINUTES=1)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def sign_in_again(page, user, code_for=None) -> None:
    flashes = page.locator(".flashes").inner_text() if page.locator(".flashes").count() else ""
    assert "it is kept for you" in flashes, flashes
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=email]) [type=submit]")
    if code_for is not None:
        page.fill("input[name=code]", code_for())
        with page.expect_navigation():
            page.click("form:has(input[name=code]) [type=submit]")


def test_work_sent_after_the_idle_limit_comes_back_after_signing_in(
    browser, idle_server, request_log, catalog, make_user, db
):
    from tests.factories import make_report
    from tests.factories_reports import criterion, district_of, jpeg_with_metadata

    crit, dist = criterion("EV-01"), district_of("BY-HM", 2)
    photo = [{"name": "bus.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}]
    people = {"off": make_user("observer"), "on": make_user("observer")}
    coordinator = make_user("coordinator")
    submitted = make_report(people["on"], status=Status.SUBMITTED)
    pages = {}
    contexts = []
    for mode, observer in people.items():
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, java_script_enabled=(mode == "on")
        )
        request_log.attach(context)
        contexts.append(context)
        page = pages[mode] = context.new_page()
        sign_in(page, idle_server, observer)
        page.goto(idle_server + "/reports/new")
        fill_report(page, crit, dist, f"Students bused to vote early (JavaScript {mode})")
        page.set_input_files("input[name=evidence]", files=photo)
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    request_log.attach(staff)
    contexts.append(staff)
    review = pages["staff"] = staff.new_page()
    review.goto(idle_server + "/login")
    sign_in_again_code = lambda: pyotp.TOTP(coordinator.totp_secret).now()  # noqa: E731
    review.fill("input[name=email]", coordinator.email)
    review.fill("input[name=password]", DEFAULT_PASSWORD)
    with review.expect_navigation():
        review.click("form:has(input[name=email]) [type=submit]")
    review.fill("input[name=code]", sign_in_again_code())
    with review.expect_navigation():
        review.click("form:has(input[name=code]) [type=submit]")
    review.goto(f"{idle_server}/review/{submitted.id}")
    note = "Outside the mission's scope: the event happened after the count had closed."
    review.fill("textarea[name=reject-note]", note)

    time.sleep(IDLE_SECONDS + 5)  # everyone goes quiet past the limit

    for mode, observer in people.items():
        page = pages[mode]
        with page.expect_navigation():
            page.click("input[name=submit_report]")
        page.wait_for_url(re.compile(r"/login"))
        sign_in_again(page, observer)
        page.wait_for_url(re.compile(r"/reports/new\?kept="))
        text = page.content()
        assert "Here it is as you left it" in text
        assert page.input_value("input[name=title]") == (
            f"Students bused to vote early (JavaScript {mode})"
        )
        kept = page.locator("main input[name=kept_evidence]")
        assert kept.count() == 1 and kept.is_checked()
        assert "bus.jpg" in page.locator("main .kept-evidence").inner_text()
        if mode == "on":  # axe runs inside the page
            assert axe_violations(page) == []
        shoot(page, f"report-form-kept-after-idle-js-{mode}")
        with page.expect_navigation():
            page.click("input[name=submit_report]")
        page.wait_for_url(re.compile(r"/reports/\d+$"))
        assert "was submitted" in page.content()
        assert page.locator("main a[download]", has_text="bus.jpg").count() == 1

    with review.expect_navigation():
        review.click("form.decision-reject [type=submit]")
    sign_in_again(review, coordinator, code_for=sign_in_again_code)
    review.wait_for_url(re.compile(rf"/review/{submitted.id}\?kept="))
    assert review.input_value("textarea[name=reject-note]") == note
    assert "Here it is as you left it" in review.content()
    shoot(review, "review-note-kept-after-idle")
    for context in contexts:
        context.close()
