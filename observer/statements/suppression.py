"""Small-cell suppression of incident counts for areas below region level (pure).

In public output a count of incidents in a district smaller than the threshold T (setting
SMALL_CELL_THRESHOLD, default 3) is shown as "fewer than T", so that a single case cannot point
to the few people who could have reported it. Region totals are public, so hiding one cell is
not enough: within each region, the hidden cells must not be computable from the total and the
cells shown. While any hidden cell could still be worked out, a second cell is hidden: first
the smallest count of at least T (shown as "withheld"), otherwise a district with no case
(shown as "fewer than T", which is true of zero). What a reader can still work out is checked
by `feasible_values` (a reader knows every shown value, the region total, that a "fewer than"
cell is 0..T-1 and that a withheld cell is at least T).

Process figures (commission members, candidates, official figures) are public facts and never
pass through here; only figures whose provider declares `small_areas`."""

from __future__ import annotations

import copy
from typing import Any

SMALL = "small"  # shown as "fewer than T"
WITHHELD = "withheld"  # a second cell hidden so that the first cannot be computed


def value_range(others_small: int, withheld: int, hidden_sum: int, threshold: int):
    """The values one "fewer than T" cell can take given the rest of its group (min, max)."""
    top = threshold - 1
    if withheld:
        return 0, min(top, hidden_sum - withheld * threshold)
    return max(0, hidden_sum - others_small * top), min(top, hidden_sum)


def _recoverable(rows: list[dict[str, Any]], threshold: int) -> bool:
    small = [row for row in rows if row.get("suppressed") == SMALL]
    if not small:
        return False
    withheld = sum(1 for row in rows if row.get("suppressed") == WITHHELD)
    hidden_sum = sum(row["_count"] for row in rows if row.get("suppressed"))
    low, high = value_range(len(small) - 1, withheld, hidden_sum, threshold)
    return high <= low


def suppress(data: dict[str, Any], threshold: int) -> dict[str, Any]:
    """A copy of a `counts` figure with small district cells hidden (and complements)."""
    if data.get("kind") != "counts" or not data.get("small_areas") or threshold <= 1:
        return data
    out = copy.deepcopy(data)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in out["rows"]:
        row["_count"] = row["count"]
        groups.setdefault(row.get("group", ""), []).append(row)
    hidden_totals = set()
    for key, rows in groups.items():
        for row in rows:
            if 0 < row["count"] < threshold:
                row["suppressed"] = SMALL
        while _recoverable(rows, threshold):
            large = sorted(
                (r for r in rows if not r.get("suppressed") and r["count"] >= threshold),
                key=lambda r: r["count"],
            )
            zeros = [r for r in rows if not r.get("suppressed") and r["count"] == 0]
            if large:
                large[0]["suppressed"] = WITHHELD
            elif zeros:
                zeros[0]["suppressed"] = SMALL
            else:  # every cell is already hidden: only the group total could give them away
                hidden_totals.add(key)
                break
    for row in out["rows"]:
        if row.pop("_count", None) is not None and row.get("suppressed"):
            row["count"] = None
    for group in out.get("groups", ()):
        if group["key"] in hidden_totals:
            group["count"], group["suppressed"] = None, WITHHELD
    out["suppression_threshold"] = threshold
    return out


def feasible_values(rows: list[dict[str, Any]], group_total: int, threshold: int, row_key: str):
    """Every value the hidden cell `row_key` can take, as a reader of the published figure can
    work it out (brute force over the hidden cells; for tests and audits of small groups)."""
    hidden = [row for row in rows if row.get("suppressed")]
    shown = sum(row["count"] for row in rows if not row.get("suppressed"))
    remaining = group_total - shown
    ranges = [
        range(threshold) if row["suppressed"] == SMALL else range(threshold, remaining + 1)
        for row in hidden
    ]
    index = next(i for i, row in enumerate(hidden) if row["key"] == row_key)
    found: set[int] = set()

    def walk(position: int, left: int, chosen: list[int]) -> None:
        if position == len(ranges):
            if left == 0:
                found.add(chosen[index])
            return
        for value in ranges[position]:
            if value > left:
                break
            walk(position + 1, left - value, [*chosen, value])

    walk(0, remaining, [])
    return found
