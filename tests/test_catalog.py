"""The catalog: default 2024 seed, loading files (function and CLI), queries, admin pages."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from observer.catalog import queries
from observer.catalog.seed import (
    CatalogError,
    default_catalog_data,
    load_catalog,
    load_default_catalog,
)
from observer.models import AuditLog, Campaign, Criterion, District, Region, Stage

STAGE_CODES = [
    "commissions",
    "nomination",
    "registration",
    "campaigning",
    "early_voting",
    "election_day",
    "counting",
    "complaints",
]


def count(db, model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def all_counts(db) -> dict:
    return {m.__name__: count(db, m) for m in (Campaign, Stage, Criterion, Region, District)}


def small_catalog() -> dict:
    return {
        "campaign": {
            "slug": "test-2030",
            "name_en": "Test campaign",
            "reference_year": 2030,
            "starts_on": "2030-01-01",
            "ends_on": "2030-03-31",
            "election_day": "2030-03-01",
        },
        "stages": [
            {
                "code": "voting",
                "name_en": "Voting",
                "starts_on": "2030-03-01",
                "ends_on": "2030-03-01",
            },
        ],
        "criteria": [
            {
                "code": "V-01",
                "stage": "voting",
                "name_en": "Secrecy",
                "name_be": "Тайна",
                "name_ru": "Тайна",
            },
        ],
        "regions": [
            {"iso_code": "XX-AA", "name_en": "Alpha", "districts": [{"name_en": "North"}]},
        ],
    }


# --- the default seed ------------------------------------------------------------------------


def test_default_catalog_has_the_2024_campaign_stages_and_criteria(catalog, db):
    assert catalog.slug == "belarus-2024"
    assert catalog.reference_year == 2024
    assert (catalog.starts_on, catalog.ends_on) == (date(2023, 11, 20), date(2024, 3, 31))
    assert catalog.election_day == date(2024, 2, 25)
    assert catalog.name_be and catalog.name_ru

    stages = queries.stages_for(catalog)
    assert [s.code for s in stages] == STAGE_CODES
    by_code = {s.code: s for s in stages}
    assert (by_code["commissions"].starts_on, by_code["commissions"].ends_on) == (
        date(2023, 11, 20),
        date(2024, 1, 25),
    )
    assert (by_code["counting"].starts_on, by_code["counting"].ends_on) == (
        date(2024, 2, 25),
        date(2024, 2, 26),
    )
    assert by_code["election_day"].starts_on == by_code["election_day"].ends_on == date(2024, 2, 25)
    assert by_code["complaints"].ends_on == date(2024, 3, 31)

    criteria = queries.criteria_for(catalog)
    assert len(criteria) == 28
    for criterion in criteria:
        for lang in ("en", "be", "ru"):
            assert getattr(criterion, f"name_{lang}"), (criterion.code, lang)
            assert getattr(criterion, f"description_{lang}"), (criterion.code, lang)
        assert criterion.references
    codes = {c.code: c for c in criteria}
    assert codes["CAM-06"].stage.code == "election_day"
    assert codes["CNT-01"].stage.code == "counting"
    assert codes["CMP-02"].stage.code == "complaints"
    # stage order first, then position within the stage
    positions = [(c.stage.position, c.position) for c in criteria]
    assert positions == sorted(positions)
    assert criteria[0].code == "COM-01" and criteria[-1].code == "CMP-02"


def test_default_catalog_has_regions_and_all_districts(catalog, db):
    regions = queries.regions_with_districts()
    assert len(regions) == 7
    assert count(db, District) == 127
    sizes = {r.iso_code: len(r.districts) for r in regions}
    assert sizes == {
        "BY-BR": 16,
        "BY-VI": 21,
        "BY-HO": 21,
        "BY-HR": 17,
        "BY-MI": 22,
        "BY-MA": 21,
        "BY-HM": 9,
    }
    minsk_region = next(r for r in regions if r.iso_code == "BY-MI")
    barysaw = next(d for d in minsk_region.districts if d.name_en == "Barysaw")
    assert (barysaw.name_be, barysaw.name_ru) == ("Барысаўскі", "Борисовский")
    for region in regions:
        assert region.name_be and region.name_ru
        for district in region.districts:
            assert district.name_be and district.name_ru, district.name_en


def test_loading_the_default_catalog_twice_changes_nothing(catalog, db):
    before = all_counts(db)
    result = load_default_catalog()
    db.session.commit()
    assert not result.changed
    assert result.counts["criterion"]["unchanged"] == 28
    assert result.counts["district"]["unchanged"] == 127
    assert all_counts(db) == before


def test_reload_updates_texts_but_keeps_what_the_file_leaves_out(catalog, db):
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "ED-01")).scalar_one()
    criterion.active = False  # an admin deactivated it
    db.session.commit()

    data = default_catalog_data()
    item = next(c for c in data["criteria"] if c["code"] == "ED-01")
    item["name_en"] = "Secrecy of the vote"
    result = load_catalog(data)
    db.session.commit()

    assert result.changes == [("criterion", "ED-01", "updated")]
    db.session.refresh(criterion)
    assert criterion.name_en == "Secrecy of the vote"
    assert criterion.active is False


def test_reload_can_move_a_criterion_to_another_stage(catalog, db):
    data = default_catalog_data()
    next(c for c in data["criteria"] if c["code"] == "CAM-06")["stage"] = "campaigning"
    load_catalog(data)
    db.session.commit()
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "CAM-06")).scalar_one()
    assert criterion.stage.code == "campaigning"


# --- invalid input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["criteria"][0].update(stage="voting_day"),
            "criteria item 1 (V-01): unknown stage 'voting_day'",
        ),
        (lambda d: d["criteria"].append(dict(d["criteria"][0])), "duplicate criterion code 'V-01'"),
        (lambda d: d["stages"].append(dict(d["stages"][0])), "duplicate stage code 'voting'"),
        (lambda d: d["criteria"][0].pop("name_en"), "missing English name (name_en)"),
        (
            lambda d: d["regions"][0]["districts"].append({"name_ru": "Юг"}),
            "districts item 2: missing English name (name_en)",
        ),
        (lambda d: d["regions"].append(dict(d["regions"][0])), "duplicate region ISO code"),
        (lambda d: d["stages"][0].update(ends_on="2029-12-31"), "end date (ends_on) is before"),
        (lambda d: d["stages"][0].update(starts_on="1 March"), "must be a date written YYYY-MM-DD"),
        (lambda d: d["criteria"][0].update(nmae_en="typo"), "unknown key 'nmae_en'"),
        (
            lambda d: d["criteria"][0].update(position="first"),
            "position (position) must be a whole",
        ),
        (lambda d: d["campaign"].pop("starts_on"), "missing start date (starts_on)"),
        (lambda d: d.pop("campaign"), "stages and criteria need a campaign"),
        (lambda d: d["criteria"][0].update(code="bad code!"), "is not valid"),
    ],
)
def test_invalid_catalogs_are_refused_and_write_nothing(db, mutate, expected):
    data = small_catalog()
    mutate(data)
    with pytest.raises(CatalogError) as raised:
        load_catalog(data)
    assert expected in str(raised.value)
    db.session.rollback()
    assert set(all_counts(db).values()) == {0}


def test_all_problems_are_listed_at_once(db):
    data = small_catalog()
    data["criteria"][0]["stage"] = "nowhere"
    data["regions"][0]["districts"] = [{"name_en": "North"}, {"name_en": "north"}]
    with pytest.raises(CatalogError) as raised:
        load_catalog(data)
    assert len(raised.value.problems) == 2
    assert "unknown stage 'nowhere'" in str(raised.value)
    assert "duplicate district 'north'" in str(raised.value)


def test_a_file_may_add_criteria_to_an_existing_campaign_by_slug(catalog, db):
    result = load_catalog(
        {
            "campaign": {"slug": "belarus-2024"},
            "criteria": [
                {"code": "ED-06", "stage": "election_day", "name_en": "Accessible stations"}
            ],
        }
    )
    db.session.commit()
    assert result.changes == [("criterion", "ED-06", "created")]
    assert len(queries.criteria_for(catalog)) == 29


def test_a_new_campaign_needs_its_names_and_dates(db):
    with pytest.raises(CatalogError, match=r"missing English name \(name_en\), needed for a new"):
        load_catalog({"campaign": {"slug": "somewhere-2031"}})


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_loads_a_json_file_and_a_second_run_changes_nothing(app, db, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(small_catalog()), encoding="utf-8")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["catalog", "load", str(path)])
    assert first.exit_code == 0, first.output
    assert "criterion: 1 created" in first.output
    assert count(db, Criterion) == 1

    second = runner.invoke(args=["catalog", "load", str(path)])
    assert second.exit_code == 0
    assert "Nothing changed" in second.output


def test_cli_reports_updated_rows(app, db, tmp_path):
    data = small_catalog()
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    runner = app.test_cli_runner()
    runner.invoke(args=["catalog", "load", str(path)])
    data["criteria"][0]["description_en"] = "Voters mark ballots privately."
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["catalog", "load", str(path)])
    assert result.exit_code == 0
    assert "updated criterion V-01" in result.output


def test_cli_loads_yaml(app, db, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(
        """
campaign:
  slug: test-2030
  name_en: Test campaign
  reference_year: 2030
  starts_on: 2030-01-01
  ends_on: 2030-03-31
stages:
  - code: voting
    name_en: Voting
    name_be: Галасаванне
criteria:
  - code: v-01
    stage: voting
    name_en: Secrecy
regions:
  - iso_code: XX-AA
    name_en: Alpha
    districts:
      - name_en: North
""",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["catalog", "load", str(path)])
    assert result.exit_code == 0, result.output
    criterion = db.session.execute(select(Criterion)).scalar_one()
    assert criterion.code == "V-01"
    assert criterion.stage.name_be == "Галасаванне"
    assert db.session.execute(select(Campaign)).scalar_one().starts_on == date(2030, 1, 1)


def test_cli_refuses_an_invalid_yaml_file_with_the_line_and_writes_nothing(app, db, tmp_path):
    path = tmp_path / "catalog.yml"
    path.write_text(
        "campaign:\n  slug: test-2030\n  name_en: T\n  reference_year: 2030\n"
        "  starts_on: 2030-01-01\n  ends_on: 2030-03-31\n"
        "stages:\n  - code: voting\n    name_en: Voting\n"
        "criteria:\n  - code: V-01\n    stage: counting\n    name_en: Secrecy\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["catalog", "load", str(path)])
    assert result.exit_code != 0
    assert "criteria item 1 (V-01), line 11: unknown stage 'counting'" in result.output
    assert set(all_counts(db).values()) == {0}


def test_cli_refuses_broken_json_with_its_line(app, db, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text('{\n  "campaign": {\n    "slug": "x",\n  }\n}\n', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "load", str(path)])
    assert result.exit_code != 0
    assert "line 4" in result.output and "not valid JSON" in result.output
    assert count(db, Campaign) == 0


def test_cli_json_validation_errors_name_the_line(app, db, tmp_path):
    data = small_catalog()
    data["regions"][0]["districts"].append({"name_en": ""})
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "load", str(path)])
    assert result.exit_code != 0
    assert "districts item 2, line" in result.output
    assert count(db, Region) == 0


def test_cli_dry_run_writes_nothing(app, db, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(small_catalog()), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "load", "--dry-run", str(path)])
    assert result.exit_code == 0
    assert "Dry run" in result.output and "criterion: 1 created" in result.output
    assert count(db, Criterion) == 0


def test_cli_refuses_a_file_that_is_not_a_mapping(app, db, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "load", str(path)])
    assert result.exit_code != 0
    assert "must hold a mapping" in result.output


# --- queries ---------------------------------------------------------------------------------


def test_active_campaign_is_the_newest_active_one(catalog, db):
    assert queries.active_campaign().id == catalog.id
    load_catalog(small_catalog())
    db.session.commit()
    assert queries.active_campaign().slug == "test-2030"
    load_catalog({"campaign": {"slug": "test-2030", "active": False}})
    db.session.commit()
    assert queries.active_campaign().slug == "belarus-2024"


def test_criteria_for_leaves_out_inactive_criteria_and_stages(catalog, db):
    by_code = {c.code: c for c in queries.criteria_for(catalog)}
    by_code["ED-01"].active = False
    by_code["CNT-01"].stage.active = False
    db.session.commit()
    active = [c.code for c in queries.criteria_for(catalog)]
    assert "ED-01" not in active
    assert not [code for code in active if code.startswith("CNT-")]
    assert len(active) == 28 - 1 - 3
    assert len(queries.criteria_for(catalog, active_only=False)) == 28
    assert "counting" not in [s.code for s in queries.stages_for(catalog)]
    assert len(queries.stages_for(catalog, active_only=False)) == 8


def test_district_belongs_to_region(catalog, db):
    from observer.catalog.snapshot import catalog_snapshot

    regions = {r.iso_code: r for r in queries.regions_with_districts()}
    pinsk = next(d for d in regions["BY-BR"].districts if d.name_en == "Pinsk")
    snapshot = catalog_snapshot(catalog)
    assert snapshot.district(pinsk.id).parent_id == regions["BY-BR"].id
    assert pinsk.id not in {d.id for d in snapshot.districts_of(regions["BY-HM"].id)}
    assert snapshot.district(999999) is None


# --- admin pages -----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, make_user, login_as):
    admin = make_user("admin")
    return login_as(admin)


def criterion_form(stage_id: int, **overrides) -> dict:
    form = {
        "code": "ED-09",
        "stage_id": str(stage_id),
        "name_en": "Queue management",
        "name_be": "Чэргі",
        "name_ru": "Очереди",
        "description_en": "Queues move.",
        "description_be": "",
        "description_ru": "",
        "references": "CoGP I.3.2",
        "position": "",
        "active": "y",
    }
    form.update(overrides)
    return form


def stage_of(db, code: str) -> Stage:
    return db.session.execute(select(Stage).where(Stage.code == code)).scalar_one()


def test_index_lists_stages_criteria_and_region_count(admin_client, catalog):
    page = admin_client.get("/admin/catalog/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Formation of commissions" in html and "Complaints and appeals" in html
    assert "CAM-05" in html and "No intimidation or persecution" in html
    assert "7 regions, 127 districts" in html


def test_index_without_a_campaign_explains_how_to_load_one(admin_client, db):
    page = admin_client.get("/admin/catalog/")
    assert page.status_code == 200
    assert "flask --app wsgi catalog load FILE" in page.get_data(as_text=True)


def test_regions_page_lists_districts(admin_client, catalog):
    html = admin_client.get("/admin/catalog/regions").get_data(as_text=True)
    assert "Minsk city" in html and "Kastrychnitski" in html


def test_admin_creates_a_criterion(admin_client, catalog, db):
    stage = stage_of(db, "election_day")
    assert admin_client.get("/admin/catalog/criteria/new").status_code == 200
    response = admin_client.post(
        "/admin/catalog/criteria/new", data=criterion_form(stage.id, code="ed-09")
    )
    assert response.status_code == 302
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "ED-09")).scalar_one()
    assert criterion.stage_id == stage.id and criterion.name_be == "Чэргі"
    assert criterion.description_be is None
    assert criterion.position == 7  # after the six seeded election-day criteria
    assert "ED-09" in [c.code for c in queries.criteria_for(catalog)]
    assert db.session.execute(
        select(AuditLog).where(AuditLog.event == "catalog.criterion_created")
    ).scalar_one()


def test_duplicate_criterion_code_is_refused_beside_the_field_and_input_kept(
    admin_client, catalog, db
):
    stage = stage_of(db, "election_day")
    response = admin_client.post(
        "/admin/catalog/criteria/new",
        data=criterion_form(stage.id, code="CAM-05", name_en="My typed name"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already has the code CAM-05" in html
    assert 'id="code-error"' in html
    assert 'value="My typed name"' in html
    assert count(db, Criterion) == 28


def test_criterion_form_errors_keep_input(admin_client, catalog, db):
    stage = stage_of(db, "election_day")
    response = admin_client.post(
        "/admin/catalog/criteria/new",
        data=criterion_form(stage.id, name_en="", references="ICCPR 25", position="abc"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The English name is required." in html
    assert "ICCPR 25" in html and 'value="ED-09"' in html
    bad_stage = admin_client.post("/admin/catalog/criteria/new", data=criterion_form(999999))
    assert bad_stage.status_code == 422
    assert count(db, Criterion) == 28


def test_admin_edits_a_criterion(admin_client, catalog, db):
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "CAM-06")).scalar_one()
    page = admin_client.get(f"/admin/catalog/criteria/{criterion.id}/edit")
    assert page.status_code == 200 and "Universal suffrage/access" in page.get_data(as_text=True)
    campaigning = stage_of(db, "campaigning")
    response = admin_client.post(
        f"/admin/catalog/criteria/{criterion.id}/edit",
        data=criterion_form(
            campaigning.id, code="CAM-06", name_en="Universal suffrage", position="6"
        ),
    )
    assert response.status_code == 302
    db.session.refresh(criterion)
    assert criterion.name_en == "Universal suffrage"
    assert criterion.stage_id == campaigning.id
    # keeping its own code is not a duplicate; taking another's is
    response = admin_client.post(
        f"/admin/catalog/criteria/{criterion.id}/edit",
        data=criterion_form(campaigning.id, code="cam-05"),
    )
    assert response.status_code == 422
    assert "already has the code CAM-05" in response.get_data(as_text=True)


def test_deactivated_criterion_leaves_the_report_form_and_comes_back(admin_client, catalog, db):
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "EV-01")).scalar_one()
    response = admin_client.post(f"/admin/catalog/criteria/{criterion.id}/deactivate")
    assert response.status_code == 302
    assert "EV-01" not in [c.code for c in queries.criteria_for(catalog)]
    html = admin_client.get("/admin/catalog/").get_data(as_text=True)
    assert f"/admin/catalog/criteria/{criterion.id}/reactivate" in html

    admin_client.post(f"/admin/catalog/criteria/{criterion.id}/reactivate")
    assert "EV-01" in [c.code for c in queries.criteria_for(catalog)]


def test_deactivate_needs_post(admin_client, catalog, db):
    criterion = db.session.execute(select(Criterion).where(Criterion.code == "EV-01")).scalar_one()
    assert admin_client.get(f"/admin/catalog/criteria/{criterion.id}/deactivate").status_code == 405
    assert admin_client.post("/admin/catalog/criteria/999999/deactivate").status_code == 404


def test_admin_creates_and_edits_a_stage(admin_client, catalog, db):
    response = admin_client.post(
        "/admin/catalog/stages/new",
        data={
            "code": "Runoff",
            "name_en": "Second round",
            "starts_on": "2024-03-10",
            "ends_on": "2024-03-10",
            "position": "",
            "active": "y",
        },
    )
    assert response.status_code == 302
    stage = stage_of(db, "runoff")
    assert stage.position == 9 and stage.campaign_id == catalog.id

    response = admin_client.post(
        f"/admin/catalog/stages/{stage.id}/edit",
        data={
            "code": "runoff",
            "name_en": "Runoff",
            "name_be": "Другі тур",
            "starts_on": "2024-03-10",
            "ends_on": "2024-03-11",
            "position": "9",
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(stage)
    assert (stage.name_en, stage.name_be, stage.ends_on) == (
        "Runoff",
        "Другі тур",
        date(2024, 3, 11),
    )


def test_stage_end_before_start_is_refused_and_input_kept(admin_client, catalog, db):
    response = admin_client.post(
        "/admin/catalog/stages/new",
        data={
            "code": "runoff",
            "name_en": "Typed stage name",
            "starts_on": "2024-03-10",
            "ends_on": "2024-03-01",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The end date cannot be before the start date." in html
    assert 'value="Typed stage name"' in html and 'value="2024-03-01"' in html
    assert count(db, Stage) == 8


def test_duplicate_stage_code_is_refused(admin_client, catalog, db):
    stage = stage_of(db, "nomination")
    response = admin_client.post(
        f"/admin/catalog/stages/{stage.id}/edit",
        data={
            "code": "registration",
            "name_en": "Nomination",
        },
    )
    assert response.status_code == 422
    assert "already has the code registration" in response.get_data(as_text=True)
    db.session.refresh(stage)
    assert stage.code == "nomination"


def test_deactivating_a_stage_hides_its_criteria(admin_client, catalog, db):
    stage = stage_of(db, "counting")
    assert admin_client.post(f"/admin/catalog/stages/{stage.id}/deactivate").status_code == 302
    assert not [c for c in queries.criteria_for(catalog) if c.code.startswith("CNT")]
    assert admin_client.post(f"/admin/catalog/stages/{stage.id}/reactivate").status_code == 302
    assert len(queries.criteria_for(catalog)) == 28


# --- access ----------------------------------------------------------------------------------


def catalog_urls(app, catalog, db):
    """Every catalog route with real ids filled in: (method, url)."""
    criterion = db.session.execute(select(Criterion).limit(1)).scalar_one()
    stage = db.session.execute(select(Stage).limit(1)).scalar_one()
    ids = {"criterion_id": criterion.id, "stage_id": stage.id}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("catalog."):
            continue
        url = rule.build({k: ids[k] for k in rule.arguments}, append_unknown=False)[1]
        urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(urls) >= 12
    return urls


@pytest.mark.parametrize("role", ["observer", "coordinator"])
def test_observers_and_coordinators_are_refused_every_catalog_page(
    app, client, catalog, db, make_user, login_as, role
):
    login_as(make_user(role))
    for method, url in catalog_urls(app, catalog, db):
        response = client.open(url, method=method)
        assert response.status_code == 403, (role, method, url)
    assert all(c.active for c in queries.criteria_for(catalog, active_only=False))


def test_anonymous_is_sent_to_sign_in(app, client, catalog, db):
    for method, url in catalog_urls(app, catalog, db):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"]


def test_csrf_protects_catalog_forms(make_app, catalog, db, make_user, login_as):
    protected = make_app(WTF_CSRF_ENABLED=True)
    admin = make_user("admin")
    other = protected.test_client()
    login_as(admin, other)
    criterion = db.session.execute(select(Criterion).limit(1)).scalar_one()
    response = other.post(f"/admin/catalog/criteria/{criterion.id}/deactivate")
    assert response.status_code == 400
    db.session.refresh(criterion)
    assert criterion.active


def test_seed_data_file_is_well_formed_json():
    data = default_catalog_data()
    assert data["format"] == "observer-catalog/1"
    assert len(data["criteria"]) == 28
    assert [s["code"] for s in data["stages"]] == STAGE_CODES
