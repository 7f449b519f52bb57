"""Reading an import file into rows of raw cell values, whatever its format.

`read_table(data, filename)` returns a `Table`: the column names of the file (stripped and
lower-cased) and its rows, each with the number people see for it (the line of a CSV file, the
row of a spreadsheet, the item of a JSON or YAML list). A file that cannot be read raises
`UnreadableFile` with a message saying why (wrong encoding, not CSV, not a spreadsheet...).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l

FORMATS = ("csv", "xlsx", "json", "yaml")


class UnreadableFile(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def file_format(filename: str, data: bytes) -> str:
    name = (filename or "").lower()
    for ext, fmt in ((".csv", "csv"), (".txt", "csv"), (".xlsx", "xlsx"), (".json", "json")):
        if name.endswith(ext):
            return fmt
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if data[:2] == b"PK":  # a zip archive: what an XLSX file is
        return "xlsx"
    head = data.lstrip()[:1]
    return "json" if head in (b"[", b"{") else "csv"


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _l(
                "The file is not UTF-8 text (byte %(byte)s cannot be read). Save it as "
                "“CSV UTF-8”, or as an XLSX workbook.",
                byte=error.start + 1,
            )
        ) from None


def _column_name(value: Any) -> str:
    return "" if value is None else str(value).strip().lower()


def _read_csv(data: bytes) -> Table:
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to be/ru (and most of Europe) save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return Table([])
        table = Table([_column_name(name) for name in header])
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            row = dict(zip(table.columns, values, strict=False))
            if len(values) > len(table.columns):
                row[""] = values[len(table.columns) :]  # reported as extra cells
            table.rows.append((reader.line_num, row))
    except csv.Error as error:
        raise UnreadableFile(
            _l(
                "The file is not valid CSV (line %(line)s: %(error)s).",
                line=reader.line_num,
                error=str(error),
            )
        ) from None
    return table


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_l("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return Table([])
        table = Table([_column_name(name) for name in header])
        for number, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            row = {name: _cell(value) for name, value in zip(table.columns, values, strict=False)}
            table.rows.append((number, row))
        return table
    finally:
        workbook.close()


def _records(items: Any) -> Table:
    if isinstance(items, dict) and isinstance(items.get("rows"), list):
        items = items["rows"]
    if not isinstance(items, list):
        raise UnreadableFile(_l("The file must hold a list of rows (objects with column names)."))
    columns: list[str] = []
    table = Table(columns)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise UnreadableFile(_l("Item %(number)s is not an object of columns.", number=number))
        row = {_column_name(key): value for key, value in item.items()}
        for name in row:
            if name not in columns:
                columns.append(name)
        table.rows.append((number, row))
    return table


def _read_json(data: bytes) -> Table:
    try:
        items = json.loads(_text(data))
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _l(
                "The file is not valid JSON (line %(line)s: %(error)s).",
                line=error.lineno,
                error=error.msg,
            )
        ) from None
    return _records(items)


def _read_yaml(data: bytes) -> Table:
    try:
        items = yaml.safe_load(_text(data))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise UnreadableFile(
            _l("The file is not valid YAML (line %(line)s).", line=mark.line + 1 if mark else 1)
        ) from None
    return _records(items)


READERS = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json, "yaml": _read_yaml}


def read_table(data: bytes, filename: str = "") -> Table:
    return READERS[file_format(filename, data)](data)
