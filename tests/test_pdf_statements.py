"""Statement PDFs: Cyrillic that renders and extracts, figures equal to the database, metadata,
labels in three languages, and byte-for-byte reproducibility."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from observer.extensions import db
from observer.models import Region
from observer.statements import service
from observer.statements.labels import COUNTING_RULES, LABELS, STATEMENT_LANGUAGES, label
from observer.statements.pdf import render_statement
from observer.statements.slugs import slugify, with_suffix
from observer.statements.text import blocks
from tests.factories_statements import (
    BE_TITLE,
    db_counts,
    make_reports,
    make_statement,
    pdf_text,
    publish_statement,
    pypdf_text,
    table_count,
)

MISSION = "Праваабаронцы за свабодныя выбары — экспертная місія"


def document(**overrides) -> dict:
    """A statement in plain data, as a benchmark would build it (no app, no database)."""
    data = {
        "mission": MISSION,
        "title": BE_TITLE,
        "language": "be",
        "slug": "papiaredniaia-zaiava",
        "period_start": "2024-01-01",
        "period_end": "2024-02-29",
        "generated_at": "2024-02-26T09:00:00+00:00",
        "published_at": "2024-02-26T12:00:00+00:00",
        "stages": ["Агітацыя", "Датэрміновае галасаванне"],
        "key_findings": "- Ціск на выбаршчыкаў.\n- Ўдзел студэнтаў і вайскоўцаў.",
        "sections": [
            {"heading": f"Раздзел {n}", "body": "Тэкст раздзела з літарамі ў, і, ё. " * 30,
             "stage": "campaigning" if n % 3 == 0 else ""}
            for n in range(1, 31)
        ],
        "recommendations": "Вызваліць палітычных вязняў.",
        "methodology": "Крыніцы: паведамленні назіральнікаў.",
        "statistics": {
            "total": 120,
            "districts": 41,
            "by_criterion": [
                {"key": f"CAM-{n:02d}", "label": f"Крытэрый {n}", "count": n * 4,
                 "group": "campaigning"}
                for n in range(1, 7)
            ],
            "by_stage": [{"key": "campaigning", "label": "Агітацыя", "count": 84}],
            "by_region": [{"key": "BY-MI", "label": "Мінская вобласць", "count": 84}],
            "by_severity": [{"key": str(n), "label": label("be", f"severity_{n}"), "count": 21}
                            for n in range(1, 5)],
        },
    }  # fmt: skip
    data.update(overrides)
    return data


# --- pure rendering --------------------------------------------------------------------------


def test_same_data_gives_the_same_bytes_in_this_and_another_process():
    first = render_statement(document())
    render_statement(document(title="Іншая заява", language="ru"))  # state must not leak
    second = render_statement(document())
    assert first == second
    script = (
        "import json, sys\n"
        "from observer.statements.pdf import render_statement\n"
        "sys.stdout.buffer.write(render_statement(json.loads(sys.stdin.read())))\n"
    )
    other_process = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(document()).encode(),
        capture_output=True,
        check=True,
    ).stdout
    assert other_process == first


def test_different_data_gives_different_bytes():
    assert render_statement(document()) != render_statement(document(recommendations="Іншае."))


def test_belarusian_text_renders_and_extracts():
    pdf = render_statement(document())
    for text in (pdf_text(pdf, layout=False), pypdf_text(pdf)):
        flat = " ".join(text.split())
        assert BE_TITLE in flat
        assert "Змест" in flat and "Асноўныя высновы" in flat
        assert "Ўдзел студэнтаў і вайскоўцаў" in flat
        assert "Старонка 1 з" in flat
        assert " ".join(COUNTING_RULES["be"].split())[:80] in flat  # counting rules always there
        assert "Задакументаваныя выпадкі паводле крытэрыяў" in flat  # the chart's title


def test_metadata_language_and_embedded_fonts():
    reader = PdfReader(io.BytesIO(render_statement(document())))
    meta = reader.metadata
    assert meta.title == BE_TITLE
    assert meta.author == MISSION
    assert meta.subject == LABELS["be"]["subject"]
    assert "lang:be" in meta.get("/Keywords")
    assert meta.get("/CreationDate").startswith("D:20240226120000")
    assert reader.trailer["/Root"]["/Lang"] == "be"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/FontDescriptor" in font:
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # embedded, not referenced
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_page_x_of_y_on_every_page():
    pdf = render_statement(document(language="en"))
    pages = PdfReader(io.BytesIO(pdf)).pages
    total = len(pages)
    assert total > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_drafts_are_marked_and_dated_by_generation():
    pdf = render_statement(document(published_at=None))
    text = pdf_text(pdf)
    assert "ЧАРНАВІК — не для публікацыі" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.get("/CreationDate").startswith("D:20240226090000")


@pytest.mark.parametrize("language", STATEMENT_LANGUAGES)
def test_labels_exist_in_every_language(language):
    assert set(LABELS[language]) == set(LABELS["en"])
    assert all(LABELS[language][key].strip() for key in LABELS["en"])
    assert label(language, "page_x_of_y", x=2, y=9).count("2") == 1
    pdf = render_statement(document(language=language, title="Statement / Заява / Заявление"))
    text = " ".join(pdf_text(pdf, layout=False).split())
    for key in ("contents", "key_findings", "recommendations", "methodology", "by_region"):
        assert LABELS[language][key] in text


def test_empty_statistics_say_so():
    stats = {"total": 0, "districts": 0, "by_severity": []}
    text = pdf_text(render_statement(document(language="ru", statistics=stats)))
    assert "За этот период проверенных случаев не задокументировано." in text


def test_a_thirty_section_statement_renders_quickly():
    data = document()
    render_statement(data)  # fonts registered, caches warm
    started = time.perf_counter()
    pdf = render_statement(data)
    assert time.perf_counter() - started < 2.0
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 10


# --- from the database -----------------------------------------------------------------------


def test_every_figure_in_the_pdf_equals_the_database(catalog, make_user):
    observer = make_user("observer")
    coordinator = make_user("coordinator")
    make_reports(observer, coordinator)
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    expected = db_counts(catalog)
    assert expected["total"] == 6 and len(expected["by_code"]) == 3
    text = pdf_text(statement.pdf)
    assert " ".join(BE_TITLE.split()) in " ".join(text.split())
    assert table_count(text, "Задакументаваныя выпадкі (правераныя)") == expected["total"]
    assert table_count(text, "Раёны з задакументаванымі выпадкамі") == expected["districts"]
    for code, count in expected["by_code"].items():
        assert table_count(text, code) == count, code
    for name, count in expected["by_region"].items():
        assert table_count(text, name) == count, name
    for level, count in expected["by_severity"].items():
        assert table_count(text, label("be", f"severity_{level}")) == count, level
    # Regions without verified cases in the period are not listed with invented figures.
    vitebsk = db.session.execute(select(Region).where(Region.iso_code == "BY-VI")).scalar_one()
    assert table_count(text, vitebsk.name_be) is None


def test_stored_pdf_is_reproducible_from_its_snapshot(catalog, make_user):
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    db.session.expire_all()
    rebuilt = render_statement(service.build_document(statement, statement.snapshot))
    assert rebuilt == statement.pdf


def test_cli_renders_stored_and_draft_pdfs(app, catalog, make_user, tmp_path):
    coordinator = make_user("coordinator")
    published = publish_statement(make_statement(coordinator, catalog), coordinator)
    draft = make_statement(coordinator, catalog, title="Draft statement", language="en")
    runner = app.test_cli_runner()
    target = tmp_path / "out.pdf"
    result = runner.invoke(args=["statements", "render", published.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == published.pdf
    result = runner.invoke(args=["statements", "render", draft.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "DRAFT — not for publication" in pdf_text(target.read_bytes())
    result = runner.invoke(args=["statements", "render", "no-such-slug"])
    assert result.exit_code != 0 and "No statement" in result.output


# --- small pure helpers ----------------------------------------------------------------------


def test_slugs_transliterate_cyrillic():
    assert slugify("Папярэдняя заява аб выніках", "be") == "papiaredniaia-zaiava-ab-vynikakh"
    assert slugify("Гомельская вобласць: ўсё", "be") == "homielskaia-voblasts-wsio"
    assert slugify("Предварительное заявление", "ru") == "predvaritelnoe-zayavlenie"
    assert slugify("Final statement, 2024!", "en") == "final-statement-2024"
    assert slugify("!!!", "en") == "statement"
    assert len(slugify("слова " * 50, "be")) <= 80
    assert with_suffix("zaiava", {"zaiava", "zaiava-2"}) == "zaiava-3"


def test_text_blocks():
    assert blocks("One\nline two\n\n- a\n- b\n\n\n") == [
        ("p", ["One", "line two"]),
        ("ul", ["a", "b"]),
    ]
    assert blocks(None) == []


def test_period_must_be_ordered(catalog, make_user):
    with pytest.raises(service.StatementError):
        make_statement(
            make_user("coordinator"),
            catalog,
            period_start=date(2024, 2, 1),
            period_end=date(2024, 1, 1),
        )


def test_times_in_another_zone_give_the_same_bytes():
    """PostgreSQL may return times in the server's zone; the PDF is always in UTC."""
    utc = render_statement(document())
    minsk = render_statement(
        document(generated_at="2024-02-26T12:00:00+03:00", published_at="2024-02-26T15:00:00+03:00")
    )
    assert minsk == utc
