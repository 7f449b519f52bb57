"""The report form on a 390 px phone, scripts on and off: the required part fits about two
screens, "More details" folds the rest, the stage narrows the criteria (by script, or by the
two-step form without it), and the confirmations ask before anything is deleted."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.browser.test_keyboard_and_setup import sign_in

SCREENS = 2.3  # "about two phone screens" of 844 px


def open_form(browser, live_server, request_log, make_user, js):
    observer = make_user("observer")
    context = browser.new_context(viewport=PHONE, java_script_enabled=js, locale="en-US")
    request_log.attach(context)
    page = context.new_page()
    sign_in(page, live_server, observer.email)
    page.goto(live_server + "/reports/new")
    return context, page, observer


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_required_part_fits_about_two_phone_screens(
    js, browser, live_server, request_log, catalog, make_user
):
    context, page, _observer = open_form(browser, live_server, request_log, make_user, js)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    details = page.locator("details.more-details")
    assert details.get_attribute("open") is None  # folded
    assert not page.locator("input[name=settlement]").is_visible()
    essentials = page.locator("fieldset.essentials").bounding_box()
    assert essentials["height"] <= SCREENS * PHONE["height"], essentials
    if js:  # axe runs as a script in the page
        assert axe_violations(page) == []
    shoot(page, f"hurry-form-390-{'js' if js else 'nojs'}")
    # "More details" opens without any script (details/summary).
    page.locator("details.more-details > summary").click()
    assert page.locator("input[name=settlement]").is_visible()
    shoot(page, f"hurry-form-390-more-{'js' if js else 'nojs'}")
    context.close()


def test_with_scripts_the_stage_narrows_the_criteria(
    browser, live_server, request_log, catalog, make_user
):
    from tests.factories_reports import criterion

    context, page, _observer = open_form(browser, live_server, request_log, make_user, True)
    assert not page.locator("input[name=narrow]").is_visible()  # the no-JS step is hidden
    crit = criterion("EV-01")
    page.select_option("select[name=stage]", str(crit.stage_id))
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('select[name=criterion] optgroup'))"
        ".filter(g => !g.hidden).map(g => g.label)"
    )
    assert len(visible) == 1
    codes = page.evaluate(
        "Array.from(document.querySelectorAll("
        "'select[name=criterion] optgroup:not([hidden]) option')).map(o => o.text.split(' ')[0])"
    )
    assert codes and all(code.startswith("EV-") for code in codes)
    context.close()


def test_without_scripts_a_two_step_form_narrows_the_lists(
    browser, live_server, request_log, catalog, make_user, db
):
    from observer.models import Report
    from tests.factories_reports import criterion, region

    context, page, _observer = open_form(browser, live_server, request_log, make_user, False)
    crit = criterion("EV-01")
    page.select_option("select[name=stage]", str(crit.stage_id))
    page.select_option("select[name=region]", str(region("BY-HM").id))
    page.fill("input[name=title]", "Typed before the second step")
    with page.expect_navigation():
        page.locator("input[name=narrow]").click()
    options = page.locator("select[name=criterion] option").all_inner_texts()
    assert options[1:] and all(text.startswith("EV-") for text in options[1:])
    districts = page.locator("select[name=district] optgroup").count()
    assert districts == 1
    assert page.input_value("input[name=title]") == "Typed before the second step"
    assert page.locator("main .has-error").count() == 0  # nothing judged yet
    assert db.session.execute(select(Report)).first() is None  # nothing saved
    shoot(page, "hurry-form-390-nojs-step-two")
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_deleting_a_draft_asks_first(js, browser, live_server, request_log, catalog, make_user, db):
    from observer.models import Report
    from tests.factories import make_report

    context, page, observer = open_form(browser, live_server, request_log, make_user, js)
    draft_id = make_report(observer).id
    page.goto(f"{live_server}/reports/{draft_id}")
    if js:
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.locator("main button[data-confirm]").click()
        assert db.session.get(Report, draft_id) is not None  # cancelled: nothing happened
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.locator("main button[data-confirm]").click()
    else:
        with page.expect_navigation():
            page.locator("main button[data-confirm]").click()
        assert "Delete this draft and its files for good?" in page.content()
        shoot(page, "confirm-delete-draft-390-nojs")
        db.session.expire_all()
        assert db.session.get(Report, draft_id) is not None
        with page.expect_navigation():
            page.locator("main .confirm button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/$"))
    db.session.expire_all()
    assert db.session.get(Report, draft_id) is None
    context.close()
