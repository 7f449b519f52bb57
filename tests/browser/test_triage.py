"""Election night in a real browser: a coordinator triages the queue with JavaScript (keyboard
shortcuts) and without it (plain forms), on a phone and a desktop; the backlog page refreshes
itself and can be stopped. axe on every new page; screenshots in test-artifacts/browser."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.browser.test_journey import UNLABELLED_FIELDS
from tests.conftest import DEFAULT_PASSWORD

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 740}  # the narrowest phone the pages must fit


def sign_in_coordinator(page, base, user):
    page.goto(base + "/login")
    page.fill("main input[name=email]", user.email)
    page.fill("main input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.fill("main input[name=code]", pyotp.TOTP(user.totp_secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


def signed_in_state(browser, base, user) -> dict:
    """Sign in once (a two-factor code cannot be used twice) and reuse the session cookie."""
    context = browser.new_context()
    page = context.new_page()
    sign_in_coordinator(page, base, user)
    state = context.storage_state()
    context.close()
    return state


def look(page, name: str, js: bool, viewport) -> None:
    page.wait_for_load_state()
    shoot(page, f"triage-{'js' if js else 'nojs'}-{viewport['width']}-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name}: {width} px wide at {viewport['width']} px"
    if js:
        assert axe_violations(page) == [], name
        assert page.evaluate(UNLABELLED_FIELDS) == [], name


def waiting_reports(make_report_fn, author, count):
    from observer.extensions import db
    from observer.models import Report, Status, utcnow

    reports = [
        make_report_fn(author, status=Status.SUBMITTED, severity=1 + n % 4, title=f"Case {n}")
        for n in range(count)
    ]
    for age, report in enumerate(reversed(reports), start=1):
        db.session.execute(
            update(Report)
            .where(Report.id == report.id)
            .values(submitted_at=utcnow() - timedelta(minutes=40 * age))
        )
    db.session.commit()
    return reports


@pytest.mark.parametrize(
    "viewport", [NARROW, PHONE, DESKTOP], ids=["phone360", "phone390", "desktop"]
)
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_coordinator_clears_the_queue(
    js, viewport, browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import Report, Status
    from tests.factories import make_report

    observer = make_user("observer", password=None)
    coordinator = make_user("coordinator")
    reports = waiting_reports(make_report, observer, 4)
    context = browser.new_context(viewport=viewport, java_script_enabled=js, locale="en-US")
    request_log.attach(context)
    page = context.new_page()
    sign_in_coordinator(page, live_server, coordinator)

    page.goto(live_server + "/review/")
    look(page, "queue", js, viewport)
    assert page.locator(".queue-link").first.inner_text().startswith(reports[0].reference)
    assert page.locator("details.filter-fold").get_attribute("open") is None  # folded
    if js:
        assert page.locator("[data-shortcuts]").is_visible()
        page.keyboard.press("j")
        page.keyboard.press("o")
    else:
        assert not page.locator("[data-shortcuts]").is_visible()
        page.locator(".queue-link").first.click()
    page.wait_for_url(f"**/review/{reports[0].id}")
    look(page, "review", js, viewport)

    # Verify the first: with JS by keys (v, B, 2, Enter), without it by clicking.
    if js:
        page.keyboard.press("v")
        page.keyboard.press("b")
        page.keyboard.press("2")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The answer is the next report, and the address says so.
        assert page.url.endswith(f"/review/{reports[1].id}")
    else:
        page.check("input[name=verify-source_reliability][value=B]")
        page.check("input[name=verify-info_credibility][value='2']")
        with page.expect_navigation():
            page.locator("#decide-verify [type=submit]").click()
    assert f"Report {reports[0].reference} is verified." in page.inner_text(".flashes")
    assert reports[1].reference in page.inner_text("h1")
    look(page, "next", js, viewport)

    # Reject the second with a reason; the third opens.
    if js:
        page.keyboard.press("r")
        page.keyboard.type("Outside the mission's scope")
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")  # to the Reject button
    else:
        page.fill("textarea[name=reject-note]", "Outside the mission's scope")
    with page.expect_navigation():
        page.locator("#decide-reject [type=submit]").click()
    assert reports[2].reference in page.inner_text("h1")

    # Back to the queue: two decided reports are gone from it.
    page.locator("#back-to-queue").click()
    page.wait_for_url("**/review/")
    assert page.locator(".queue-link").count() == 2
    db.session.expire_all()
    statuses = [db.session.get(Report, r.id).status for r in reports]
    assert statuses == [Status.VERIFIED, Status.REJECTED, Status.SUBMITTED, Status.SUBMITTED]
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_backlog_page_refreshes_until_stopped(
    js, browser, live_server, request_log, catalog, make_user, db
):
    from tests.factories import make_report

    observer = make_user("observer", password=None)
    coordinator = make_user("coordinator")
    waiting_reports(make_report, observer, 3)
    state = signed_in_state(browser, live_server, coordinator)
    for viewport in (NARROW, PHONE, DESKTOP):
        context = browser.new_context(
            viewport=viewport, java_script_enabled=js, locale="en-US", storage_state=state
        )
        request_log.attach(context)
        page = context.new_page()
        page.goto(live_server + "/review/night/")
        look(page, "night", js, viewport)
        assert page.locator(".tile-value").first.inner_text() == "3"
        toggle = page.locator(".refresh-bar a", has_text="Stop refreshing")
        if js:
            page.wait_for_timeout(1500)
            assert page.inner_text("[data-refresh-note]").endswith(" s")  # counting down
            toggle.click()
            assert page.url.endswith("/review/night/")  # stopped in place, no navigation
            assert page.locator(".refresh-bar a", has_text="Refresh automatically").count() == 1
        else:
            assert page.locator("noscript").count() >= 1
            toggle.click()
            page.wait_for_url("**refresh=off")
            assert "Automatic refresh is stopped." in page.inner_text(".refresh-bar")
        context.close()


def verified_in_three_regions(make_user):
    """Six verified reports (Minsk Region 3, Gomel 1, Minsk city 2); returns a coordinator
    with a password and two-factor, to sign in."""
    from observer.models import Status
    from tests.factories import make_report

    observer = make_user("observer", password=None)
    reviewer = make_user("coordinator", password=None)
    for iso, n in (("BY-MI", 3), ("BY-HO", 1), ("BY-HM", 2)):
        for _ in range(n):
            make_report(observer, region=iso, status=Status.VERIFIED, reviewer=reviewer)
    return make_user("coordinator")


def test_dashboard_reads_on_a_phone_and_a_desktop(
    browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import Region

    coordinator = verified_in_three_regions(make_user)
    minsk = db.session.scalars(select(Region).where(Region.iso_code == "BY-MI")).one()
    state = signed_in_state(browser, live_server, coordinator)
    for viewport in (NARROW, PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="en-US", storage_state=state)
        request_log.attach(context)
        page = context.new_page()
        page.goto(live_server + "/dashboard/")
        look(page, "dashboard", True, viewport)
        # The map: each region a link to its districts.
        with page.expect_navigation():
            page.locator(f"#chart-map a[href*='region={minsk.id}']").click()
        assert "Districts of Minsk Region" in page.inner_text("main")
        look(page, "dashboard-region", True, viewport)
        context.close()
