"""A published statement read on a 360 px phone with JavaScript off and on a desktop: its
chapters, tables and server-drawn charts, the PDF with its SHA-256 and signatures; local
requests only, no serious accessibility problem."""

from __future__ import annotations

import pytest

from observer.statements import service
from tests.browser.conftest import axe_violations, shoot
from tests.factories_statements import make_reports, make_statement, publish_statement


@pytest.fixture
def published(catalog, make_user):
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = make_statement(
        coordinator,
        catalog,
        language="be",
        key_findings="- Місія задакументавала [[incidents.total]] выпадкаў.",
        sections=[
            service.SectionInput(
                "Агітацыя і галасаванне",
                "Ціск быў сістэмным.\n\n[[incidents.by_criterion chart]]"
                "\n\n[[incidents.by_district]]",
            )
        ],
    )
    return publish_statement(statement, coordinator)


@pytest.mark.parametrize(
    ("width", "javascript"),
    [(360, False), (390, True), (1280, True)],
    ids=["360-nojs", "390", "1280"],
)
def test_statement_page_is_the_statement(
    browser, live_server, request_log, published, width, javascript
):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    request_log.attach(context)
    page = context.new_page()
    page.goto(f"{live_server}/statements/{published.slug}")
    assert page.locator("h2", has_text="Агітацыя і галасаванне").is_visible()
    assert page.locator(".figure-number").first.inner_text() == "6"
    assert page.locator("svg.figure-chart").is_visible()
    assert page.locator("figure > .table-wrap > table.statement-figures").is_visible()
    assert page.locator("code.sha", has_text=published.pdf_sha256).is_visible()
    assert page.locator("a[href$='statement.pdf.minisig']").count() == 1
    # The chart's table is one tap away, without JavaScript too.
    page.locator("summary", has_text="Паказаць лічбы табліцай").click()
    assert page.locator("details[open] table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert request_log.foreign() == []
    if javascript:  # axe runs as a page script
        assert axe_violations(page) == []
    shoot(page, f"statement-{width}{'' if javascript else '-nojs'}")
    context.close()
