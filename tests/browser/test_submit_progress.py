"""With JavaScript, the report form sends its files with a progress bar (bytes sent of total)
and its buttons cannot be pressed twice: one press, one report."""

import io
import random
import re

from sqlalchemy import func, select

from observer.models import Report
from tests.browser.conftest import shoot
from tests.conftest import DEFAULT_PASSWORD


def noise_png(side: int = 1100) -> bytes:
    """An incompressible PNG of a few megabytes: slow enough to send that progress shows."""
    from PIL import Image

    pixels = random.Random(3).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def sign_in(page, base: str, user) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=email]) [type=submit]")


def fill_report(page, crit, dist, title: str) -> None:
    page.select_option("select[name=stage]", str(crit.stage_id))
    page.select_option("select[name=criterion]", str(crit.id))
    page.fill("input[name=occurred_on]", "2024-02-21")
    page.select_option("select[name=region]", str(dist.region_id))
    page.select_option("select[name=district]", str(dist.id))
    page.fill("input[name=title]", title)
    page.fill("textarea[name=narrative]", "Two buses brought about sixty students to vote early.")
    page.select_option("select[name=source_type]", "direct_observation")
    page.check("input[name=severity][value='3']")
    page.check("input[name=scope][value=repeated]")


def test_upload_progress_and_a_double_press_files_one_report(
    browser, live_server, request_log, catalog, make_user, db
):
    from tests.factories_reports import criterion, district_of

    observer = make_user("observer")
    crit, dist = criterion("EV-01"), district_of("BY-HM", 2)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    request_log.attach(context)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in(page, live_server, observer)
    page.goto(live_server + "/reports/new")
    fill_report(page, crit, dist, "Students bused to vote early")
    photo = noise_png()
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "crowd.png", "mimeType": "image/png", "buffer": photo}],
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 400_000},
    )
    button = page.locator("input[name=submit_report]")
    button.dblclick()  # a double press, as on a shaky phone
    status = page.locator(".send-status")
    status.locator("span").filter(
        has_text=re.compile(r"Sending: \d+[.,]\d of \d+[.,]\d MB")
    ).wait_for()
    assert button.is_disabled()
    assert page.locator("input[name=save_draft]").is_disabled()
    assert status.locator("progress").get_attribute("max") == "100"
    shoot(page, "report-form-upload-progress")
    button.click(force=True)  # a third press while sending does nothing either
    page.wait_for_url(re.compile(r"/reports/\d+$"), timeout=60_000)
    assert "R-2024-000001" in page.content()
    assert "was submitted" in page.content()
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 1
    assert errors == []
    context.close()
