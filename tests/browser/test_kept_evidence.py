"""A form that comes back with a problem keeps the photo the observer chose: they correct the
field and send it again without choosing the photo a second time."""

import re

from tests.browser.conftest import axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD


def test_photo_chosen_once_survives_a_correction(
    browser, live_server, request_log, catalog, make_user
):
    from tests.factories_reports import criterion, district_of, jpeg_with_metadata

    observer = make_user("observer")
    crit = criterion("EV-01")
    dist = district_of("BY-HM", 2)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    request_log.attach(context)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("input[name=email]", observer.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=email]) [type=submit]")

    page.goto(live_server + "/reports/new")
    page.select_option("select[name=stage]", str(crit.stage_id))
    page.select_option("select[name=criterion]", str(crit.id))
    page.fill("input[name=occurred_on]", "2024-02-21")
    page.select_option("select[name=region]", str(dist.region_id))
    page.select_option("select[name=district]", str(dist.id))
    page.fill("input[name=title]", "   ")  # passes the browser's check, not the server's
    page.fill("textarea[name=narrative]", "Two buses brought about sixty students to vote early.")
    page.select_option("select[name=source_type]", "direct_observation")
    page.check("input[name=severity][value='3']")
    page.check("input[name=scope][value=repeated]")
    photo = jpeg_with_metadata(orientation=6)
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "bus.jpg", "mimeType": "image/jpeg", "buffer": photo}],
    )
    with page.expect_navigation():
        page.click("input[name=submit_report]")

    assert page.locator("#title-error").inner_text().strip() != ""
    kept = page.locator("main input[name=kept_evidence]")
    assert kept.count() == 1 and kept.is_checked()
    assert "bus.jpg" in page.locator("main .kept-evidence").inner_text()
    assert axe_violations(page) == []
    shoot(page, "report-form-kept-evidence")

    page.fill("input[name=title]", "Students bused to vote early")
    with page.expect_navigation():
        page.click("input[name=submit_report]")
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    assert "R-2024-000001" in page.content()
    assert page.locator("main a[download]", has_text="bus.jpg").count() == 1
    context.close()
