"""The process records pages: loading through the page, the coordinators' figures in the
reader's language with links to the records they count, sources and their copies."""

from __future__ import annotations

import io
import re

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from observer.models import CommissionLevel, CommissionMember, OfficialFigure, Organisation
from tests.test_records_imports import COMMISSIONS, FIGURES, ORGANISATIONS, load, load_all


@pytest.fixture
def coordinator(make_user, client, login_as):
    user = make_user("coordinator")
    login_as(user)
    return user


def upload(client, url, text, name="file.csv", dry_run=False):
    data = {"file": (io.BytesIO(text.encode() if isinstance(text, str) else text), name)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post(url, data=data, content_type="multipart/form-data")


def test_an_admin_loads_organisations_through_the_page_with_a_dry_run_first(
    client, catalog, db, make_user, login_as
):
    login_as(make_user("admin"))
    page = client.get("/records/organisations/load")
    assert page.status_code == 200 and b"name_en,name_be,name_ru,kind,alignment" in page.data
    dry = upload(client, "/records/organisations/load", ORGANISATIONS, dry_run=True)
    assert dry.status_code == 200 and b"Dry run, nothing written" in dry.data
    assert b"4 to create" in dry.data
    assert db.session.execute(select(func.count(Organisation.id))).scalar_one() == 0
    done = upload(client, "/records/organisations/load", ORGANISATIONS)
    assert b"Loaded: 4 created, 0 updated, 0 unchanged" in done.data
    listing = client.get("/records/organisations")
    assert "Belaya Rus" in listing.get_data(as_text=True)


def test_a_bad_file_is_listed_by_row_and_column_with_a_400(client, catalog, db, coordinator):
    bad = COMMISSIONS.replace("BY-HM", "BY-QQ", 1).encode("cp1251")
    response = upload(client, "/records/load/commissions", bad)
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
    response = upload(client, "/records/load/commissions", COMMISSIONS.replace("BY-HM", "BY-QQ", 1))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>2</td><td>region</td>" in text and "BY-QQ" in text
    assert "<td>2</td><td>nominated_by</td>" in text  # the organisations are not loaded
    assert db.session.execute(select(func.count(CommissionMember.id))).scalar_one() == 0
    assert client.post("/records/load/commissions", data={}).status_code == 400
    assert client.get("/records/load/users").status_code == 404


def test_composition_in_russian_links_to_the_nominees_it_counts(
    app, client, catalog, db, coordinator, tmp_path
):
    load_all(app, tmp_path)
    coordinator.locale = "ru"
    db.session.commit()
    page = client.get("/records/commissions").get_data(as_text=True)
    assert "50,0\u00a0%" in page and "100,0\u00a0%" in page
    assert "<svg" in page and "Территориальные избирательные комиссии" in page
    link = re.search(r'href="(/records/commissions/nominees\?[^"]*level=tec[^"]*)"', page)
    nominees = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Pavel Sidorov" in nominees or "Anna Kuz" in nominees
    assert "Ivan Ivanov" not in nominees
    by_route = client.get("/records/commissions?by=route").get_data(as_text=True)
    assert "Трудовой коллектив" in by_route


def test_candidate_pipeline_page_and_the_list_behind_a_figure(
    app, client, catalog, db, coordinator, tmp_path
):
    load_all(app, tmp_path)
    page = client.get("/records/candidates").get_data(as_text=True)
    assert "66.7%" in page and "Invalid signatures" in page and "<svg" in page
    refused = client.get("/records/candidates/list?election=house&status=refused")
    text = refused.get_data(as_text=True)
    assert "Petr L" in text and "Maria K" not in text and "Invalid signatures" in text


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "Early voting 24.44%")
    sheet.save()
    return buffer.getvalue()


def test_official_figures_with_conflict_incidents_and_a_stored_copy(
    app, client, catalog, db, coordinator, tmp_path
):
    load_all(app, tmp_path)
    other = FIGURES.splitlines()[0] + (
        "\nearly_turnout,,2024-02-22T18:00,47.9,percent,https://zachod.pl/x,2024-02-23T10:00\n"
    )
    load(app, tmp_path, "figures", other)
    page = client.get("/records/figures?metric=early_turnout").get_data(as_text=True)
    assert "Sources that disagree" in page and "24.44%" in page and "47.9%" in page
    assert "Gomel" in page and "30.68%" in page and "<polyline" in page or "<circle" in page
    assert "/review/?status=verified" in page  # incident reports of the same stage beside
    figure = db.session.execute(
        select(OfficialFigure).where(OfficialFigure.source_url == "https://zachod.pl/x")
    ).scalar_one()
    refused = upload(client, f"/records/figures/{figure.id}/source", b"not a pdf", "x.pdf")
    assert refused.status_code == 303 and figure.source_copy_id is None
    kept = upload(client, f"/records/figures/{figure.id}/source", pdf_bytes(), "belta.pdf")
    assert kept.status_code == 302
    download = client.get(f"/records/figures/{figure.id}/source")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_admin_marks_a_levels_member_names_public(client, catalog, db, make_user, login_as):
    login_as(make_user("admin"))
    assert client.get("/records/levels").status_code == 200
    level = db.session.execute(
        select(CommissionLevel).where(CommissionLevel.code == "dec")
    ).scalar_one()
    response = client.post(f"/records/levels/{level.id}", data={f"level{level.id}-public": "y"})
    assert response.status_code == 302
    db.session.refresh(level)
    assert level.member_names_public is True


def test_an_admin_edits_an_organisations_alignment(
    app, client, catalog, db, make_user, login_as, tmp_path
):
    load(app, tmp_path, "organisations", ORGANISATIONS)
    login_as(make_user("admin"))
    organisation = db.session.execute(
        select(Organisation).where(Organisation.name_en == "Independent group")
    ).scalar_one()
    url = f"/records/organisations/{organisation.id}/edit"
    data = {
        "name_en": "Independent group",
        "name_be": "",
        "name_ru": "",
        "kind": "voters",
        "alignment": "opposition",
    }
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(organisation)
    assert organisation.alignment == "opposition"
    clash = client.post(url, data={**data, "name_en": "Belaya Rus"})
    assert clash.status_code == 400


def test_an_appeal_against_a_refusal_is_counted_and_listed(
    app, client, catalog, db, coordinator, tmp_path
):
    load_all(app, tmp_path)
    appeal = (
        "election,constituency,region,candidate,gender,nominated_by,route,outcome,reason,"
        "decided_on,appeal_outcome,appealed_on\n"
        "house,95,BY-HM,Petr L,m,Communist Party of Belarus,party,refused,Invalid signatures,"
        "2024-01-26,dismissed,2024-01-29\n"
    )
    assert load(app, tmp_path, "candidates", appeal).exit_code == 0
    page = client.get("/records/candidates").get_data(as_text=True)
    assert "Appeals against refusals" in page and "upheld: 0" in page
    listed = client.get("/records/candidates/list?election=house&appeal=any").get_data(as_text=True)
    assert "Petr L" in listed and "appeal dismissed" in listed and "Maria K" not in listed
