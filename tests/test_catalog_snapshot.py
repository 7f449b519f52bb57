"""The per-worker catalog snapshot behind the report form never outlives a catalog change."""

from __future__ import annotations

from sqlalchemy import select

from observer.catalog import service
from observer.catalog.snapshot import catalog_snapshot
from observer.models import Campaign, Criterion


def criterion(db, code):
    return db.session.execute(select(Criterion).where(Criterion.code == code)).scalar_one()


def test_snapshot_holds_the_catalog_in_order(db, catalog):
    snapshot = catalog_snapshot(catalog)
    assert [s.code for s in snapshot.stages][:2] == ["commissions", "nomination"]
    assert len(snapshot.criteria) == 28 and len(snapshot.regions) == 7
    assert len(snapshot.districts) == 127
    cam05 = next(c for c in snapshot.criteria if c.code == "CAM-05")
    assert snapshot.stage(cam05.parent_id).code == "campaigning"
    assert cam05.name_in("be") and cam05.name_in("be") != cam05.name_in("en")


def test_a_deactivated_criterion_leaves_the_form_of_every_worker_at_once(
    db, catalog, make_user, login_as, app, make_app
):
    before = catalog_snapshot(catalog)
    assert "CAM-05" in {c.code for c in before.active_criteria()}
    service.set_criterion_active(criterion(db, "CAM-05"), False, actor_id=None)
    db.session.commit()

    campaign = db.session.execute(select(Campaign)).scalar_one()
    assert campaign.catalog_version != before.version
    assert "CAM-05" not in {c.code for c in catalog_snapshot(campaign).active_criteria()}
    # Another worker's form (a separate app, as under gunicorn) no longer offers it either.
    observer = make_user("observer")
    client = login_as(observer, make_app().test_client())
    page = client.get("/reports/new").get_data(as_text=True)
    assert "CAM-05" not in page and "CAM-04" in page


def test_renaming_a_criterion_shows_the_new_name_on_the_form(db, catalog, make_user, login_as):
    criterion(db, "ED-01").name_en = "Secrecy of the ballot (renamed)"  # any ORM change counts
    db.session.commit()
    client = login_as(make_user("observer"))
    assert "Secrecy of the ballot (renamed)" in client.get("/reports/new").get_data(as_text=True)


def test_reports_do_not_invalidate_the_snapshot(db, catalog, make_user):
    from tests.factories import make_report

    version = catalog_snapshot(catalog).version
    make_report(make_user("observer"), status="submitted")
    campaign = db.session.execute(select(Campaign)).scalar_one()
    assert campaign.catalog_version == version
