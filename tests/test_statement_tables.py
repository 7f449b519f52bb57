"""Figure tables in a statement PDF read like a printed report: a heading never breaks inside a
word, and a table of many measures over a few subjects is turned into one row per measure."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table

from observer.statements.pdf import _styles, register_fonts
from observer.statements.pdf_figures import CELL_PADDING, generic_table


def _table(story) -> Table:
    return next(flowable for flowable in story if isinstance(flowable, Table))


def composition_table() -> dict:
    numbers = ("nominated", "appointed", "rate", "share")
    return {
        "kind": "table",
        "title": {"en": "Nominees appointed to commissions"},
        "columns": [
            {"key": "level", "label": {"en": "Commission level"}},
            {"key": "by", "label": {"en": "Nominated by"}},
            {"key": "nominated", "label": {"en": "Nominated"}, "numeric": True},
            {"key": "appointed", "label": {"en": "Appointed"}, "numeric": True},
            {"key": "rate", "label": {"en": "Appointed of nominated"}, "numeric": True},
            {"key": "share", "label": {"en": "Share of members"}, "numeric": True},
        ],
        "rows": [
            {
                "level": "District election commissions (DEC)",
                "by": "Pro-government",
                **dict(zip(numbers, (1300, 1285, "98.8 %", "89.9 %"), strict=True)),
            }
        ],
    }


def test_numeric_headings_and_values_fit_their_column_without_breaking_a_word():
    register_fonts()
    styles = _styles()
    data = composition_table()
    table = _table(generic_table(data, "en", styles))
    cell = styles["cell"]
    for index, column in enumerate(data["columns"]):
        if not column.get("numeric"):
            continue
        longest_word = max(column["label"]["en"].split(), key=len)
        needed = stringWidth(longest_word, cell.fontName, cell.fontSize) + 12
        assert table._colWidths[index] >= needed, column["key"]
        value = str(data["rows"][0][column["key"]])
        assert table._colWidths[index] >= stringWidth(value, cell.fontName, cell.fontSize) + 12
    assert CELL_PADDING >= 12


def test_many_measures_over_two_subjects_read_as_one_row_per_measure():
    register_fonts()
    measures = [f"measure_{n}" for n in range(10)]
    data = {
        "kind": "table",
        "title": {"en": "Nomination and registration of candidates"},
        "columns": [{"key": "election", "label": {"en": "Election"}}]
        + [{"key": key, "label": {"en": key.title()}, "numeric": True} for key in measures],
        "rows": [
            {"election": "House of Representatives", **{key: 1 for key in measures}},
            {"election": "Local councils", **{key: 2 for key in measures}},
        ],
    }
    table = _table(generic_table(data, "en", _styles()))
    assert len(table._cellvalues) == 1 + len(measures)  # a heading row, then one per measure
    assert len(table._cellvalues[0]) == 3  # the measure, then one column per election
    assert "House of Representatives" in table._cellvalues[0][1].text
    assert table._cellvalues[1][0].text == "Measure_0"
