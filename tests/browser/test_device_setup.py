"""Setting up a phone for ODK Collect or Tella on a 390 px phone, scripts on and off: the
credential is shown once as labelled text and as a QR code, and revoking asks first."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.browser.test_keyboard_and_setup import sign_in


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_an_observer_sets_up_and_revokes_a_phone(
    js, browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import DeviceCredential

    observer = make_user("observer")
    context = browser.new_context(viewport=PHONE, java_script_enabled=js, locale="en-US")
    request_log.attach(context)
    page = context.new_page()
    sign_in(page, live_server, observer.email)
    page.goto(live_server + "/account")
    with page.expect_navigation():
        page.locator("main a[href='/account/devices/']").click()
    page.fill("input[name=name]", "Grey Android")
    with page.expect_navigation():
        page.locator("main input[name=submit]").click()
    assert page.locator("#device-password").inner_text()
    assert page.locator("figure.qr img").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if js:
        assert axe_violations(page) == []
    shoot(page, f"device-credential-390-{'js' if js else 'nojs'}")

    if js:
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.locator("main button[data-confirm]").click()
    else:
        with page.expect_navigation():
            page.locator("main button[data-confirm]").click()
        shoot(page, "device-revoke-confirm-390-nojs")
        with page.expect_navigation():
            page.locator("main .confirm button[type=submit]").click()
    assert "is revoked" in page.content()
    db.session.expire_all()
    assert db.session.query(DeviceCredential).one().is_revoked
    context.close()
