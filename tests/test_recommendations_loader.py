"""`flask recommendations load FILE`: CSV or XLSX, all or nothing, idempotent, every problem
with its row and column, dry run; ratings proposed by the person loading, four eyes after."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from observer.models import FollowUp, JudgmentEvent, Recommendation
from tests.factories_review import people_fixture  # noqa: F401

HEADER = "code,source,year,text_en,text_be,text_ru,criteria,rating,reasoning_en"
GOOD = [
    HEADER,
    'ODIHR-2016-01,"OSCE/ODIHR final report, 2016",2017,Open commission meetings to observers.,'
    "Адкрыць пасяджэнні камісій для назіральнікаў.,Открыть заседания комиссий для "
    "наблюдателей.,COM-02 COM-01,not_implemented,Meetings stayed closed in 2024.",
    "UPR-2020-117,UPR third cycle,2020,End prosecution for political speech.,,,CAM-02,"
    "not_assessed,",
    "HRC-2018-05,Human Rights Committee,2018,Guarantee effective remedies.,,,,,",
]


def write(tmp_path, lines, name="recommendations.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(app, path, *extra):
    return app.test_cli_runner().invoke(args=["recommendations", "load", str(path), *extra])


def count(db, model):
    return db.session.execute(select(func.count(model.id))).scalar_one()


def test_a_good_file_loads_and_loading_it_again_changes_nothing(app, db, people, tmp_path):
    path = write(tmp_path, GOOD)
    result = load(app, path, "--as", people.coordinator.email)
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged" in result.output
    first = db.session.execute(
        select(Recommendation).where(Recommendation.code == "ODIHR-2016-01")
    ).scalar_one()
    assert [c.code for c in first.criteria] == ["COM-01", "COM-02"]
    assert first.text_be.startswith("Адкрыць")
    ratings = {f.recommendation.code: f for f in db.session.execute(select(FollowUp)).scalars()}
    assert set(ratings) == {"ODIHR-2016-01", "UPR-2020-117"}  # the third is not rated yet
    assert ratings["ODIHR-2016-01"].status == "proposed"
    assert ratings["ODIHR-2016-01"].proposed_by_id == people.coordinator.id
    events = count(db, JudgmentEvent)
    assert events == 2

    again = load(app, path, "--as", people.coordinator.email)
    assert again.exit_code == 0 and "0 created, 0 updated, 3 unchanged" in again.output
    assert count(db, JudgmentEvent) == events
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_changing_an_agreed_rating_through_a_file_reopens_it(app, db, people, tmp_path):
    from observer.assessments.service import agree_follow_up

    load(app, write(tmp_path, GOOD), "--as", people.coordinator.email)
    follow_up = db.session.execute(select(FollowUp).order_by(FollowUp.id)).scalars().first()
    agree_follow_up(follow_up, people.second_coordinator, follow_up.version)
    changed = [GOOD[0], GOOD[1].replace("not_implemented", "partially_implemented"), *GOOD[2:]]
    result = load(app, write(tmp_path, changed), "--as", people.admin.email)
    assert result.exit_code == 0 and "1 updated" in result.output, result.output
    db.session.expire_all()
    follow_up = db.session.get(FollowUp, follow_up.id)
    assert follow_up.level.code == "partially_implemented" and follow_up.status == "proposed"
    assert follow_up.proposed_by_id == people.admin.id


def test_every_problem_is_named_and_nothing_is_written(app, db, people, tmp_path):
    lines = [
        HEADER,
        "A-1,Source,2020,Text,,,COM-01 XYZ-99,not_implemented,Reason",  # unknown criterion
        "A-2,Source,2020,Text,,,,brilliant,Reason",  # unknown rating
        "A-3,Source,2020,Text again,,,,,",
        "A-4,Source,2020,Text,,,,implemented,",  # rating without reasoning
        "A-5,Source,twenty,,,,,,",  # bad year, no text
        "a-3,Source,2020,Fine,,,,,",  # duplicate code
    ]
    result = load(app, write(tmp_path, lines), "--as", people.coordinator.email)
    assert result.exit_code != 0
    output = result.output
    assert "nothing written" in output
    assert "Row 2, column criteria: unknown criterion XYZ-99" in output
    assert "Row 3, column rating: “brilliant” is not one of implemented" in output
    assert "Row 7, column code: duplicate: the same record as row 4" in output
    assert "Row 5, column reasoning_en: the rating “implemented” needs its reasoning" in output
    assert "Row 6, column year" in output and "Row 6, column text_en: is required" in output
    assert count(db, Recommendation) == 0 and count(db, FollowUp) == 0


def test_a_missing_column_is_named(app, db, people, tmp_path):
    result = load(app, write(tmp_path, ["code,source,year,text_en", "A,B,2020,C"]))
    assert result.exit_code != 0
    assert (
        "missing column text_be" in result.output and "missing column reasoning_en" in result.output
    )


def test_ratings_need_the_person_who_proposes_them(app, db, people, tmp_path):
    result = load(app, write(tmp_path, GOOD))
    assert result.exit_code != 0 and "--as EMAIL" in result.output
    assert count(db, Recommendation) == 0
    observer = load(app, write(tmp_path, GOOD), "--as", people.observer.email)
    assert observer.exit_code != 0 and "not an active coordinator or admin" in observer.output


def test_dry_run_writes_nothing(app, db, people, tmp_path):
    result = load(app, write(tmp_path, GOOD), "--as", people.coordinator.email, "--dry-run")
    assert result.exit_code == 0 and "Dry run, nothing written" in result.output
    assert "3 to create" in result.output
    assert count(db, Recommendation) == 0


def test_xlsx_loads_like_csv(app, db, people, tmp_path):
    import csv

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO("\n".join(GOOD))):
        sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
    path = tmp_path / "recommendations.xlsx"
    workbook.save(path)
    result = load(app, path, "--as", people.coordinator.email)
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert count(db, FollowUp) == 2
