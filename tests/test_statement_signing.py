"""Anyone can check a statement came from the mission: the signing key (flask keys init), a
detached minisign signature for every published PDF and data file, checked here by the real
`minisign -V` and by `flask statements verify`; open data beside each statement."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest

from observer.extensions import db
from observer.models import SigningKey, Statement, StatementStatus
from observer.statements import keys, service
from observer.statements.opendata import CSV_COLUMNS
from tests.factories_statements import make_reports, make_statement, publish_statement

MINISIGN = shutil.which("minisign")
FILES = ("statement.pdf", "figures.json", "figures.csv")


@pytest.fixture
def published(catalog, make_user):
    coordinator = make_user("coordinator")
    make_reports(make_user("observer"), coordinator)
    statement = make_statement(coordinator, catalog, language="en")
    return publish_statement(statement, coordinator), coordinator


def download(client, statement, name):
    if name == "statement.pdf":
        return client.get(f"/statements/{statement.slug}.pdf").data
    response = client.get(f"/statements/{statement.slug}/{name}")
    assert response.status_code == 200, name
    return response.data


@pytest.mark.skipif(MINISIGN is None, reason="minisign is installed by make system-test-deps")
def test_real_minisign_accepts_every_published_file(client, published, tmp_path):
    statement, _ = published
    key_file = tmp_path / "mission.pub"
    key_file.write_bytes(client.get("/mission-signing-key.pub").data)
    fingerprint = keys.public_key().fingerprint
    assert fingerprint in client.get("/").get_data(as_text=True)
    for name in FILES:
        target = tmp_path / name
        target.write_bytes(download(client, statement, name))
        signature = tmp_path / f"{name}.minisig"
        signature.write_bytes(download(client, statement, f"{name}.minisig"))
        for key_args in (["-p", str(key_file)], ["-P", fingerprint]):
            result = subprocess.run(
                [MINISIGN, "-V", "-m", str(target), "-x", str(signature), *key_args],
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, result.stderr
            assert f"{statement.slug}/{name} published" in result.stdout
    # Another file with this signature is refused by minisign.
    other = tmp_path / "other.pdf"
    other.write_bytes(download(client, statement, "statement.pdf") + b"\n")
    result = subprocess.run(
        [
            MINISIGN,
            "-V",
            "-m",
            str(other),
            "-x",
            str(tmp_path / "statement.pdf.minisig"),
            "-p",
            str(key_file),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def test_flask_statements_verify(app, client, published, tmp_path):
    statement, _ = published
    pdf, sig = tmp_path / "s.pdf", tmp_path / "s.pdf.minisig"
    pdf.write_bytes(download(client, statement, "statement.pdf"))
    sig.write_bytes(download(client, statement, "statement.pdf.minisig"))
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["statements", "verify", str(pdf), str(sig)])
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output and statement.slug in ok.output
    data = tmp_path / "figures.csv"
    data.write_bytes(download(client, statement, "figures.csv"))
    wrong = runner.invoke(args=["statements", "verify", str(data), str(sig)])
    assert wrong.exit_code == 1
    assert "NOT VERIFIED: the signature does not match this file" in wrong.output
    garbage = tmp_path / "garbage.minisig"
    garbage.write_text("not a signature")
    bad = runner.invoke(args=["statements", "verify", str(pdf), str(garbage)])
    assert bad.exit_code == 1 and "not a minisign signature" in bad.output
    # Verifying with the public key file only (a reader without the database).
    pub = tmp_path / "mission.pub"
    pub.write_bytes(client.get("/mission-signing-key.pub").data)
    ok = runner.invoke(args=["statements", "verify", str(pdf), str(sig), "--public-key", str(pub)])
    assert ok.exit_code == 0, ok.output


def test_keys_init_keeps_the_private_key_out_of_the_database(make_app, db, tmp_path):
    path = tmp_path / "new" / "mission.key"
    other = make_app(SIGNING_KEY_PATH=str(path))
    runner = other.test_cli_runner()
    with other.app_context():  # the CLI uses the app whose context is active
        result = runner.invoke(args=["keys", "init"])
        again = runner.invoke(args=["keys", "init"])
    assert result.exit_code == 0, result.output
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert b"PRIVATE KEY" in path.read_bytes()
    db.session.expire_all()
    rows = db.session.execute(db.select(SigningKey).order_by(SigningKey.id)).scalars().all()
    assert rows[0].retired_at is not None  # the earlier key is retired, not deleted
    assert "PRIVATE" not in rows[-1].public_key and rows[-1].retired_at is None
    assert rows[-1].key_id in path.read_text()
    assert keys.public_key().fingerprint in result.output
    assert again.exit_code == 1 and "already exists" in again.output


def test_without_a_key_nothing_is_published(catalog, make_user):
    coordinator = make_user("coordinator")
    statement = make_statement(coordinator, catalog, language="en")
    db.session.execute(db.delete(SigningKey))
    db.session.commit()
    with pytest.raises(service.StatementError, match="keys init"):
        service.publish(statement, coordinator)
    db.session.rollback()
    assert db.session.get(Statement, statement.id).status == StatementStatus.DRAFT


def test_withdrawal_and_correction_are_signed(client, published, tmp_path):
    statement, coordinator = published
    service.withdraw(statement, coordinator, "A figure was wrong.")
    db.session.commit()
    notice = download(client, statement, "withdrawal.json")
    assert json.loads(notice)["reason"] == "A figure was wrong."
    signature = download(client, statement, "withdrawal.json.minisig")
    from observer.statements import signing

    verified = signing.verify(notice, signature, keys.public_key())
    assert statement.slug in verified.trusted_comment
    correction = service.start_correction(statement, coordinator)
    db.session.commit()
    publish_statement(correction, coordinator)
    sig = download(client, correction, "statement.pdf.minisig")
    verified = signing.verify(download(client, correction, "statement.pdf"), sig, keys.public_key())
    assert f"corrects {statement.slug}" in verified.trusted_comment
    assert "withdrawal.json" in client.get(f"/statements/{statement.slug}").get_data(as_text=True)


def test_open_data_has_stable_columns_and_is_in_the_feed(client, published):
    statement, _ = published
    text = download(client, statement, "figures.csv").decode()
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    rows = list(reader)
    total = next(r for r in rows if r["figure"] == "incidents.by_region" and r["key"] == "total")
    assert int(total["value"]) == statement.snapshot["statistics"]["total"]
    document = json.loads(download(client, statement, "figures.json"))
    assert document["format"] == "observer-statement-figures/1"
    assert document["statement"]["pdf_sha256"] == statement.pdf_sha256
    by_region = next(f for f in document["figures"] if f["figure"] == "incidents.by_region")
    assert set(by_region["rows"][0]["label"]) == {"en", "be", "ru"}
    feed = client.get("/statements.atom").get_data(as_text=True)
    assert f"/statements/{statement.slug}/figures.csv" in feed
    assert f"/statements/{statement.slug}/figures.json" in feed
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "minisign -Vm" in page and statement.pdf_sha256 in page
    assert client.get(f"/statements/{statement.slug}/secrets.txt").status_code == 404
    assert client.get("/statements/no-such/figures.csv").status_code == 404


def test_anyone_checks_a_file_on_the_site(client, published):
    statement, _ = published
    pdf = download(client, statement, "statement.pdf")
    signature = download(client, statement, "statement.pdf.minisig")
    ok = client.post(
        "/signing-key",
        data={
            "file": (io.BytesIO(pdf), "s.pdf"),
            "signature": (io.BytesIO(signature), "s.minisig"),
        },
        content_type="multipart/form-data",
    )
    assert ok.status_code == 200
    assert "Verified: this file is exactly what the mission signed." in ok.get_data(as_text=True)
    csv_bytes = download(client, statement, "figures.csv")
    wrong = client.post(
        "/signing-key",
        data={
            "file": (io.BytesIO(csv_bytes), "f.csv"),
            "signature": (io.BytesIO(signature), "s.minisig"),
        },
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422
    assert "the signature does not match this file" in wrong.get_data(as_text=True)
    empty = client.post("/signing-key", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "Choose the file and its signature." in empty.get_data(as_text=True)
    garbage = client.post(
        "/signing-key",
        data={"file": (io.BytesIO(pdf), "s.pdf"), "signature": (io.BytesIO(b"\xff\x00"), "x")},
        content_type="multipart/form-data",
    )
    assert garbage.status_code == 422
    assert "not a minisign signature" in garbage.get_data(as_text=True)
