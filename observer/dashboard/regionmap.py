"""The dashboard's map: Belarus's regions drawn on the server as SVG, each shaded by its count
and linking to what that count stands for. Outlines come from geodata/belarus-regions.json
(Natural Earth, public domain; see geodata/README.md), already projected and simplified.

Like charts.py: every piece of text is escaped, only presentation attributes are used (no
style attribute, no script), so the markup is safe inline under the strict CSP."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from observer.dashboard.charts import INK, _attr
from observer.dashboard.shading import SHADES, shade_level

OUTLINES = Path(__file__).resolve().parent / "geodata" / "belarus-regions.json"
STROKE = "#ffffff"
# Drawn last so the city of Minsk sits on top of the Minsk region that surrounds it.
ON_TOP = ("BY-HM",)


@cache
def outlines() -> dict:
    """The shipped outlines (static package data, read once per process)."""
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapRegion:
    iso_code: str
    name: str
    count: int
    url: str | None


def _path(rings: Sequence[Sequence[Sequence[float]]]) -> str:
    return " ".join(
        "M" + " L".join(f"{x:g},{y:g}" for x, y in ring) + " Z" for ring in rings if ring
    )


def _centre(rings) -> tuple[float, float]:
    """The middle of the largest ring's bounding box: where the count is written."""
    ring = max(rings, key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def region_map(
    chart_id: str, title: str, regions: Sequence[MapRegion], describe: Callable[[MapRegion], str]
) -> Markup:
    data = outlines()
    width, height = data["width"], data["height"]
    peak = max((r.count for r in regions), default=0)
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{_attr(chart_id)}" role="group" '
        f'aria-labelledby="{_attr(title_id)}" width="{width}" height="{height}" '
        f'viewBox="-4 -4 {width + 8} {height + 8}" font-family="sans-serif" font-size="34">',
        f'<title id="{_attr(title_id)}">{escape(title)}</title>',
    ]
    ordered = sorted(regions, key=lambda r: r.iso_code in ON_TOP)
    labels = []
    for region in ordered:
        rings = data["regions"].get(region.iso_code)
        if not rings:
            continue  # a region the outlines do not know is still in the table beside the map
        level = shade_level(region.count, peak)
        fill, ink = SHADES[level]
        text = describe(region)
        shape = (
            f'<path d="{_path(rings)}" fill="{fill}" stroke="{STROKE}" stroke-width="3" '
            f'stroke-linejoin="round"><title>{escape(text)}</title></path>'
        )
        if region.url:
            shape = f'<a href="{_attr(region.url)}" aria-label="{_attr(text)}">{shape}</a>'
        parts.append(shape)
        x, y = _centre(rings)
        if region.iso_code in ON_TOP:
            y += 48  # below the small city shape, inside the region around it
            ink = INK
        labels.append(
            f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle" fill="{ink}" '
            f'font-weight="bold" pointer-events="none" aria-hidden="true">{region.count}</text>'
        )
    parts.extend(labels)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text piece went through escape()
