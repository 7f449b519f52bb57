"""Two coordinators in chromium, on a phone and at 1280 px, JavaScript on and off: one proposes
an assessment citing a verified report, cannot agree it herself, the other agrees it; the matrix
shows the cell coloured and opening the reasoning; a rating of a recommendation is proposed and
the follow-up summary reads as a sentence. Every page fits the screen and (with JavaScript)
has no serious accessibility violation."""

from __future__ import annotations

import pyotp
import pytest

from observer.models import Status
from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.browser.test_journey import UNLABELLED_FIELDS
from tests.conftest import DEFAULT_PASSWORD
from tests.factories import make_report
from tests.factories_assessments import make_recommendation

DESKTOP = {"width": 1280, "height": 900}


class Person:
    def __init__(self, browser, base, request_log, viewport, js, user, tag):
        self.context = browser.new_context(viewport=viewport, java_script_enabled=js)
        request_log.attach(self.context)
        self.page = self.context.new_page()
        self.base, self.viewport, self.js, self.tag = base, viewport, js, tag
        self.page.goto(base + "/login")
        self.page.fill("main input[name=email]", user.email)
        self.page.fill("main input[name=password]", DEFAULT_PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form [type=submit]").click()
        self.page.fill("main input[name=code]", pyotp.TOTP(user.totp_secret).now())
        with self.page.expect_navigation():
            self.page.locator("main form [type=submit]").click()

    def go(self, path):
        response = self.page.goto(self.base + path)
        assert response.status < 400, f"{path}: {response.status}"

    def check(self, name):
        self.page.wait_for_load_state()
        shoot(self.page, f"assessments-{self.tag}-{name}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{name}: {width} px wide"
        if self.js:
            assert axe_violations(self.page) == [], name
            assert self.page.evaluate(UNLABELLED_FIELDS) == [], name

    def submit(self, form="main form"):
        with self.page.expect_navigation():
            self.page.locator(f"{form} [type=submit]").last.click()


@pytest.mark.parametrize(
    ("viewport", "js"),
    [(PHONE, True), (PHONE, False), (DESKTOP, True)],
    ids=["phone-js", "phone-nojs", "desktop-js"],
)
def test_four_eyes_in_the_browser(
    viewport, js, browser, live_server, request_log, catalog, make_user, db
):
    from observer.assessments.scales import ensure_default_scales

    ensure_default_scales()
    db.session.commit()
    observer = make_user("observer")
    first, second = make_user("coordinator"), make_user("coordinator")
    report = make_report(observer, criterion="EV-01", status=Status.VERIFIED, reviewer=first)
    recommendation = make_recommendation(text_en="Publish early-voting turnout daily.")
    tag = f"{'phone' if viewport is PHONE else 'desktop'}-{'js' if js else 'nojs'}"

    alice = Person(browser, live_server, request_log, viewport, js, first, tag)
    alice.go("/assessments/")
    alice.check("01-matrix-empty")
    assert "EV-01" in alice.page.content()
    alice.page.locator("main a:visible", has_text="Assess").filter(has_text="EV-01").click()
    alice.page.wait_for_load_state()
    alice.check("02-new")
    alice.page.check("input[name=level][value=does_not_meet]")
    alice.page.fill("textarea[name=reasoning_en]", "Students were bused to vote early.")
    alice.page.fill("textarea[name=reports]", "R-2024-999999")
    alice.submit()
    assert "There is no report R-2024-999999" in alice.page.content()  # kept, with the message
    assert (
        alice.page.input_value("textarea[name=reasoning_en]")
        == "Students were bused to vote early."
    )
    alice.page.fill("textarea[name=reports]", report.reference)
    alice.submit()
    alice.check("03-proposed")
    assert "You proposed this" in alice.page.content()

    bob = Person(browser, live_server, request_log, viewport, js, second, tag)
    bob.go(alice.page.url.replace(live_server, ""))
    bob.check("04-to-agree")
    bob.submit("main form[action$='/agree']")
    assert "The assessment is agreed." in bob.page.content()
    bob.go("/assessments/")
    # The matrix on a wide screen, the same conclusions stage by stage on a phone.
    cell = bob.page.locator(".level-does_not_meet a:visible")
    assert cell.count() == 1
    cell.click()
    bob.page.wait_for_load_state()
    assert "Students were bused to vote early." in bob.page.content()
    assert report.reference in bob.page.content()

    bob.go(f"/assessments/recommendations/{recommendation.id}")
    bob.page.check("input[name=level][value=not_implemented]")
    bob.page.fill("textarea[name=reasoning_en]", "Turnout is published by region only.")
    bob.submit()
    bob.check("05-rating-proposed")
    alice.go(f"/assessments/recommendations/{recommendation.id}")
    alice.submit("main form[action$='/agree']")
    assert "The rating is agreed." in alice.page.content()
    alice.go("/assessments/")
    assert "Of 1 recommendation, 1 is not being implemented." in alice.page.content()
    alice.check("06-matrix-and-summary")
    alice.go("/assessments/recommendations/upload")
    alice.check("07-upload")
