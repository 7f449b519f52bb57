"""A published statement's frozen figures as open data (pure): JSON with every label in the
three languages, and CSV in the statement's language. The columns are documented in
docs/open-data.md and do not change within a format version."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from observer.statements.figures import tr

JSON_FORMAT = "observer-statement-figures/1"
CSV_COLUMNS = (
    "statement",
    "figure",
    "kind",
    "title",
    "row",
    "key",
    "label",
    "group",
    "value",
    "value_text",
    "suppressed",
)


def figures_json(meta: dict[str, Any], figures: dict[str, Any]) -> bytes:
    document = {
        "format": JSON_FORMAT,
        "statement": meta,
        "figures": [figures[key] for key in sorted(figures)],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode()


def _rows(slug: str, key: str, data: dict[str, Any], language: str):
    kind = data.get("kind", "")
    base = {
        "statement": slug,
        "figure": key,
        "kind": kind,
        "title": tr(data.get("title"), language),
    }
    if kind == "number":
        value = data.get("value")
        yield {
            **base,
            "row": 1,
            "value": "" if value is None else value,
            "suppressed": "small" if value is None else "",
        }
    elif kind == "text":
        yield {**base, "row": 1, "value_text": tr(data.get("text"), language)}
    elif kind == "counts":
        number = 0
        for number, row in enumerate(data["rows"], start=1):
            yield {
                **base,
                "row": number,
                "key": row.get("key", ""),
                "label": tr(row.get("label"), language),
                "group": row.get("group", ""),
                "value": "" if row.get("count") is None else row["count"],
                "suppressed": row.get("suppressed", ""),
            }
        yield {
            **base,
            "row": number + 1,
            "key": "total",
            "label": tr(data.get("total_label"), language),
            "value": data.get("total", ""),
        }
    elif kind == "table":
        for number, row in enumerate(data["rows"], start=1):
            cells = row.get("cells", row)
            for column in data["columns"]:
                value = cells.get(column["key"], "")
                numeric = isinstance(value, int | float) and not isinstance(value, bool)
                yield {
                    **base,
                    "row": number,
                    "key": column["key"],
                    "label": tr(column.get("label"), language),
                    "value": value if numeric else "",
                    "value_text": "" if numeric else tr(value, language),
                }
    elif kind == "cases":
        for item in data["items"]:
            yield {
                **base,
                "row": item["number"],
                "key": item.get("criterion_code", ""),
                "label": tr(item.get("criterion"), language),
                "group": tr(item.get("stage"), language),
                "value_text": "; ".join(
                    tr(item.get(part), language) for part in ("place", "when", "wording")
                ),
            }


def figures_csv(slug: str, figures: dict[str, Any], language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for key in sorted(figures):
        for row in _rows(slug, key, figures[key], language):
            writer.writerow({column: row.get(column, "") for column in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8")
