"""The public site: statements list, statement pages, PDF downloads, the Atom feed; drafts stay
invisible, and nothing public names a user."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from observer.extensions import db
from observer.models import User
from observer.statements import service
from tests.factories_statements import (
    BE_TITLE,
    make_reports,
    make_statement,
    pdf_text,
    publish_statement,
    pypdf_text,
)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def published(catalog, coordinator):
    return publish_statement(make_statement(coordinator, catalog), coordinator)


def test_home_lists_published_and_withdrawn_not_drafts(client, catalog, coordinator):
    make_statement(coordinator, catalog, title="Secret draft")
    first = publish_statement(make_statement(coordinator, catalog, title="First"), coordinator)
    second = publish_statement(make_statement(coordinator, catalog, title="Second"), coordinator)
    service.withdraw(second, coordinator, "Wrong figures")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Secret draft" not in page
    for statement in (first, second):
        assert statement.title in page
        assert statement.pdf_sha256 in page
        assert f"/statements/{statement.slug}.pdf" in page
    assert "Беларуская" in page and "Withdrawn" in page


def test_statement_page_shows_key_findings_and_download(client, published):
    response = client.get(f"/statements/{published.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert BE_TITLE in page
    assert "<li>Ціск на выбаршчыкаў быў сістэмным.</li>" in page
    assert "Асноўныя высновы" in page  # the heading in the statement's language
    assert f'href="/statements/{published.slug}.pdf"' in page
    assert published.pdf_sha256 in page


def test_pdf_download_headers_etag_and_304(client, published):
    response = client.get(f"/statements/{published.slug}.pdf")
    assert response.status_code == 200
    assert response.data == published.pdf
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename={published.slug}.pdf"
    assert response.headers["ETag"] == f'"{hashlib.sha256(response.data).hexdigest()}"'
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    again = client.get(
        f"/statements/{published.slug}.pdf", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == response.headers["ETag"]
    other = client.get(f"/statements/{published.slug}.pdf", headers={"If-None-Match": '"abc"'})
    assert other.status_code == 200


def test_drafts_are_404_for_everyone(app, client, catalog, coordinator, make_user, login_as):
    draft = make_statement(coordinator, catalog)
    clients = [client, login_as(coordinator, app.test_client())]
    clients.append(login_as(make_user("admin"), app.test_client()))
    for visitor in clients:
        assert visitor.get(f"/statements/{draft.slug}").status_code == 404
        assert visitor.get(f"/statements/{draft.slug}.pdf").status_code == 404
        assert draft.title not in visitor.get("/statements.atom").get_data(as_text=True)
    assert client.get("/statements/no-such-statement").status_code == 404
    assert client.get("/admin/statements/").status_code == 302  # internal: sign in first


def test_withdrawn_statement_shows_reason_and_keeps_serving_the_pdf(client, published, coordinator):
    pdf = published.pdf
    service.withdraw(published, coordinator, "Double-counted cases in one district.")
    db.session.commit()
    page = client.get(f"/statements/{published.slug}").get_data(as_text=True)
    assert "This statement was withdrawn" in page
    assert "Double-counted cases in one district." in page
    response = client.get(f"/statements/{published.slug}.pdf")
    assert response.status_code == 200 and response.data == pdf


def test_original_and_correction_link_to_each_other(client, published, coordinator):
    correction = service.start_correction(published, coordinator)
    correction.title = "Выпраўленая заява"
    db.session.commit()
    # Until the correction is published, the original does not mention it.
    assert "Выпраўленая заява" not in client.get(f"/statements/{published.slug}").get_data(
        as_text=True
    )
    publish_statement(correction, coordinator)
    original_page = client.get(f"/statements/{published.slug}").get_data(as_text=True)
    correction_page = client.get(f"/statements/{correction.slug}").get_data(as_text=True)
    assert f'href="/statements/{correction.slug}"' in original_page
    assert f'href="/statements/{published.slug}"' in correction_page


def test_atom_feed(client, catalog, coordinator):
    make_statement(coordinator, catalog, title="Unpublished draft")
    first = publish_statement(make_statement(coordinator, catalog, title="First"), coordinator)
    second = publish_statement(make_statement(coordinator, catalog, title="Second"), coordinator)
    service.withdraw(second, coordinator, "Wrong figures")
    db.session.commit()
    response = client.get("/statements.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # noqa: S314 - parsing our own output
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    by_id = {e.find(f"{ATOM}id").text: e for e in entries}
    for statement in (first, second):
        entry = by_id[f"http://localhost/statements/{statement.slug}"]
        assert entry.find(f"{ATOM}updated").text.endswith("Z")
        links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
        assert links["alternate"].get("href") == f"http://localhost/statements/{statement.slug}"
        assert links["enclosure"].get("href").endswith(f"/statements/{statement.slug}.pdf")
        assert links["enclosure"].get("length") == str(statement.pdf_size)
    assert "Wrong figures" in response.get_data(as_text=True)


def test_empty_feed_is_valid(client, db):
    feed = ET.fromstring(client.get("/statements.atom").data)  # noqa: S314
    assert feed.find(f"{ATOM}updated").text.endswith("Z")
    assert feed.findall(f"{ATOM}entry") == []


def test_no_public_output_names_a_user(app, client, catalog, make_user):
    """Publish with real people in the database, then look for every one of them everywhere."""
    observer = make_user("observer", display_name="Alesia Kavalchuk", email="alesia@example.net")
    coordinator = make_user(
        "coordinator", display_name="Siarhei Novik", email="siarhei.novik@example.net"
    )
    admin = make_user("admin", display_name="Hanna Zhuk", email="hanna.zhuk@example.net")
    make_reports(observer, coordinator)
    first = publish_statement(make_statement(coordinator, catalog), coordinator)
    correction = service.start_correction(first, admin)
    db.session.commit()
    publish_statement(correction, admin)
    service.withdraw(first, admin, "Superseded by the correction.")
    db.session.commit()

    outputs = {}
    for url in ["/", "/statements.atom"] + [f"/statements/{s.slug}" for s in (first, correction)]:
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = response.get_data(as_text=True)
    for statement in (first, correction):
        pdf = client.get(f"/statements/{statement.slug}.pdf").data
        outputs[f"{statement.slug}.pdf text"] = pdf_text(pdf) + pypdf_text(pdf)
        outputs[f"{statement.slug}.pdf bytes"] = pdf.decode("latin-1")

    users = db.session.execute(select(User)).scalars().all()
    assert len(users) == 3
    for user in users:
        needles = [user.display_name, user.email, user.email.split("@")[0], user.observer_code]
        for needle in filter(None, needles):
            for where, text in outputs.items():
                assert needle.lower() not in text.lower(), f"{needle!r} found in {where}"


def test_weak_and_star_validators_also_give_304(client, published):
    url = f"/statements/{published.slug}.pdf"
    weak = client.get(url, headers={"If-None-Match": f'W/"{published.pdf_sha256}"'})
    assert weak.status_code == 304
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 304
    assert client.head(url).headers["ETag"] == f'"{published.pdf_sha256}"'
