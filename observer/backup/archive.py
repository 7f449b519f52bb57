"""The backup archive format, independent of any database: an uncompressed tar holding
`manifest.json` and one gzip'd JSON-lines file per table (`tables/<name>.jsonl.gz`).

Each line is a JSON array of a row's values in the manifest's column order. Values that JSON
cannot carry are written as text: dates, times and UTC datetimes in ISO 8601, bytes in base64,
exact decimals as their digits.
The manifest names the schema revision and, per table, its columns, row count and the SHA-256
of its file, so a restore can refuse a damaged or mismatched archive before touching anything."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

from sqlalchemy import JSON, Date, DateTime, LargeBinary, Numeric, Time
from sqlalchemy.types import TypeDecorator

FORMAT = "observer-backup/1"
MANIFEST = "manifest.json"


class ArchiveError(ValueError):
    """The archive cannot be used; the message says why, for the operator."""


def column_kind(column) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for cls, name in (
        (LargeBinary, "bytes"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Time, "time"),
        (JSON, "json"),
    ):
        if isinstance(kind, cls):
            return name
    if isinstance(kind, Numeric) and kind.asdecimal:
        return "decimal"  # official figures: 24.44 must come back as 24.44, not a float
    return "plain"


def encode(value: Any, kind: str) -> Any:
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "decimal":
        return str(value)
    return value.isoformat()


DECODERS = {
    "bytes": base64.b64decode,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "decimal": Decimal,
}


def decode(value: Any, kind: str) -> Any:
    if value is None or kind in ("plain", "json"):
        return value
    return DECODERS[kind](value)


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl.gz"


class TableFile:
    """Writes one table's rows as gzip'd JSON lines into a spooled buffer, counting and hashing."""

    def __init__(self, spool: BinaryIO):
        self.spool = spool
        self.gzip = gzip.GzipFile(fileobj=spool, mode="wb", mtime=0, compresslevel=6)
        self.rows = 0

    def add(self, values: list) -> None:
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        self.gzip.write(line.encode("utf-8") + b"\n")
        self.rows += 1

    def close(self) -> tuple[int, str, int]:
        """(rows, sha256 of the compressed bytes, size)."""
        self.gzip.close()
        self.spool.seek(0)
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: self.spool.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
        self.spool.seek(0)
        return self.rows, digest.hexdigest(), size


def add_member(tar: tarfile.TarFile, name: str, fileobj: BinaryIO, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    tar.addfile(info, fileobj)


def add_manifest(tar: tarfile.TarFile, manifest: dict) -> None:
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    add_member(tar, MANIFEST, io.BytesIO(data), len(data))


class ArchiveReader:
    """Reads and checks an archive. Every check that needs no database happens in `check()`."""

    def __init__(self, path: str):
        try:
            self.tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed by close()
        except (tarfile.TarError, OSError) as error:
            raise ArchiveError(f"{path} is not an Observer backup archive ({error}).") from error
        try:
            self.manifest = self._read_manifest()
        except ArchiveError:
            self.tar.close()
            raise

    def close(self) -> None:
        self.tar.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _member(self, name: str) -> BinaryIO:
        try:
            handle = self.tar.extractfile(name)
        except (KeyError, tarfile.TarError) as error:
            raise ArchiveError(f"The archive has no {name}: it is incomplete.") from error
        if handle is None:
            raise ArchiveError(f"{name} in the archive is not a file.")
        return handle

    def _read_manifest(self) -> dict:
        try:
            manifest = json.loads(self._member(MANIFEST).read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ArchiveError("The archive's manifest is not valid JSON.") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(
                f"Unknown archive format {manifest.get('format')!r}; expected {FORMAT!r}."
                if isinstance(manifest, dict)
                else "The archive's manifest is not an object."
            )
        tables = manifest.get("tables")
        if not isinstance(tables, list) or not all(
            isinstance(t, dict) and {"name", "columns", "rows", "sha256"} <= t.keys()
            for t in tables
        ):
            raise ArchiveError("The archive's manifest does not list its tables properly.")
        return manifest

    @property
    def tables(self) -> list[dict]:
        return self.manifest["tables"]

    def check(self) -> None:
        """Every table file is present, matches its SHA-256 and holds the stated row count."""
        for entry in self.tables:
            name = member_name(entry["name"])
            digest = hashlib.sha256()
            handle = self._member(name)
            for chunk in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise ArchiveError(
                    f"{name} is damaged: its SHA-256 does not match the manifest. "
                    "Nothing was restored."
                )
            rows = sum(1 for _ in self._lines(name))
            if rows != entry["rows"]:
                raise ArchiveError(
                    f"{name} holds {rows} rows but the manifest says {entry['rows']}. "
                    "Nothing was restored."
                )

    def _lines(self, name: str) -> Iterator[bytes]:
        try:
            with gzip.GzipFile(fileobj=self._member(name), mode="rb") as handle:
                yield from handle
        except (OSError, EOFError) as error:
            raise ArchiveError(f"{name} is damaged: {error}.") from error

    def rows(self, table: str) -> Iterator[list]:
        for line in self._lines(member_name(table)):
            yield json.loads(line)
