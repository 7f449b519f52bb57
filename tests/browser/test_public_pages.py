"""The public home page in a phone-sized chromium: local requests only, no serious a11y issues."""

from tests.browser.conftest import PHONE, axe_violations, shoot


def test_home_page_on_a_phone(browser, live_server, request_log):
    context = browser.new_context(viewport=PHONE)
    request_log.attach(context)
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.locator("h1").is_visible()
    # Nothing wider than the screen: no horizontal scrolling on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    shoot(page, "public-home")
    context.close()
