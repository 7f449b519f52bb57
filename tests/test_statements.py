"""Composing, previewing, publishing, withdrawing and correcting statements (staff side)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from observer.extensions import db
from observer.models import AuditLog, Statement, StatementStatus
from observer.statements import service
from observer.statements.labels import counting_rules
from tests.factories_statements import (
    BE_TITLE,
    db_counts,
    make_reports,
    make_statement,
    pdf_text,
    publish_statement,
    stage_ids,
    statement_input,
)


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def observer(make_user):
    return make_user("observer")


def form_data(campaign, **overrides) -> dict:
    stages = stage_ids(campaign)
    data = {
        "campaign": str(campaign.id),
        "stages": [str(stages[2]), str(stages[4])],
        "period_start": "2024-01-01",
        "period_end": "2024-02-29",
        "language": "be",
        "title": BE_TITLE,
        "key_findings": "Асноўная выснова.",
        "recommendations": "Рэкамендацыя.",
        "methodology": "",
        "sections-0-heading": "Другі раздзел",
        "sections-0-body": "Тэкст другога.",
        "sections-0-position": "2",
        "sections-1-heading": "Першы раздзел",
        "sections-1-body": "Тэкст першага.",
        "sections-1-position": "1",
        "sections-1-stage": str(stages[2]),
        "sections-2-heading": "",
        "sections-2-body": "",
        "save": "Save draft",
    }
    data.update(overrides)
    return data


# --- composing -------------------------------------------------------------------------------


def test_coordinator_composes_a_draft(client, catalog, coordinator, login_as):
    login_as(coordinator)
    page = client.get("/admin/statements/new")
    assert page.status_code == 200
    # The methodology note comes prefilled with the counting rules.
    assert "Only reports verified by the mission" in page.get_data(as_text=True)

    response = client.post("/admin/statements/new", data=form_data(catalog))
    assert response.status_code == 302
    statement = db.session.execute(select(Statement)).scalar_one()
    assert response.headers["Location"].endswith(f"/admin/statements/{statement.id}")
    assert statement.status == StatementStatus.DRAFT
    assert statement.title == BE_TITLE
    assert statement.slug.startswith("papiaredniaia-zaiava-tsisk-na-vybarshchykaw")
    # Sections in the order given by their numbers; the empty slot is ignored.
    assert [s.heading for s in statement.sections] == ["Першы раздзел", "Другі раздзел"]
    assert statement.sections[0].stage_id == stage_ids(catalog)[2]
    assert len(statement.stages) == 2
    # Left empty, the methodology note gets the counting rules in the statement's language.
    assert statement.methodology == counting_rules("be")


def test_bad_input_comes_back_filled_in(client, catalog, coordinator, login_as):
    login_as(coordinator)
    data = form_data(
        catalog,
        period_start="2024-03-01",
        period_end="2024-02-01",
        stages=[],
        **{"sections-0-heading": "", "sections-0-body": "Text without a heading"},
    )
    response = client.post("/admin/statements/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The end of the period must not be before its start." in page
    assert "Choose at least one stage." in page
    assert "Give this section a heading." in page
    assert BE_TITLE in page and "Text without a heading" in page
    assert db.session.execute(select(Statement)).first() is None


def test_add_another_section_keeps_what_was_typed(client, catalog, coordinator, login_as):
    login_as(coordinator)
    data = form_data(catalog, **{"add_section": "Add another section"})
    data.pop("save")
    response = client.post("/admin/statements/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="sections-3-heading"' in page  # one more empty slot
    assert "Тэкст першага." in page
    assert db.session.execute(select(Statement)).first() is None


def test_edit_reorders_and_removes_sections(client, catalog, coordinator, login_as):
    statement = make_statement(coordinator, catalog)
    login_as(coordinator)
    page = client.get(f"/admin/statements/{statement.id}/edit").get_data(as_text=True)
    assert "Датэрміновае галасаванне" in page
    data = form_data(
        catalog,
        **{
            "sections-0-heading": "A",
            "sections-0-position": "3",
            "sections-1-heading": "B",
            "sections-1-remove": "y",
            "sections-2-heading": "C",
            "sections-2-body": "New",
            "sections-2-position": "1",
        },
    )
    response = client.post(f"/admin/statements/{statement.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert [s.heading for s in db.session.get(Statement, statement.id).sections] == ["C", "A"]


def test_draft_page_shows_figures_from_verified_reports(
    client, catalog, coordinator, observer, login_as
):
    make_reports(observer, coordinator)
    statement = make_statement(coordinator, catalog)
    expected = db_counts(catalog)
    assert expected["total"] == 6  # six verified reports in the period
    login_as(coordinator)
    page = client.get(f"/admin/statements/{statement.id}").get_data(as_text=True)
    snapshot = service.draft_snapshot(statement)
    stats = snapshot["statistics"]
    assert stats["total"] == expected["total"]
    assert stats["districts"] == expected["districts"] == 5
    assert {row["key"]: row["count"] for row in stats["by_criterion"]} == expected["by_code"]
    assert {int(r["key"]): r["count"] for r in stats["by_severity"] if r["count"]} == expected[
        "by_severity"
    ]
    assert f'<dd class="num">{expected["total"]}</dd>' in page


def test_preview_is_a_fresh_pdf(client, catalog, coordinator, observer, login_as):
    statement = make_statement(coordinator, catalog)
    login_as(coordinator)
    first = client.get(f"/admin/statements/{statement.id}/preview.pdf")
    assert first.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"].startswith("inline")
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(first.data)
    assert BE_TITLE.split(":")[0] in text
    assert "ЧАРНАВІК" in text  # drafts say so on every page
    make_reports(observer, coordinator)
    second = client.get(f"/admin/statements/{statement.id}/preview.pdf")
    assert "Задакументаваныя выпадкі (правераныя)" in pdf_text(second.data)
    assert first.data != second.data  # rendered from the current data


# --- access ----------------------------------------------------------------------------------


STAFF_PAGES = ("/", "/new", "/{id}", "/{id}/edit", "/{id}/preview.pdf", "/{id}/publish")


def test_only_staff_compose(app, client, catalog, coordinator, make_user, login_as):
    statement = make_statement(coordinator, catalog)
    observer_client = login_as(make_user("observer"), app.test_client())
    anonymous = app.test_client()
    admin_client = login_as(make_user("admin"), app.test_client())
    for suffix in STAFF_PAGES:
        url = "/admin/statements" + suffix.format(id=statement.id)
        assert observer_client.get(url).status_code == 403, url
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
        assert admin_client.get(url).status_code == 200, url
    for suffix in ("/new", "/{id}/edit", "/{id}/publish", "/{id}/delete"):
        url = "/admin/statements" + suffix.format(id=statement.id)
        assert observer_client.post(url, data=form_data(catalog)).status_code == 403
    assert db.session.get(Statement, statement.id).status == StatementStatus.DRAFT


def test_unknown_statement_is_404(client, catalog, coordinator, login_as):
    login_as(coordinator)
    assert client.get("/admin/statements/999999").status_code == 404


# --- publishing ------------------------------------------------------------------------------


def test_publishing_needs_a_fresh_reauthentication(client, catalog, coordinator, login_as):
    statement = make_statement(coordinator, catalog)
    login_as(coordinator)
    with client.session_transaction() as session:
        session.pop("reauth_at")
    for method in ("get", "post"):
        response = getattr(client, method)(f"/admin/statements/{statement.id}/publish")
        assert response.status_code == 302
        assert "/reauth" in response.headers["Location"]
        assert f"next=/admin/statements/{statement.id}/publish" in response.headers[
            "Location"
        ].replace("%2F", "/")
    with client.session_transaction() as session:
        session["reauth_at"] = 1.0  # long ago
    assert "/reauth" in client.post(f"/admin/statements/{statement.id}/publish").headers["Location"]
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).status == StatementStatus.DRAFT


def test_publish_freezes_text_figures_and_pdf(client, catalog, coordinator, observer, login_as):
    make_reports(observer, coordinator)
    statement = make_statement(coordinator, catalog)
    login_as(coordinator)
    assert client.get(f"/admin/statements/{statement.id}/publish").status_code == 200
    response = client.post(f"/admin/statements/{statement.id}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    statement = db.session.get(Statement, statement.id)
    assert statement.status == StatementStatus.PUBLISHED
    assert statement.published_by_id == coordinator.id
    assert statement.published_at is not None
    assert statement.pdf_sha256 == hashlib.sha256(statement.pdf).hexdigest()
    assert statement.pdf_size == len(statement.pdf)
    snapshot = statement.snapshot
    assert snapshot["generated_at"] and snapshot["statistics"]["total"] == 6
    labels = {row["key"]: row["label"] for row in snapshot["statistics"]["by_region"]}
    assert labels["BY-MI"].startswith("Мінская")  # labels in the statement's language
    assert snapshot["stages"]
    log = db.session.execute(select(AuditLog).where(AuditLog.event == "statement_published"))
    entry = log.scalar_one()
    assert entry.actor_id == coordinator.id and entry.details["statement_id"] == statement.id

    # New verified reports do not change a published statement.
    stored = statement.pdf
    make_reports(observer, coordinator)
    assert service.render_pdf(statement) == stored
    assert client.get(f"/admin/statements/{statement.id}/preview.pdf").data == stored


def test_published_statement_cannot_be_edited(client, catalog, coordinator, login_as):
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    login_as(coordinator)
    response = client.get(f"/admin/statements/{statement.id}/edit", follow_redirects=True)
    assert "can no longer be changed" in response.get_data(as_text=True)
    response = client.post(
        f"/admin/statements/{statement.id}/edit",
        data=form_data(catalog, title="Changed"),
        follow_redirects=True,
    )
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert client.post(f"/admin/statements/{statement.id}/publish").status_code == 302
    assert client.post(f"/admin/statements/{statement.id}/delete").status_code == 302
    db.session.expire_all()
    statement = db.session.get(Statement, statement.id)
    assert statement.title == BE_TITLE and statement.status == StatementStatus.PUBLISHED
    with pytest.raises(service.StatementError):
        service.update_statement(statement, statement_input(catalog, title="Changed"))


def test_key_findings_are_required_to_publish(catalog, coordinator):
    statement = make_statement(coordinator, catalog, key_findings="  ")
    with pytest.raises(service.StatementError):
        service.publish(statement, coordinator)


def test_publishing_twice_is_refused(catalog, coordinator):
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    with pytest.raises(service.StatementError):
        service.publish(statement, coordinator)


# --- withdrawal and correction ---------------------------------------------------------------


def test_withdraw_needs_a_reason_and_keeps_the_pdf(client, catalog, coordinator, login_as):
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    pdf = statement.pdf
    login_as(coordinator)
    assert client.get(f"/admin/statements/{statement.id}/withdraw").status_code == 200
    response = client.post(f"/admin/statements/{statement.id}/withdraw", data={"reason": " "})
    assert response.status_code == 422
    assert "Give the reason" in response.get_data(as_text=True)
    response = client.post(
        f"/admin/statements/{statement.id}/withdraw",
        data={"reason": "Figures for Homel region were counted twice."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    statement = db.session.get(Statement, statement.id)
    assert statement.status == StatementStatus.WITHDRAWN
    assert statement.withdrawal_reason == "Figures for Homel region were counted twice."
    assert statement.withdrawn_at is not None
    assert statement.pdf == pdf
    log = db.session.execute(select(AuditLog).where(AuditLog.event == "statement_withdrawn"))
    assert log.scalar_one().actor_id == coordinator.id


def test_withdraw_needs_reauthentication(client, catalog, coordinator, login_as):
    statement = publish_statement(make_statement(coordinator, catalog), coordinator)
    login_as(coordinator)
    with client.session_transaction() as session:
        session.pop("reauth_at")
    response = client.post(
        f"/admin/statements/{statement.id}/withdraw", data={"reason": "Wrong figures."}
    )
    assert "/reauth" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).status == StatementStatus.PUBLISHED


def test_a_draft_cannot_be_withdrawn(catalog, coordinator):
    statement = make_statement(coordinator, catalog)
    with pytest.raises(service.StatementError):
        service.withdraw(statement, coordinator, "reason")


def test_correction_is_prefilled_and_names_the_original(client, catalog, coordinator, login_as):
    original = publish_statement(make_statement(coordinator, catalog), coordinator)
    login_as(coordinator)
    response = client.post(f"/admin/statements/{original.id}/correct")
    assert response.status_code == 302
    correction = db.session.execute(
        select(Statement).where(Statement.corrects_id == original.id)
    ).scalar_one()
    assert response.headers["Location"].endswith(f"/admin/statements/{correction.id}/edit")
    assert correction.status == StatementStatus.DRAFT
    assert correction.title == original.title and correction.slug != original.slug
    assert [s.heading for s in correction.sections] == [s.heading for s in original.sections]
    assert [s.id for s in correction.stages] == [s.id for s in original.stages]
    publish_statement(correction, coordinator)
    text = pdf_text(correction.pdf)
    assert "Гэтая заява выпраўляе заяву" in text


def test_a_draft_cannot_be_corrected(client, catalog, coordinator, login_as):
    draft = make_statement(coordinator, catalog)
    login_as(coordinator)
    client.post(f"/admin/statements/{draft.id}/correct")
    assert (
        db.session.execute(select(Statement).where(Statement.corrects_id == draft.id)).first()
        is None
    )


def test_a_draft_can_be_deleted(client, catalog, coordinator, login_as):
    draft = make_statement(coordinator, catalog)
    login_as(coordinator)
    asked = client.post(f"/admin/statements/{draft.id}/delete")
    assert asked.status_code == 200 and "Delete the draft statement" in asked.text
    assert db.session.execute(select(Statement)).first() is not None
    url = f"/admin/statements/{draft.id}/delete"
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    assert db.session.execute(select(Statement)).first() is None


def test_index_lists_every_statement(client, catalog, coordinator, login_as):
    make_statement(coordinator, catalog, title="Draft one")
    publish_statement(make_statement(coordinator, catalog, title="Published one"), coordinator)
    login_as(coordinator)
    page = client.get("/admin/statements/").get_data(as_text=True)
    assert "Draft one" in page and "Published one" in page


def test_slugs_are_unique_and_follow_title_changes(catalog, coordinator):
    first = make_statement(coordinator, catalog, title="Заява")
    second = make_statement(coordinator, catalog, title="Заява")
    assert (first.slug, second.slug) == ("zaiava", "zaiava-2")
    service.update_statement(
        second,
        service.StatementInput(
            campaign_id=catalog.id,
            stage_ids=stage_ids(catalog),
            language="ru",
            title="Заявление",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 1, 2),
        ),
    )
    assert second.slug == "zayavlenie"
    assert second.methodology == counting_rules("ru")
