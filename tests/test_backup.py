"""flask backup / flask restore: a whole-database round trip (evidence bytes and the audit chain
included), across SQLite and PostgreSQL, and clear refusals of anything unsafe."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from observer.backup.archive import MANIFEST, member_name
from observer.demo.generate import generate_reports
from observer.extensions import db as _db
from observer.models import Attachment, Base, Report, ReviewEvent, Status, User
from tests.factories import make_report

# Restoring needs an empty database: no signing key either.
pytestmark = pytest.mark.no_signing_key

EVIDENCE = bytes(range(256)) * 300 + b"\x00\xff end"


def _add_evidence(report: Report) -> None:
    _db.session.add(
        Attachment(
            report_id=report.id,
            original_name="protocol-photo.jpg",
            media_type="image/jpeg",
            size=len(EVIDENCE),
            sha256=hashlib.sha256(EVIDENCE).hexdigest(),
            data=EVIDENCE,
        )
    )
    _db.session.commit()


def _mission(make_user) -> dict:
    """A small mission: real filing and review, evidence, and a block of generated reports."""
    author = make_user()
    coordinator = make_user("coordinator")
    verified = make_report(author, status=Status.VERIFIED, reviewer=coordinator)
    make_report(author, status=Status.NEEDS_INFO, reviewer=coordinator, criterion="ED-01")
    make_report(author, status=Status.DUPLICATE, reviewer=coordinator, duplicate_of=verified)
    make_report(author)  # a draft
    _add_evidence(verified)
    generate_reports(60, seed=9, observers=3)
    return {"reference": verified.reference, "id": verified.id}


def _counts() -> dict[str, int]:
    return {
        table.name: _db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def _empty_everything() -> None:
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def _table_digests(path) -> dict[str, str]:
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    return {entry["name"]: entry["sha256"] for entry in manifest["tables"]}


def _rewrite(source, target, *, members=None, manifest_edit=None) -> None:
    """Copy an archive, replacing some members' bytes and/or editing its manifest."""
    with tarfile.open(source) as src, tarfile.open(target, "w") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if members and info.name in members:
                data = members[info.name]
            if info.name == MANIFEST and manifest_edit:
                manifest = json.loads(data)
                manifest_edit(manifest)
                data = json.dumps(manifest).encode()
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_round_trip_restores_everything(db, catalog, make_user, cli, tmp_path):
    mission = _mission(make_user)
    before = _counts()
    archive = tmp_path / "mission.tar"

    made = cli.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert f"{sum(before.values()):,} rows" in made.output

    _empty_everything()
    restored = cli.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "Review-event chain verified" in restored.output

    assert _counts() == before
    evidence = db.session.execute(select(Attachment)).scalar_one()
    assert evidence.data == EVIDENCE
    assert evidence.report_id == mission["id"]
    report = db.session.get(Report, mission["id"])
    assert report.reference == mission["reference"]
    duplicate = db.session.execute(
        select(Report).where(
            Report.status == Status.DUPLICATE, Report.author_id == report.author_id
        )
    ).scalar_one()
    assert duplicate.duplicate_of_id == report.id
    verified = cli.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "chain intact" in verified.output
    # A second backup is byte-for-byte the same data.
    again = tmp_path / "again.tar"
    assert cli.invoke(args=["backup", str(again)]).exit_code == 0
    assert _table_digests(again) == _table_digests(archive)


def test_the_application_keeps_working_after_a_restore(db, catalog, make_user, cli, tmp_path):
    _mission(make_user)
    archive = tmp_path / "mission.tar"
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    highest = db.session.execute(select(func.max(Report.id))).scalar_one()
    _empty_everything()
    assert cli.invoke(args=["restore", str(archive)]).exit_code == 0

    # New rows get fresh ids (PostgreSQL sequences were moved past the restored ones) and the
    # chain and reference counter carry on.
    author = db.session.execute(
        select(User).where(User.email == "observer1@example.org")
    ).scalar_one()
    report = make_report(author, status=Status.SUBMITTED)
    assert report.id > highest
    assert (
        db.session.execute(
            select(func.count()).where(Report.reference == report.reference)
        ).scalar_one()
        == 1
    )
    assert cli.invoke(args=["audit", "verify"]).exit_code == 0


def test_restore_refuses_a_database_with_data_unless_forced(db, catalog, make_user, cli, tmp_path):
    _mission(make_user)
    archive = tmp_path / "mission.tar"
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    make_report(db.session.execute(select(User).limit(1)).scalar_one())
    after_backup = _counts()

    refused = cli.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "not empty" in refused.output and "--force" in refused.output
    assert _counts() == after_backup

    forced = cli.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert _counts()["reports"] == after_backup["reports"] - 1


def test_a_damaged_archive_is_refused_and_nothing_changes(db, catalog, make_user, cli, tmp_path):
    _mission(make_user)
    archive = tmp_path / "mission.tar"
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    _empty_everything()

    with tarfile.open(archive) as tar:
        original = tar.extractfile(member_name("reports")).read()
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0xFF
    flipped = tmp_path / "flipped.tar"
    _rewrite(archive, flipped, members={member_name("reports"): bytes(damaged)})
    result = cli.invoke(args=["restore", str(flipped)])
    assert result.exit_code == 1
    assert "tables/reports.jsonl.gz is damaged" in result.output
    assert "Nothing was restored" in result.output

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:4000])
    result = cli.invoke(args=["restore", str(truncated)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output

    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("hello")
    result = cli.invoke(args=["restore", str(not_an_archive)])
    assert result.exit_code == 1
    assert "not an Observer backup archive" in result.output

    assert sum(_counts().values()) == 0


def test_restore_checks_the_schema_revision_and_format(db, catalog, cli, tmp_path):
    archive = tmp_path / "catalog.tar"
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    _empty_everything()

    older = tmp_path / "older.tar"
    _rewrite(archive, older, manifest_edit=lambda m: m.update(alembic_revision="0000aaaa0000"))
    result = cli.invoke(args=["restore", str(older)])
    assert result.exit_code == 1
    assert "schema revision 0000aaaa0000" in result.output

    alien = tmp_path / "alien.tar"
    _rewrite(archive, alien, manifest_edit=lambda m: m.update(format="someone-else/3"))
    result = cli.invoke(args=["restore", str(alien)])
    assert result.exit_code == 1
    assert "Unknown archive format" in result.output
    assert sum(_counts().values()) == 0


def test_a_failing_restore_rolls_back_completely(db, catalog, make_user, cli, tmp_path):
    """Rows breaking a constraint half-way leave the target exactly as it was (one transaction)."""
    _mission(make_user)
    archive = tmp_path / "mission.tar"
    assert cli.invoke(args=["backup", str(archive)]).exit_code == 0
    _empty_everything()

    no_users = gzip.compress(b"", mtime=0)

    def drop_users(manifest):
        for entry in manifest["tables"]:
            if entry["name"] == "users":
                entry.update(rows=0, sha256=hashlib.sha256(no_users).hexdigest())

    broken = tmp_path / "broken.tar"
    _rewrite(archive, broken, members={member_name("users"): no_users}, manifest_edit=drop_users)
    result = cli.invoke(args=["restore", str(broken)])
    assert result.exit_code == 1
    assert "rolled back" in result.output
    assert sum(_counts().values()) == 0


@pytest.mark.parametrize("direction", ["sqlite_to_here", "here_to_sqlite"])
def test_backup_from_one_database_restores_into_another(
    app, db, make_app, make_user, cli, tmp_path, direction
):
    """SQLite ↔ the suite's database (PostgreSQL on the PostgreSQL run)."""
    other = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.app_context():
        upgrade(revision="heads")
    source, target = (other, app) if direction == "sqlite_to_here" else (app, other)

    with source.app_context():
        from observer.catalog.seed import load_default_catalog

        load_default_catalog()
        _db.session.commit()
        _mission(make_user)
        assert (
            source.test_cli_runner().invoke(args=["backup", str(tmp_path / "a.tar")]).exit_code == 0
        )
        expected = _counts()
        events = _db.session.execute(select(func.count(ReviewEvent.id))).scalar_one()

    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "a.tar")])
        assert restored.exit_code == 0, restored.output
        assert _counts() == expected
        assert _db.session.execute(select(Attachment.data)).scalar_one() == EVIDENCE
        verified = target.test_cli_runner().invoke(args=["audit", "verify"])
        assert f"OK: {events} review events" in verified.output
        assert (
            target.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.tar")]).exit_code == 0
        )
    assert _table_digests(tmp_path / "b.tar") == _table_digests(tmp_path / "a.tar")
    with other.app_context():
        _db.engine.dispose()
