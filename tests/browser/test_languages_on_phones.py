"""Every main page in Belarusian and Russian on a 360 px phone: longer words than English must
not widen the page, and the translated pages stay free of serious accessibility issues."""

from __future__ import annotations

import pyotp
import pytest

from tests.browser.conftest import axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD

SMALL_PHONE = {"width": 360, "height": 740}

# Elements sticking out to the right, other than content scrolling inside its own box.
OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                && !el.closest('.table-wrap, .chart'))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ': '
                         + (el.textContent || '').trim().slice(0, 40))"""


@pytest.fixture
def pages(catalog, make_user, db):
    """A coordinator and the paths of the pages to look at, with data on them."""
    from tests.factories import make_report
    from tests.factories_statements import make_statement, publish_statement

    observer = make_user("observer")
    coordinator = make_user("coordinator")
    verified = make_report(observer, status="verified", reviewer=coordinator)
    waiting = make_report(observer, status="submitted", criterion="EV-01", region="BY-HM")
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    paths = [
        "/reports/",
        "/reports/new",
        f"/reports/{verified.id}",
        "/review/",
        f"/review/{waiting.id}",
        "/dashboard/",
        "/admin/statements/",
        "/admin/statements/new",
        f"/admin/statements/{statement.id}",
        "/account",
        "/reauth",
        "/",
        f"/statements/{statement.slug}",
    ]
    return coordinator, paths


@pytest.mark.parametrize("language", ["be", "ru"])
def test_translated_pages_fit_a_small_phone(language, browser, live_server, request_log, pages):
    coordinator, paths = pages
    context = browser.new_context(viewport=SMALL_PHONE)
    request_log.attach(context)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.select_option("#language-select", language)
    with page.expect_navigation():
        page.locator("header .language-switcher [type=submit]").click()
    assert page.locator("html").get_attribute("lang") == language
    page.fill("main input[name=email]", coordinator.email)
    page.fill("main input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.fill("main input[name=code]", pyotp.TOTP(coordinator.totp_secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert "/login" not in page.url

    problems = {}
    for path in paths:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language, path
        name = path.strip("/").replace("/", "-") or "home"
        shoot(page, f"{language}-360-{name}")
        found = page.evaluate(OVERFLOWING) + axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
    context.close()
