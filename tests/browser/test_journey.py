"""The whole journey in a phone-sized chromium, with JavaScript on and off (Tor Browser's safest
mode runs no scripts): an observer files a report with a geotagged photo, a coordinator asks a
question, the observer answers, the coordinator verifies, the dashboard counts it, a Belarusian
statement is published and an anonymous visitor downloads its PDF.

Every page is screenshotted, must fit the 390 px screen and (with JavaScript, which axe needs)
have no serious accessibility violations and a label on every field. Every request any page makes
goes to 127.0.0.1 (request_log)."""

from __future__ import annotations

import io
import re
import subprocess

import pyotp
import pytest
from PIL import Image
from sqlalchemy import select

from tests.browser.conftest import PHONE, axe_violations, shoot
from tests.conftest import DEFAULT_PASSWORD

GPS_IFD = 0x8825
GPS = {1: "N", 2: (53.0, 54.0, 12.5), 3: "E", 4: (27.0, 33.0, 47.1)}
TITLE_BE = "Папярэдняя заява назіральнікаў аб датэрміновым галасаванні"

UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


def geotagged_jpeg() -> bytes:
    image = Image.new("RGB", (48, 32), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))


class Screen:
    """One browser context (one person) on a phone-sized screen."""

    def __init__(self, browser, base, request_log, js: bool, who: str):
        self.context = browser.new_context(viewport=PHONE, java_script_enabled=js)
        request_log.attach(self.context)
        self.page = self.context.new_page()
        self.base = base
        self.js = js
        self.who = who

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status < 400, f"{path} answered {response.status}"

    def check(self, name: str) -> None:
        """Screenshot; the page fits the phone; with JS: axe clean and every field labelled."""
        page = self.page
        page.wait_for_load_state()
        shoot(page, f"journey-{'js' if self.js else 'nojs'}-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: {width} px wide on a {PHONE['width']} px phone"
        if self.js:
            assert axe_violations(page) == [], name
            assert page.evaluate(UNLABELLED_FIELDS) == [], name

    def main_button(self, name: str):
        """A submit button inside <main> (the header's language switcher has one too)."""
        return self.page.locator(f"main [type=submit][name={name}]")

    def sign_in(self, email: str, shot: str | None = None) -> None:
        self.go("/login")
        if shot:
            self.check(shot)
        self.page.fill("main input[name=email]", email)
        self.page.fill("main input[name=password]", DEFAULT_PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form [type=submit]").click()


def fill_report(page, stage_id, crit, dist) -> None:
    page.select_option("select[name=stage]", str(stage_id))
    page.select_option("select[name=criterion]", str(crit.id))
    page.fill("input[name=occurred_on]", "2024-02-21")
    page.select_option("select[name=region]", str(dist.region_id))
    page.select_option("select[name=district]", str(dist.id))
    page.fill("input[name=title]", "Students bused to vote early")
    page.fill(
        "textarea[name=narrative]",
        "Two buses brought about sixty students of the college to vote early; "
        "a deputy director checked their names against a list.",
    )
    page.select_option("select[name=source_type]", "direct_observation")
    page.check("input[name=severity][value='3']")
    page.check("input[name=scope][value=repeated]")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_the_whole_journey_on_a_phone(
    js, browser, live_server, request_log, catalog, make_user, db, tmp_path
):
    from observer.models import Attachment, Report, Stage, Statement
    from tests.factories_reports import criterion, district_of

    observer = make_user("observer")
    coordinator = make_user("coordinator")
    crit = criterion("EV-01")
    dist = district_of("BY-HM", 2)
    other_stage = (
        db.session.execute(
            select(Stage.id).where(Stage.id != crit.stage_id).order_by(Stage.position)
        )
        .scalars()
        .first()
    )
    photo = geotagged_jpeg()
    assert gps_of(photo)[2] == (53.0, 54.0, 12.5)  # the upload really carries a location

    # --- the observer files a report -------------------------------------------------------
    obs = Screen(browser, live_server, request_log, js, "observer")
    obs.sign_in(observer.email, shot="01-login")
    obs.go("/reports/")
    obs.check("02-my-reports-empty")
    obs.go("/reports/new")
    obs.check("03-report-form")
    # A mistake the server puts beside its field. Without scripts: a criterion of another
    # stage. With them the criteria list follows the stage, so: a narrative of blanks, which
    # the browser's own checks let through.
    fill_report(obs.page, crit.stage_id if js else other_stage, crit, dist)
    if js:
        obs.page.fill("textarea[name=narrative]", " " * 40)
    # Proof that scripts really are off (or on): app.js hides the other regions' districts.
    hidden_groups = obs.page.evaluate(
        "document.querySelectorAll('select[name=district] optgroup[hidden]').length"
    )
    assert (hidden_groups > 0) is js
    with obs.page.expect_navigation():
        obs.main_button("submit_report").click()
    assert obs.page.locator("main .has-error .error").count() >= 1
    assert obs.page.input_value("input[name=title]") == "Students bused to vote early"
    obs.check("04-report-form-errors")

    obs.page.select_option("select[name=stage]", str(crit.stage_id))
    if js:
        obs.page.fill(
            "textarea[name=narrative]",
            "Two buses brought about sixty students of the college to vote early.",
        )
    obs.page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "bus.jpg", "mimeType": "image/jpeg", "buffer": photo}],
    )
    obs.main_button("save_draft").click()
    obs.page.wait_for_url(re.compile(r"/reports/\d+$"))
    assert obs.page.locator("main .status-draft").count() >= 1
    obs.check("05-report-draft")
    report_path = obs.page.url.removeprefix(live_server)

    with obs.page.expect_navigation():
        obs.page.locator(f"main a[href='{report_path}/edit']").first.click()
    obs.check("06-report-form-draft")
    obs.main_button("submit_report").click()
    obs.page.wait_for_url(f"**{report_path}")
    reference = db.session.execute(select(Report.reference)).scalar_one()
    assert reference and reference in obs.page.content()
    obs.check("07-report-submitted")

    # The stored photo lost its location.
    db.session.expire_all()
    stored = db.session.execute(select(Attachment)).scalar_one()
    assert gps_of(stored.data) == {}

    # --- the coordinator asks a question ---------------------------------------------------
    coord = Screen(browser, live_server, request_log, js, "coordinator")
    coord.sign_in(coordinator.email)
    assert coord.page.url.endswith("/login/code")
    coord.check("08-two-factor-code")
    coord.page.fill("main input[name=code]", pyotp.TOTP(coordinator.totp_secret).now())
    with coord.page.expect_navigation():
        coord.page.locator("main form [type=submit]").click()
    assert "/login" not in coord.page.url

    coord.go("/review/")
    coord.check("09-review-queue")
    with coord.page.expect_navigation():
        coord.page.locator("main a", has_text=reference).first.click()
    coord.check("10-review-page")
    review_url = coord.page.url
    # The evidence a coordinator downloads carries no location either.
    evidence = coord.page.locator("main .evidence a").first.get_attribute("href")
    downloaded = coord.context.request.get(live_server + evidence)
    assert downloaded.ok and gps_of(downloaded.body()) == {}

    question = "How many buses exactly, and did anyone refuse to vote?"
    coord.page.fill("textarea[name='needs_info-note']", question)
    # Nothing else waits: the decision leads back to the (empty) queue.
    with coord.page.expect_navigation(url=f"{live_server}/review/"):
        coord.page.locator("form.decision-needs_info [type=submit]").click()
    assert "No other report waits in this queue." in coord.page.inner_text(".flashes")
    coord.page.goto(review_url)
    assert coord.page.locator("main .status-needs_info").count() >= 1

    # --- the observer answers and sends it again -------------------------------------------
    obs.go("/reports/")
    assert obs.page.locator("header .badge-attention").inner_text().startswith("1")
    obs.check("11-my-reports-question")
    obs.go(report_path)
    obs.check("12-report-needs-info")
    with obs.page.expect_navigation():
        obs.page.locator(f"main a[href='{report_path}/edit']").first.click()
    assert question in obs.page.content()
    obs.check("13-answer-form")
    obs.page.fill("textarea[name=answer]", "Two buses; nobody refused, the list was checked.")
    obs.main_button("submit_report").click()
    obs.page.wait_for_url(f"**{report_path}")
    assert obs.page.locator("main .status-submitted").count() >= 1

    # --- the coordinator verifies ----------------------------------------------------------
    coord.page.goto(review_url)
    assert "nobody refused" in coord.page.content()
    coord.page.check("input[name='verify-source_reliability'][value=B]")
    coord.page.check("input[name='verify-info_credibility'][value='2']")
    with coord.page.expect_navigation(url=f"{live_server}/review/"):
        coord.page.locator("form.decision-verify [type=submit]").click()
    coord.page.goto(review_url)
    assert coord.page.locator("main .status-verified").count() >= 1
    coord.check("14-review-verified")

    # --- the dashboard counts it -----------------------------------------------------------
    coord.go("/dashboard/")
    coord.check("15-dashboard")
    total_text = coord.page.locator("main p:has-text('Reports counted') strong").inner_text()
    assert total_text.strip() == "1"
    # Criteria grouped under their stage: 1 on the criterion's row and on its stage's row.
    table = coord.page.locator("#table-criterion")
    row = table.locator("tbody tr", has_text=crit.code)
    assert row.locator("td").inner_text().strip() == "1"
    stage_name = db.session.get(Stage, crit.stage_id).name_en
    stage_row = table.locator("tr.stage-row", has_text=stage_name)
    assert stage_row.locator("td").inner_text().strip() == "1"

    # The re-authentication page asked before exports and publishing (rendered only: the
    # sign-in a moment ago still counts, and a code cannot be used twice).
    coord.go("/reauth")
    coord.check("16-reauth")

    # --- a statement in Belarusian ---------------------------------------------------------
    coord.go("/admin/statements/new")
    coord.check("17-statement-form")
    page = coord.page
    page.fill("main input[name=title]", TITLE_BE)
    page.select_option("main select[name=language]", "be")
    page.fill("main input[name=period_start]", "2024-02-20")
    page.fill("main input[name=period_end]", "2024-02-24")
    page.check(f"main input[name=stages][value='{crit.stage_id}']")
    page.fill(
        "main textarea[name=key_findings]",
        "Назіральнікі зафіксавалі арганізаваны падвоз студэнтаў на датэрміновае галасаванне.",
    )
    with page.expect_navigation():
        coord.main_button("save").click()
    assert page.locator("main h1").inner_text() == TITLE_BE
    coord.check("18-statement-draft")
    with page.expect_navigation():
        page.locator("main a[href$='/publish']").click()
    assert "/reauth" not in page.url  # the sign-in a moment ago counts as a recent check
    coord.check("19-statement-publish")
    with page.expect_navigation():
        coord.main_button("submit").click()
    db.session.expire_all()
    statement = db.session.execute(select(Statement)).scalar_one()
    assert statement.status == "published"
    assert statement.snapshot["statistics"]["total"] == 1  # the verified report is in it
    coord.check("20-statement-published")

    # --- an anonymous visitor downloads the PDF --------------------------------------------
    anon = Screen(browser, live_server, request_log, js, "public")
    anon.go("/")
    anon.check("21-public-home")
    with anon.page.expect_navigation():
        anon.page.locator("main a", has_text=TITLE_BE).first.click()
    assert anon.page.url.endswith(f"/statements/{statement.slug}")
    anon.check("22-public-statement")
    cases = anon.page.locator("main dt:text-is('Documented cases (verified)') + dd").inner_text()
    assert cases.strip() == "1"
    assert observer.email not in anon.page.content()
    with anon.page.expect_download() as download_info:
        anon.page.locator("main a[href$='.pdf']").first.click()
    pdf_path = tmp_path / "statement.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert TITLE_BE in " ".join(text.split())

    for screen in (obs, coord, anon):
        screen.context.close()
