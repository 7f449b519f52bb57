"""The report form and list on a 360 px phone: one column, no sideways scrolling, no serious
accessibility issues, the region choice narrows the districts, and a report can be filed."""

import re

from tests.browser.conftest import axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD

NARROW = {"width": 360, "height": 740}


def test_filing_a_report_on_a_narrow_phone(browser, live_server, request_log, catalog, make_user):
    from tests.factories_reports import criterion, district_of

    observer = make_user("observer")
    crit = criterion("EV-01")
    dist = district_of("BY-HM", 2)
    context = browser.new_context(viewport=NARROW)
    request_log.attach(context)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("input[name=email]", observer.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("form:has(input[name=email]) [type=submit]")
    page.goto(live_server + "/reports/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert axe_violations(page) == []
    shoot(page, "report-form-360")

    page.select_option("select[name=stage]", str(crit.stage_id))
    page.select_option("select[name=criterion]", str(crit.id))
    page.fill("input[name=occurred_on]", "2024-02-21")
    page.select_option("select[name=region]", str(dist.region_id))
    # the script hides other regions' districts once a region is chosen
    visible_groups = page.evaluate(
        "Array.from(document.querySelectorAll('select[name=district] optgroup'))"
        ".filter(g => !g.hidden).length"
    )
    assert visible_groups == 1
    page.select_option("select[name=district]", str(dist.id))
    page.fill("input[name=title]", "Students bused to vote early")
    page.fill("textarea[name=narrative]", "Two buses brought about sixty students to vote early.")
    page.select_option("select[name=source_type]", "direct_observation")
    page.check("input[name=severity][value='3']")
    page.check("input[name=scope][value=repeated]")
    page.click("input[name=submit_report]")
    page.wait_for_url(re.compile(r"/reports/\d+$"))
    assert "R-2024-000001" in page.content()
    page.goto(live_server + "/reports/")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert axe_violations(page) == []
    shoot(page, "my-reports-360")
    context.close()
