"""The review queue's pages (Next, Previous, Last) and the dashboard's folded filters in a
real browser, on a 390 px phone and a 1280 px desktop: nothing wider than the screen, the
figures on the first screen of a phone, the links working with JavaScript off."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.browser.test_triage import (
    DESKTOP,
    signed_in_state,
    verified_in_three_regions,
    waiting_reports,
)


def fits(page, viewport, name: str) -> None:
    page.wait_for_load_state()
    shoot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name}: {width} px wide at {viewport['width']} px"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_queue_pages_forwards_backwards_and_to_the_end_on_a_phone(
    js, browser, live_server, request_log, catalog, make_user, db, monkeypatch
):
    from observer.review import queue
    from tests.factories import make_report

    monkeypatch.setattr(queue, "PAGE_SIZE", 10)
    observer = make_user("observer", password=None)
    coordinator = make_user("coordinator")
    reports = waiting_reports(make_report, observer, 25)
    state = signed_in_state(browser, live_server, coordinator)
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=js, locale="en-US", storage_state=state
    )
    request_log.attach(context)
    page = context.new_page()
    pager = page.locator("nav.pager[aria-label='Pages']")

    def now_on(number: int, first_report) -> None:
        fits(page, PHONE, f"paging-{'js' if js else 'nojs'}-390-page{number}")
        assert pager.locator("[aria-current=page]").inner_text() == f"Page {number} of 3"
        assert page.locator(".queue-link").first.inner_text().startswith(first_report.reference)
        for link in pager.locator("a").all():  # every link on the screen, none cut off
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        if js:
            assert axe_violations(page) == []

    page.goto(live_server + "/review/")
    now_on(1, reports[0])
    with page.expect_navigation():
        pager.get_by_role("link", name="Next").click()
    now_on(2, reports[10])
    with page.expect_navigation():
        pager.get_by_role("link", name="Previous").click()
    now_on(1, reports[0])
    with page.expect_navigation():
        pager.get_by_role("link", name="Last").click()
    now_on(3, reports[20])
    assert page.locator(".queue-link").count() == 5
    assert pager.get_by_role("link", name="Next").count() == 0
    with page.expect_navigation():
        pager.get_by_role("link", name="Previous").click()
    now_on(2, reports[10])
    context.close()


def test_the_dashboard_filters_fold_away_on_a_phone(
    browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import Stage

    coordinator = verified_in_three_regions(make_user)
    stage = db.session.scalars(select(Stage).order_by(Stage.position)).first()
    state = signed_in_state(browser, live_server, coordinator)
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="en-US", storage_state=state)
        request_log.attach(context)
        page = context.new_page()
        for name, address, summary in (
            ("all", "/dashboard/", "Filters · 6 reports match"),
            ("stage", f"/dashboard/?stage={stage.id}", " · 1 filter on"),
        ):
            page.goto(live_server + address)
            fits(page, viewport, f"dashboard-fold-{viewport['width']}-{name}")
            fold = page.locator("details.filter-fold")
            assert fold.get_attribute("open") is None  # folded, a filter on or not
            assert summary in fold.locator("summary").inner_text()
            figure = page.locator("main p:has-text('Reports counted') strong")
            assert figure.bounding_box()["y"] < 700  # the first figure on the first screen
            criteria = page.locator("#h-criteria").bounding_box()
            if viewport is PHONE:
                assert criteria["y"] < PHONE["height"]
        assert axe_violations(page) == []
        # Opening the line shows the filters; they apply without JavaScript (a GET form).
        page.goto(live_server + "/dashboard/")
        assert not page.locator("form.dashboard-filters").is_visible()
        page.locator("details.filter-fold > summary").click()
        assert page.locator("form.dashboard-filters").is_visible()
        assert page.get_by_label("Stage", exact=True).is_visible()
        fits(page, viewport, f"dashboard-fold-{viewport['width']}-open")
        context.close()
