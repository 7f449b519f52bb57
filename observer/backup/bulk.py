"""Fast row writing shared by backup restore and synthetic data generation: COPY on PostgreSQL,
Core executemany elsewhere, and the sequence bookkeeping that explicit ids need."""

from __future__ import annotations

import json

from sqlalchemy import JSON, bindparam, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import Table


def id_tables(tables) -> list[Table]:
    """Tables whose primary key is a single integer `id` (those have a sequence on PostgreSQL)."""
    return [t for t in tables if [c.name for c in t.primary_key.columns] == ["id"]]


class BulkWriter:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self._statements: dict[str, object] = {}

    def write(self, table: Table, rows: list[tuple]) -> None:
        """Insert rows given as tuples in the table's column order."""
        if not rows:
            return
        columns = [column.name for column in table.columns]
        if self.postgres:
            self._copy(table, columns, rows)
        else:
            self.conn.execute(
                self._insert(table), [dict(zip(columns, row, strict=True)) for row in rows]
            )

    def _insert(self, table: Table):
        """INSERT in which a JSON column's None is SQL NULL (as COPY and the ORM write it),
        not the JSON text 'null'."""
        if table.name not in self._statements:
            json_columns = {
                c.name: bindparam(c.name, type_=JSON(none_as_null=True))
                for c in table.columns
                if isinstance(c.type, JSON)
            }
            statement = table.insert()
            self._statements[table.name] = (
                statement.values(json_columns) if json_columns else statement
            )
        return self._statements[table.name]

    def _copy(self, table: Table, columns: list[str], rows: list[tuple]) -> None:
        json_at = [i for i, column in enumerate(table.columns) if isinstance(column.type, JSON)]
        quote = self.conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(name) for name in columns)
        statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            with cursor.copy(statement) as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = None if row[i] is None else json.dumps(row[i])
                    copy.write_row(row)
        except self.conn.dialect.loaded_dbapi.Error as error:
            # Raised by the driver itself: wrap it as SQLAlchemy would, for uniform handling.
            raise DBAPIError(statement, None, error) from error

    def reserve_ids(self, table: Table, count: int) -> int:
        """First id of a block of `count` ids that the application will not hand out."""
        top = self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        if not self.postgres:
            return top + 1  # SQLite gives max(rowid) + 1 to the next insert
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        following = self.conn.execute(text(f"SELECT nextval({sequence})")).scalar_one()
        first = max(following, top + 1)
        self.conn.execute(text(f"SELECT setval({sequence}, :last)"), {"last": first + count})
        return first

    def settle_sequences(self, tables) -> None:
        """Point each PostgreSQL sequence just past the highest id in use (after explicit ids)."""
        if not self.postgres:
            return
        for table in id_tables(tables):
            sequence = self.conn.execute(
                text("SELECT pg_get_serial_sequence(:name, 'id')"), {"name": table.name}
            ).scalar_one()
            if sequence is None:
                continue
            # Table names come from our own metadata, never from input.
            top = f"(SELECT MAX(id) FROM {table.name})"  # noqa: S608
            self.conn.execute(
                text(f"SELECT setval(:sequence, COALESCE({top}, 1), {top} IS NOT NULL)"),
                {"sequence": sequence},
            )
