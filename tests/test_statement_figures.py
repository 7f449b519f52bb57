"""Figures inside the argument: placeholders typed in the text, frozen at publication, the
same in the PDF, on the public page and in every language version; publication templates;
case examples; text that reaches reportlab is escaped."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from observer.extensions import db
from observer.models import Criterion, Stage, Statement, StatementStatus
from observer.statements import cases, service
from observer.statements.kinds import CHAPTERS, KINDS
from observer.statements.placeholders import (
    Placeholder,
    PlaceholderSyntaxError,
    Prompt,
    find,
    parse,
)
from tests.factories import make_report
from tests.factories_statements import (
    db_counts,
    make_reports,
    make_statement,
    pdf_text,
    publish_statement,
)


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def observer(make_user):
    return make_user("observer", display_name="Ales Secretname")


def section(heading, body, stage_id=None):
    return service.SectionInput(heading, body, stage_id)


# --- the syntax -------------------------------------------------------------------------------


def test_placeholder_syntax_is_read_as_typed():
    assert parse("incidents.total") == Placeholder("incidents.total", (), "", "[[incidents.total]]")
    found = parse("incidents.by_criterion  chart stage=campaigning")
    assert found.name == "incidents.by_criterion" and found.display == "chart"
    assert found.key == "incidents.by_criterion stage=campaigning"
    assert isinstance(parse("write: the analysis"), Prompt)
    with pytest.raises(PlaceholderSyntaxError):
        parse("Incidents total!")
    with pytest.raises(PlaceholderSyntaxError):
        parse("incidents.total sideways")
    assert [type(f).__name__ for f in find("a [[x.y]] b [[ ]] [[write: z]]")] == [
        "Placeholder",
        "PlaceholderSyntaxError",
        "Prompt",
    ]


# --- figures in the text ----------------------------------------------------------------------


def test_figures_in_sentences_tables_and_charts_equal_the_database(
    client, catalog, coordinator, observer
):
    make_reports(observer, coordinator)
    expected = db_counts(catalog)
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        title="Figures in the argument",
        key_findings="- The mission documented [[incidents.total]] cases in "
        "[[incidents.districts]] districts.",
        sections=[
            section(
                "Campaigning",
                "Pressure was systematic.\n\n[[incidents.by_criterion stage=campaigning]]"
                "\n\n[[incidents.by_region chart]]",
            )
        ],
    )
    publish_statement(statement, coordinator)
    figures = statement.snapshot["figures"]
    assert figures["incidents.total"]["value"] == expected["total"] == 6
    text = " ".join(pdf_text(statement.pdf, layout=False).split())
    assert (
        f"The mission documented {expected['total']} cases in {expected['districts']} districts."
        in text
    )
    assert "[[" not in text
    campaigning = figures["incidents.by_criterion stage=campaigning"]
    assert {row["key"]: row["count"] for row in campaigning["rows"]} == {
        code: n for code, n in expected["by_code"].items() if code.startswith("CAM")
    }
    # The chart names regions, not ISO codes.
    assert "Minsk" in text and "BY-MI" not in text
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert f'documented <span class="figure-number">{expected["total"]}</span> cases' in page
    chart = page[page.index('<svg class="figure-chart"') : page.index("</svg>")]
    assert "<text" in chart and "<script" not in chart and "style=" not in chart
    assert page.count("<table") >= 2


def test_a_placeholder_naming_nothing_stops_preview_and_publication(
    client, catalog, coordinator, login_as
):
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[section("Campaigning", "We saw [[incidents.totl]] cases.")],
    )
    login_as(coordinator)
    preview = client.get(f"/admin/statements/{statement.id}/preview.pdf")
    assert preview.status_code == 422
    body = preview.get_data(as_text=True)
    assert "no figure is called “incidents.totl”" in body and "Campaigning" in body
    response = client.post(f"/admin/statements/{statement.id}/publish", follow_redirects=True)
    assert response.status_code == 200
    assert "incidents.totl" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).status == StatementStatus.DRAFT
    assert client.get(f"/statements/{statement.slug}").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[incidents.by_criterion stage=voting_by_mail]]", "no stage “voting_by_mail”"),
        ("[[incidents.total chart]]", "cannot be shown as “chart”"),
        ("[[incidents.total colour=red]]", "takes no option “colour”"),
        ("[[Incidents!]]", "cannot be read"),
    ],
)
def test_every_bad_placeholder_has_a_clear_message(catalog, coordinator, body, message):
    statement = make_statement(
        coordinator, catalog, language="en", sections=[section("Campaigning", body)]
    )
    _snapshot, problems = service.draft_check(statement)
    assert any(message in problem for problem in problems), problems
    with pytest.raises(service.StatementError, match=re.escape(message)):
        service.publish(statement, coordinator)
    db.session.rollback()
    assert db.session.get(Statement, statement.id).status == StatementStatus.DRAFT


def test_criteria_follow_the_catalog_order(catalog, coordinator, observer):
    for code in ("CNT-01", "CAM-01", "COM-02", "EV-01", "COM-01", "NOM-01"):
        make_report(
            observer,
            criterion=code,
            status="verified",
            reviewer=coordinator,
            occurred_on=date(2024, 2, 1),
        )
    statement = make_statement(coordinator, catalog, language="en")
    snapshot, _problems = service.draft_check(statement)
    codes = [row["key"] for row in snapshot["figures"]["incidents.by_criterion"]["rows"]]
    expected = list(
        db.session.execute(
            select(Criterion.code)
            .join(Stage, Stage.id == Criterion.stage_id)
            .where(Criterion.code.in_(codes))
            .order_by(Stage.position, Criterion.position)
        ).scalars()
    )
    assert codes == expected
    assert codes[0].startswith("COM") and codes.index("CAM-01") < codes.index("EV-01")


# --- templates --------------------------------------------------------------------------------


def test_every_publication_starts_with_its_chapters_in_order(catalog, coordinator):
    order = [
        "context",
        "conditions",
        "commissions",
        "nomination",
        "campaigning",
        "voting",
        "complaints",
    ]
    for code, kind in KINDS.items():
        draft = service.from_template(coordinator, catalog, code, "ru")
        headings = [s.heading for s in draft.sections]
        assert headings == [CHAPTERS[c].heading["ru"] for c in kind.chapters]
        positions = [order.index(c) for c in kind.chapters]
        assert positions == sorted(positions)
        assert draft.kind == code and draft.language == "ru"
    final = service.from_template(coordinator, catalog, "final", "en")
    assert [s.heading for s in final.sections] == [
        "Conditions of observation",
        "Election commissions",
        "Nomination and registration of candidates",
        "Campaigning",
        "Voting: early voting, election day, count and tabulation",
        "Complaints and appeals",
    ]
    assert "[[incidents.by_criterion stage=campaigning chart]]" in final.sections[3].body


def test_a_template_with_prompts_or_an_empty_chapter_is_not_published(
    client, catalog, coordinator, login_as
):
    login_as(coordinator)
    response = client.post(
        "/admin/statements/from-template",
        data={"kind": "campaigning", "language": "be", "campaign": catalog.id},
    )
    assert response.status_code == 302
    draft = db.session.execute(select(Statement)).scalar_one()
    _snapshot, problems = service.draft_check(draft)
    assert any("prompt" in p for p in problems)
    assert client.get(f"/admin/statements/{draft.id}/preview.pdf").status_code == 422
    # Write every chapter but leave one empty: still refused, with its name.
    draft.key_findings = "- Агітацыя праходзіла без канкурэнцыі."
    draft.recommendations = "- Спыніць пераслед."
    draft.sections[0].body = ""
    draft.sections[1].body = "Тэкст.\n\n[[incidents.by_criterion stage=campaigning chart]]"
    db.session.commit()
    _snapshot, problems = service.draft_check(draft)
    assert problems == [f"“{draft.sections[0].heading}” is empty: write it or remove it."]
    draft.sections[0].body = "Назіранне было магчымым толькі з адкрытых крыніц."
    db.session.commit()
    assert service.draft_check(draft)[1] == []
    assert client.get(f"/admin/statements/{draft.id}/preview.pdf").status_code == 200


# --- safety of text reaching reportlab --------------------------------------------------------


def test_markup_in_headings_and_text_is_printed_not_obeyed(catalog, coordinator, tmp_path):
    secret = tmp_path / "server-file.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(secret)
    heading = f'<img src="{secret}" width="300" height="300"/> Heading'
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        title=f'<img src="{secret}"/>',
        key_findings=f'- <img src="{secret}"/> <font color="red">x</font>',
        sections=[
            section(heading, "Body <b>not bold</b> &amp; <img src='/no/such/file.png'/>"),
            section('<img src="/no/such/file.png"/>', "Text."),
        ],
    )
    publish_statement(statement, coordinator)  # a bad path must not make publishing fail
    reader = PdfReader(io.BytesIO(statement.pdf))
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    text = pdf_text(statement.pdf, layout=False)
    assert str(secret) in text  # shown literally, in the heading, the contents and the title
    assert text.count(f'<img src="{secret}"') >= 3
    assert "<b>not bold</b>" in text


# --- case examples ----------------------------------------------------------------------------


def test_case_examples_show_the_wording_region_and_month_only(
    client, catalog, coordinator, observer, login_as
):
    report = make_report(
        observer,
        criterion="EV-01",
        region="BY-HO",
        occurred_on=date(2024, 2, 21),
        status="verified",
        reviewer=coordinator,
        settlement="Secretvillage",
    )
    unverified = make_report(observer, criterion="EV-01", status="submitted")
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[section("Early voting", "Students were pressed.\n\n[[cases]]")],
    )
    login_as(coordinator)
    refused = client.post(
        f"/admin/statements/{statement.id}/cases",
        data={"reference": unverified.reference, "wording": "x"},
    )
    assert refused.status_code == 422
    assert "Only a verified report can be a case example." in refused.get_data(as_text=True)
    added = client.post(
        f"/admin/statements/{statement.id}/cases",
        data={
            "reference": report.reference.lower(),
            "wording": "Students of a college were "
            "told to vote early or lose their dormitory places.",
        },
    )
    assert added.status_code == 302
    db.session.expire_all()
    publish_statement(db.session.get(Statement, statement.id), coordinator)
    statement = db.session.get(Statement, statement.id)
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    pdf = " ".join(pdf_text(statement.pdf, layout=False).split())
    for output in (page, pdf):
        assert "lose their dormitory places" in output
        assert "Gomel" in output and "February 2024" in output
        for secret in (
            observer.display_name,
            observer.observer_code,
            "Secretvillage",
            report.reference,
            "21 February",
            report.title,
        ):
            assert secret not in output


def test_a_case_can_show_the_exact_date_and_district_when_chosen(catalog, coordinator, observer):
    report = make_report(
        observer,
        criterion="EV-01",
        region="BY-HO",
        district_index=1,
        occurred_on=date(2024, 2, 21),
        status="verified",
        reviewer=coordinator,
    )
    statement = make_statement(
        coordinator,
        catalog,
        language="ru",
        sections=[section("Досрочное голосование", "[[cases]]")],
    )
    cases.add_case(statement, report.reference, "Студентов принуждали.", True, True)
    snapshot, problems = service.draft_check(statement)
    assert problems == []
    item = snapshot["figures"]["cases"]["items"][0]
    assert item["when"]["ru"].replace("\u202f", " ") == "21 февраля 2024 г."
    assert report.district.name_ru in item["place"]["ru"]


# --- one snapshot, every language -------------------------------------------------------------


def test_a_translation_publishes_the_originals_frozen_figures(
    client, catalog, coordinator, observer
):
    make_reports(observer, coordinator)
    original = make_statement(
        coordinator,
        catalog,
        language="en",
        key_findings="- [[incidents.total]] cases.",
        sections=[section("Regions", "[[incidents.by_region]]")],
    )
    publish_statement(original, coordinator)
    # New verified reports after the original was published do not change the translation.
    for _ in range(4):
        make_report(
            observer,
            criterion="CAM-05",
            region="BY-MI",
            status="verified",
            reviewer=coordinator,
            occurred_on=date(2024, 2, 15),
        )
    translation = service.start_translation(original, coordinator, "be")
    translation.key_findings = "- [[incidents.total]] выпадкаў."
    translation.sections[0].heading = "Рэгіёны"
    db.session.commit()
    publish_statement(translation, coordinator)
    assert translation.snapshot["figures"] == original.snapshot["figures"]
    text = " ".join(pdf_text(translation.pdf, layout=False).split())
    assert "6 выпадкаў." in text
    assert "Мінская вобласць" in text or "Мінск" in text
    # A figure the original does not have cannot appear in the translation.
    second = service.start_translation(original, coordinator, "ru")
    second.key_findings = "- [[incidents.by_district]]"
    db.session.commit()
    _snapshot, problems = service.draft_check(second)
    assert any("not among the figures" in p for p in problems)


def test_each_problem_is_listed_once(catalog, coordinator):
    statement = make_statement(
        coordinator, catalog, language="en", sections=[section("Campaigning", "[[incidents.totl]]")]
    )
    _snapshot, problems = service.draft_check(statement)
    assert len([p for p in problems if "incidents.totl" in p]) == 1
