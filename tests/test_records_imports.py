"""flask organisations|commissions|candidates|figures load: good files, reloads, bad input."""

from __future__ import annotations

from sqlalchemy import func, select

from observer.models import (
    Candidate,
    Commission,
    CommissionMember,
    OfficialFigure,
    Organisation,
    RefusalReason,
)

ORGANISATIONS = (
    "name_en,name_be,name_ru,kind,alignment\n"
    "Belaya Rus,Белая Русь,Белая Русь,public_association,pro_government\n"
    "Communist Party of Belarus,Камуністычная партыя,Коммунистическая партия,party,pro_government\n"
    "Minsk Tractor Works,МТЗ,МТЗ,labour_collective,pro_government\n"
    "Independent group,,,voters,independent\n"
)
COMMISSIONS = (
    "level,commission,region,district,member,nominated_by,route,outcome\n"
    "dec,95,BY-HM,,Ivan Ivanov,Belaya Rus,public_association,appointed\n"
    "dec,95,BY-HM,,Olga Petrova,Communist Party of Belarus,party,not_appointed\n"
    "tec,Barysaw,BY-MI,,Pavel Sidorov,Minsk Tractor Works,labour_collective,appointed\n"
    "tec,Barysaw,BY-MI,Barysaw,Anna Kuz,,voters,appointed\n"
)
CANDIDATES = (
    "election,constituency,region,candidate,gender,nominated_by,route,outcome,reason,decided_on\n"
    "house,95,BY-HM,Maria K,f,Belaya Rus,public_association,registered,,2024-01-25\n"
    "house,95,BY-HM,Petr L,m,Communist Party of Belarus,party,refused,"
    "Invalid signatures,2024-01-26\n"
    "house,96,BY-HM,Olga M,f,,voters,elected,,2024-02-26\n"
)
FIGURES = (
    "metric,region,as_of,value,unit,source_url,retrieved_at\n"
    "early_turnout,,2024-02-22T18:00,24.44,percent,https://www.belta.by/a,2024-02-22T19:00\n"
    'early_turnout,BY-HO,2024-02-22T18:00,"30,68",%,https://www.belta.by/a,\n'
    "turnout,,2024-02-25T14:00,59.17,percent,https://www.belta.by/b,\n"
)


def load(app, tmp_path, group, text, *extra, name="file.csv", data=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=[group, "load", str(path), *extra])


def count(db, model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def load_all(app, tmp_path):
    for group, text in (
        ("organisations", ORGANISATIONS),
        ("commissions", COMMISSIONS),
        ("candidates", CANDIDATES),
        ("figures", FIGURES),
    ):
        result = load(app, tmp_path, group, text)
        assert result.exit_code == 0, result.output


def test_each_kind_loads_and_a_second_load_changes_nothing(app, catalog, db, tmp_path):
    load_all(app, tmp_path)
    assert count(db, Organisation) == 4
    assert count(db, Commission) == 2 and count(db, CommissionMember) == 4
    assert count(db, Candidate) == 3 and count(db, OfficialFigure) == 3
    refused = db.session.execute(select(Candidate).where(Candidate.name == "Petr L")).scalar_one()
    assert refused.status == "refused" and refused.refusal_reason.name_en == "Invalid signatures"
    gomel = db.session.execute(
        select(OfficialFigure).where(OfficialFigure.region_id.is_not(None))
    ).scalar_one()
    assert str(gomel.value).startswith("30.68") and gomel.unit == "percent"
    for group, text in (("organisations", ORGANISATIONS), ("candidates", CANDIDATES)):
        again = load(app, tmp_path, group, text)
        assert "0 created, 0 updated" in again.output, again.output
    assert count(db, RefusalReason) == 1


def test_a_later_outcome_updates_the_candidate_and_keeps_earlier_dates(app, catalog, db, tmp_path):
    load_all(app, tmp_path)
    later = (
        CANDIDATES.splitlines()[0]
        + "\nhouse,95,BY-HM,Maria K,f,Belaya Rus,public_association,elected,,2024-02-26\n"
    )
    result = load(app, tmp_path, "candidates", later)
    assert "0 created, 1 updated" in result.output and "status" in result.output
    maria = db.session.execute(select(Candidate).where(Candidate.name == "Maria K")).scalar_one()
    assert maria.status == "elected" and str(maria.registered_on) == "2024-01-25"
    assert str(maria.elected_on) == "2024-02-26"


def test_dry_run_writes_nothing(app, catalog, db, tmp_path):
    result = load(app, tmp_path, "organisations", ORGANISATIONS, "--dry-run")
    assert result.exit_code == 0 and "Dry run, nothing written" in result.output
    assert "4 to create" in result.output
    assert count(db, Organisation) == 0


def problems_of(result) -> str:
    assert result.exit_code != 0
    assert "nothing written" in result.output
    return result.output


def test_bad_nominee_files_are_reported_by_row_and_column(app, catalog, db, tmp_path):
    load(app, tmp_path, "organisations", ORGANISATIONS)
    bad = (
        "level,commission,region,district,member,nominated_by,route,outcome\n"
        "dec,95,BY-HM,,Ivan Ivanov,Belaya Rus,public_association,appointed\n"
        "xec,95,BY-HM,,A,Belaya Rus,public_association,appointed\n"
        "dec,95,BY-ZZ,,B,Belaya Rus,public_association,appointed\n"
        "dec,95,BY-HM,,C,Nobody's Party,party,appointed\n"
        "dec,95,BY-HM,,ivan ivanov,Belaya Rus,public_association,appointed\n"
        "dec,95,BY-HM,,D,Belaya Rus,public_association,maybe\n"
        "tec,Atlantis,BY-MI,Atlantis,E,Belaya Rus,public_association,appointed\n"
    )
    output = problems_of(load(app, tmp_path, "commissions", bad))
    assert "Row 3, column level: “xec” is not one of cec, regional, dec, tec, pec" in output
    assert "Row 4, column region: unknown region “BY-ZZ”" in output
    assert "Row 5, column nominated_by: unknown organisation “Nobody's Party”" in output
    assert "Row 6, column member: duplicate: the same record as row 2" in output
    assert "Row 7, column outcome: “maybe” is not one of appointed, not_appointed" in output
    assert "Row 8, column district: unknown district “Atlantis”" in output
    assert count(db, CommissionMember) == 0 and count(db, Commission) == 0


def test_bad_candidates_and_figures_are_reported_and_nothing_is_written(app, catalog, db, tmp_path):
    load(app, tmp_path, "organisations", ORGANISATIONS)
    header = CANDIDATES.splitlines()[0]
    bad = (
        f"{header}\n"
        "house,95,BY-HM,Maria K,f,Belaya Rus,public_association,accepted,,2024-01-25\n"
        "house,95,BY-HM,Petr L,m,Belaya Rus,public_association,refused,,2024-01-26\n"
        "house,96,BY-HM,Olga M,f,Belaya Rus,public_association,registered,,2019-05-01\n"
        "senate,96,BY-HM,Ann N,x,Belaya Rus,public_association,registered,,2024-01-26\n"
    )
    output = problems_of(load(app, tmp_path, "candidates", bad))
    assert "Row 2, column outcome: “accepted” is not one of nominated" in output
    assert "Row 3, column reason: is required when the outcome is refused" in output
    assert "Row 4, column decided_on: is outside the campaign (2023-11-20 to 2024-03-31)" in output
    assert "Row 5, column election" in output and "Row 5, column gender" in output
    figures = (
        "metric,region,as_of,value,unit,source_url,retrieved_at\n"
        "turnout,,2024-02-25T14:00,101.5,percent,https://www.belta.by/b,\n"
        "turnout,,2025-02-25T14:00,50,percent,https://www.belta.by/b,\n"
        "turnout,,yesterday,50,percent,https://www.belta.by/b,\n"
        "votes,,2024-02-25T14:00,50,percent,https://www.belta.by/b,\n"
    )
    output = problems_of(load(app, tmp_path, "figures", figures))
    assert "Row 2, column value: a percentage cannot be over 100" in output
    assert "Row 3, column as_of: is outside the campaign" in output
    assert "Row 4, column as_of: “yesterday” is not a date and time" in output
    assert "Row 5, column metric: “votes” is not one of turnout, early_turnout" in output
    assert count(db, Candidate) == 0 and count(db, OfficialFigure) == 0


def test_wrong_encoding_and_missing_column_are_reported(app, catalog, db, tmp_path):
    data = ORGANISATIONS.encode("cp1251")
    output = problems_of(load(app, tmp_path, "organisations", "", data=data))
    assert "File: The file is not UTF-8 text" in output
    no_alignment = "name_en,name_be,name_ru,kind\nBelaya Rus,,,public_association\n"
    output = problems_of(load(app, tmp_path, "organisations", no_alignment))
    assert "Row 1, column alignment: missing column alignment" in output
    assert count(db, Organisation) == 0
