"""Accessibility beyond axe: the report form completed with the keyboard alone, and two-factor
set-up working with scripts off (Tor Browser's safest mode): QR code shown, key in text."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD

ACTIVE_NAME = "document.activeElement && document.activeElement.getAttribute('name')"


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("main input[name=email]", email)
    page.fill("main input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


class Keyboard:
    """Moves through a page with Tab only; reading which element has focus is observation."""

    def __init__(self, page):
        self.page = page

    def tab_to(self, name: str, limit: int = 30) -> None:
        for _ in range(limit):
            if self.page.evaluate(ACTIVE_NAME) == name:
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached the field {name!r}")

    def choose(self, name: str, starts_with: str, limit: int = 80) -> None:
        """ArrowDown through a focused <select> until the wanted option is selected."""
        self.tab_to(name)
        selected = "document.activeElement.selectedOptions[0].text"
        for _ in range(limit):
            if self.page.evaluate(selected).startswith(starts_with):
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {starts_with!r} in {name!r}")

    def type_into(self, name: str, text: str) -> None:
        self.tab_to(name)
        self.page.keyboard.type(text)


def test_the_report_form_can_be_completed_with_the_keyboard_alone(
    browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import Report, Status

    observer = make_user("observer")
    context = browser.new_context(viewport=PHONE, locale="en-US")
    request_log.attach(context)
    page = context.new_page()
    sign_in(page, live_server, observer.email)
    page.goto(live_server + "/reports/new")
    keys = Keyboard(page)

    # Only keys from here on: the skip link comes first, then the form's first field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_NAME) == "stage"
    keys.choose("stage", "Early voting")
    keys.choose("region", "Minsk city")
    keys.choose("criterion", "EV-01")
    keys.choose("district", "Leninski")
    keys.tab_to("occurred_on")
    page.keyboard.type("02212024")  # month, day, year: the segments advance by themselves
    keys.tab_to("severity")  # Tab enters a radio group on its first option
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # arrows move the choice within the group
    page.keyboard.press("ArrowDown")
    keys.tab_to("scope")
    page.keyboard.press("Space")
    keys.choose("source_type", "Direct observation")
    keys.type_into("title", "Students bused to vote early")
    keys.type_into(
        "narrative",
        "Two buses brought about sixty students of the college to vote early; "
        "a deputy director checked their names against a list.",
    )
    keys.tab_to("submit_report")
    shoot(page, "keyboard-report-form")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reports/\d+$"))

    db.session.expire_all()
    report = db.session.execute(select(Report)).scalar_one()
    assert report.status == Status.SUBMITTED
    assert report.title == "Students bused to vote early"
    assert report.occurred_on.isoformat() == "2024-02-21"
    assert report.criterion.code == "EV-01"
    assert report.district.name_en == "Leninski"
    assert (report.source_type, report.severity, report.scope) == (
        "direct_observation",
        3,
        "isolated",
    )
    assert report.reference in page.content()
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_two_factor_set_up_without_scripts(js, browser, live_server, request_log, make_user, db):
    from observer.models import User

    user = make_user("observer")
    context = browser.new_context(viewport=PHONE, java_script_enabled=js)
    request_log.attach(context)
    page = context.new_page()
    sign_in(page, live_server, user.email)
    page.goto(live_server + "/account/two-factor")
    # The QR code is an image the page itself carries (no script draws it, no host serves it).
    assert page.evaluate("document.querySelector('main figure.qr img').naturalWidth") > 0
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    shoot(page, f"two-factor-setup-{'js' if js else 'nojs'}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if js:
        assert axe_violations(page) == []
    page.fill("main input[name=code]", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert "Two-factor sign-in is on." in page.content(), page.locator("main").inner_text()
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled
    context.close()
