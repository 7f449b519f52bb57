"""flask demo seed fills the process records with a plausible 2024 data set, once."""

from __future__ import annotations

from observer.catalog.queries import active_campaign
from observer.records import figures
from observer.records.demo import seed_demo_records


def test_demo_records_follow_the_2024_shares_and_seeding_twice_adds_nothing(
    catalog, db, client, make_user, login_as
):
    assert seed_demo_records(local_candidates=400) is True
    db.session.commit()
    campaign_id = active_campaign().id
    dec = {
        r["group"]: r["share"]
        for r in figures.commission_composition(campaign_id, level="dec", by="route")
    }
    assert 70 < dec["public_association"] < 78 and 13 < dec["party"] < 20
    house = figures.candidate_pipeline(campaign_id, election="house")[0]
    assert 240 < house["registered"] < 300 and house["elected"] == 110 and house["seats"] == 110
    (conflict,) = figures.figure_conflicts(campaign_id)
    assert len(conflict["values"]) == 2
    assert seed_demo_records(local_candidates=400) is False

    login_as(make_user("coordinator"))
    for url in ("/records/commissions", "/records/candidates", "/records/figures"):
        page = client.get(url)
        assert page.status_code == 200 and b"<svg" in page.data, url


def test_process_records_survive_a_backup_and_restore(app, catalog, db, tmp_path):
    from sqlalchemy import func, select

    from observer.models import Base, OfficialFigure

    seed_demo_records(local_candidates=200)
    db.session.commit()
    tables = [t for t in Base.metadata.sorted_tables]

    def counts():
        return {
            t.name: db.session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in tables
        }

    before = counts()
    figure_values = sorted(
        str(v) for v in db.session.execute(select(OfficialFigure.value)).scalars()
    )
    archive = tmp_path / "records.tar"
    cli = app.test_cli_runner()
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(tables):
            connection.execute(table.delete())
    restored = cli.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert counts() == before and before["commission_members"] > 2000
    after = sorted(str(v) for v in db.session.execute(select(OfficialFigure.value)).scalars())
    assert after == figure_values
