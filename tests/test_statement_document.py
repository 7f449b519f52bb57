"""A document a mission signs its name to: cover with logo, place, date and contact; the
contents sharing a page with the summary; tables that keep header and total with their rows;
notes citing the legal references; page numbers and metadata."""

from __future__ import annotations

import io
import subprocess

from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from observer.extensions import db
from observer.models import MissionProfile
from observer.statements import service
from observer.statements.pdf import _styles, register_fonts
from observer.statements.pdf_figures import KeepTailTable, counts_table
from tests.factories_statements import make_reports, make_statement, pdf_text, publish_statement


def png_with_gps() -> bytes:
    image = Image.new("RGB", (120, 60), (29, 60, 110))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif.tobytes())
    return out.getvalue()


def test_admin_uploads_a_logo_cleaned_like_evidence(client, catalog, make_user, login_as):
    admin = make_user("admin")
    login_as(admin)
    response = client.post(
        "/admin/statements/mission",
        data={
            "place_en": "Vilnius",
            "place_be": "Вільня",
            "place_ru": "Вильнюс",
            "contact": "mission@example.org",
            "logo": (io.BytesIO(png_with_gps()), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    profile = db.session.execute(db.select(MissionProfile)).scalar_one()
    assert profile.logo.startswith(b"\x89PNG") and b"SecretCameraMaker" not in profile.logo
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = publish_statement(make_statement(coordinator, catalog, language="be"), coordinator)
    first = PdfReader(io.BytesIO(statement.pdf)).pages[0]
    images = [
        x
        for x in first["/Resources"]["/XObject"].values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    cover = pdf_text(statement.pdf, layout=False).split("\f")[0]
    assert "Вільня" in cover and "mission@example.org" in cover


def test_a_logo_that_is_not_an_image_is_refused(client, make_user, login_as):
    login_as(make_user("admin"))
    response = client.post(
        "/admin/statements/mission",
        data={"place_en": "Vilnius", "logo": (io.BytesIO(b"%PDF-1.4 not a logo"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "not an image" in response.get_data(as_text=True)
    assert "Vilnius" in response.get_data(as_text=True)  # what was typed comes back
    response = client.post(
        "/admin/statements/mission",
        data={"logo": (io.BytesIO(b"\x89PNG\r\n\x1a\nbroken"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert db.session.execute(db.select(MissionProfile)).scalar_one_or_none() is None


def test_only_admins_edit_the_mission_details(client, make_user, login_as):
    login_as(make_user("coordinator"))
    assert client.get("/admin/statements/mission").status_code in (403, 404)


def test_contents_share_the_page_with_a_short_summary_and_pages_are_numbered(catalog, make_user):
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = publish_statement(make_statement(coordinator, catalog, language="en"), coordinator)
    pages = pdf_text(statement.pdf).split("\f")
    assert "Contents" in pages[1] and "Key findings" in pages[1]
    total = len(PdfReader(io.BytesIO(statement.pdf)).pages)
    assert f"Page 2 of {total}" in pages[1]
    info = subprocess.run(["pdfinfo", "-"], input=statement.pdf, capture_output=True).stdout
    assert statement.title.encode() in info
    reader = PdfReader(io.BytesIO(statement.pdf))
    assert reader.metadata.author == service.mission_name("en")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_criterion_tables_cite_legal_references_as_notes(catalog, make_user):
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = make_statement(
        coordinator,
        catalog,
        language="en",
        sections=[service.SectionInput("Campaigning", "[[incidents.by_criterion]]")],
    )
    publish_statement(statement, coordinator)
    rows = statement.snapshot["figures"]["incidents.by_criterion"]["rows"]
    text = " ".join(pdf_text(statement.pdf, layout=False).split())
    for row in rows:
        assert row["note"] and row["note"] in text


def _split_positions(rows: int, room: float) -> list[int]:
    """Body rows on each page when a counts table of `rows` rows starts `room` from the end."""
    register_fonts()
    styles = _styles()
    data = {
        "kind": "counts",
        "title": "T",
        "dimension": "Region",
        "unit": "Cases",
        "rows": [{"key": str(n), "label": f"Row {n}", "count": n} for n in range(rows)],
        "total": sum(range(rows)),
        "total_label": "Total",
    }
    story = [Spacer(1, A4[1] - 42 * mm - room), *counts_table(data, "en", styles)]
    found = []

    class Template(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, KeepTailTable):
                found.append((self.page, len(flowable._cellvalues)))

    Template(io.BytesIO(), pagesize=A4, topMargin=20 * mm, bottomMargin=22 * mm).build(story)
    return found


def test_a_table_never_leaves_its_total_or_header_alone():
    # 39 rows + total fill a page and leave the total alone with a plain reportlab Table.
    for rows in range(36, 44):
        for room in (250, 120, 60):
            parts = _split_positions(rows, room * mm)
            for _page, cells in parts:
                assert cells - 1 >= 2, (rows, room, parts)  # header + at least two rows
    assert len(_split_positions(39, 250 * mm)) == 2
