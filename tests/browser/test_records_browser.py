"""A coordinator on a phone loads a file of commission nominees: a wrong row is shown with its
row and column, a dry run of the corrected file writes nothing, the load does, and the
composition page shows the shares with links to the nominees counted."""

import pyotp
import pytest

from tests.browser.conftest import axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD
from tests.test_records_imports import COMMISSIONS, ORGANISATIONS, load

PHONE = {"width": 390, "height": 844}


def sign_in_staff(page, base, user):
    page.goto(base + "/login")
    page.fill("main input[name=email]", user.email)
    page.fill("main input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.fill("main input[name=code]", pyotp.TOTP(user.totp_secret).now())
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


def choose(page, text: str) -> None:
    page.set_input_files(
        "main input[name=file]",
        files=[{"name": "dec.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_coordinator_loads_nominees_from_a_phone(
    js, app, browser, live_server, request_log, catalog, make_user, db, tmp_path
):
    from sqlalchemy import func, select

    from observer.models import CommissionMember

    load(app, tmp_path, "organisations", ORGANISATIONS)
    coordinator = make_user("coordinator")
    context = browser.new_context(viewport=PHONE, java_script_enabled=js)
    request_log.attach(context)
    page = context.new_page()
    sign_in_staff(page, live_server, coordinator)

    page.goto(live_server + "/records/load/commissions")
    choose(page, COMMISSIONS.replace("appointed\n", "maybe\n", 1))
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    errors = page.locator("main table.row-errors").inner_text()
    assert "2\toutcome" in errors and "maybe" in errors
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, f"records-load-problems-{'js' if js else 'nojs'}")

    choose(page, COMMISSIONS)
    page.check("main input[name=dry_run]")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert "4 to create" in page.locator("main").inner_text()
    db.session.expire_all()
    assert db.session.execute(select(func.count(CommissionMember.id))).scalar_one() == 0

    choose(page, COMMISSIONS)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert "4 created" in page.locator("main").inner_text()

    page.goto(live_server + "/records/commissions")
    assert page.locator("main svg[role=img]").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if js:
        assert axe_violations(page) == []
    shoot(page, f"records-composition-{'js' if js else 'nojs'}")
    with page.expect_navigation():
        page.locator("main #level-tec a", has_text="1").first.click()
    assert "Nominee" in page.locator("main").inner_text()
    context.close()
