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
