"""Whole-database backup and restore, portable between SQLite and PostgreSQL.

Backup reads every table of the schema inside one read transaction (a consistent snapshot) and
writes the archive described in `archive.py` next to its destination, renaming it into place
only when complete. Restore checks the archive and the database's schema revision first, then
inserts everything in one transaction with the original ids, so the review-event chain, report
references and evidence bytes come back exactly; PostgreSQL sequences are moved past the ids."""

from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine

from observer.backup import archive
from observer.backup.archive import ArchiveError, ArchiveReader
from observer.backup.bulk import BulkWriter
from observer.models import Base, utcnow

BATCH = 2000


class RestoreRefused(ArchiveError):
    """The database or the archive is not fit for this restore; nothing was changed."""


@dataclass
class Outcome:
    revision: str
    tables: dict[str, int] = field(default_factory=dict)
    size: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def schema_tables():
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    revisions = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return ",".join(revisions) or None


def backup_database(engine: Engine, path: str) -> Outcome:
    directory = os.path.dirname(os.path.abspath(path))
    partial = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
        dir=directory, prefix=".backup-", suffix=".partial", delete=False
    )
    try:
        with partial, engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            outcome = _write_archive(conn, partial)
        os.replace(partial.name, path)
    except BaseException:
        os.unlink(partial.name)
        raise
    outcome.size = os.path.getsize(path)
    return outcome


def _write_archive(conn: Connection, destination) -> Outcome:
    revision = current_revision(conn)
    if revision is None:
        raise ArchiveError(
            "The database has no schema yet (run flask db upgrade): nothing to back up."
        )
    outcome = Outcome(revision=revision)
    entries = []
    with tarfile.open(fileobj=destination, mode="w:") as tar:
        for table in schema_tables():
            kinds = [archive.column_kind(column) for column in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            with tempfile.TemporaryFile() as spool:
                writer = archive.TableFile(spool)
                result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                    select(table).order_by(*order)
                )
                for row in result:
                    writer.add([archive.encode(v, k) for v, k in zip(row, kinds, strict=True)])
                rows, digest, size = writer.close()
                archive.add_member(tar, archive.member_name(table.name), spool, size)
            entries.append(
                {
                    "name": table.name,
                    "columns": [column.name for column in table.columns],
                    "rows": rows,
                    "sha256": digest,
                }
            )
            outcome.tables[table.name] = rows
        archive.add_manifest(
            tar,
            {
                "format": archive.FORMAT,
                "created_at": utcnow().isoformat(),
                "alembic_revision": revision,
                "source_dialect": conn.dialect.name,
                "tables": entries,
            },
        )
    return outcome


def restore_database(engine: Engine, path: str, *, force: bool = False) -> Outcome:
    """Replace the database's contents with the archive's, all or nothing."""
    with ArchiveReader(path) as reader:
        reader.check()
        with engine.begin() as conn:
            revision = _check_target(conn, reader, force)
            if force:
                for table in reversed(schema_tables()):
                    conn.execute(table.delete())
            outcome = Outcome(revision=revision)
            writer = BulkWriter(conn)
            for table in schema_tables():
                outcome.tables[table.name] = _restore_table(conn, writer, reader, table)
            writer.settle_sequences(schema_tables())
    outcome.size = os.path.getsize(path)
    return outcome


def _check_target(conn: Connection, reader: ArchiveReader, force: bool) -> str:
    revision = current_revision(conn)
    wanted = reader.manifest.get("alembic_revision")
    if revision is None:
        raise RestoreRefused(
            "The database has no schema: run `flask db upgrade` to revision "
            f"{wanted} first, then restore."
        )
    if revision != wanted:
        raise RestoreRefused(
            f"The archive was made at schema revision {wanted} but the database is at "
            f"{revision}: migrate the database to {wanted} (flask db upgrade {wanted} or "
            "downgrade), restore, then upgrade."
        )
    listed = {entry["name"]: entry["columns"] for entry in reader.tables}
    for table in schema_tables():
        columns = [column.name for column in table.columns]
        if listed.get(table.name) != columns:
            raise RestoreRefused(
                f"The archive's table {table.name} does not match this schema's columns."
            )
    if not force:
        filled = [t.name for t in schema_tables() if _has_rows(conn, t)]
        if filled:
            raise RestoreRefused(
                "The database is not empty (" + ", ".join(filled[:5]) + "): restoring would "
                "mix two databases. Restore into an empty database, or pass --force to replace "
                "everything in it."
            )
    return revision


def _has_rows(conn: Connection, table) -> bool:
    return (
        conn.execute(
            select(func.count()).select_from(select(table).limit(1).subquery())
        ).scalar_one()
        > 0
    )


def _restore_table(conn: Connection, writer: BulkWriter, reader: ArchiveReader, table) -> int:
    """Insert one table's rows. A column referring to its own table (a report's duplicate_of)
    is filled in afterwards, since the row it names may come later in the file; that UPDATE
    also puts back columns with an on-update default (updated_at) that it would overwrite."""
    kinds = [archive.column_kind(column) for column in table.columns]
    columns = [column.name for column in table.columns]
    self_refs = [
        i
        for i, c in enumerate(table.columns)
        if any(fk.column.table is table for fk in c.foreign_keys)
    ]
    kept = self_refs + [i for i, c in enumerate(table.columns) if c.onupdate is not None]
    id_at = columns.index("id") if self_refs else 0
    late: list[dict] = []
    batch: list[tuple] = []
    count = 0
    for values in reader.rows(table.name):
        row = [archive.decode(v, k) for v, k in zip(values, kinds, strict=True)]
        if any(row[i] is not None for i in self_refs):
            late.append({"row_id": row[id_at], **{f"v_{columns[i]}": row[i] for i in kept}})
            for i in self_refs:
                row[i] = None
        batch.append(tuple(row))
        count += 1
        if len(batch) >= BATCH:
            writer.write(table, batch)
            batch = []
    writer.write(table, batch)
    if late:
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({columns[i]: bindparam(f"v_{columns[i]}") for i in kept}),
            late,
        )
    return count
