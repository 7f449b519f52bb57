"""The dashboard's map of the regions: drawn on the server from the shipped outlines, each
region shaded by its count and a link, every text escaped, no style attribute or script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from observer.dashboard.regionmap import MapRegion, outlines, region_map
from observer.dashboard.shading import SHADES, shade_level

SVG = "{http://www.w3.org/2000/svg}"
ISO_CODES = {"BY-BR", "BY-HO", "BY-HR", "BY-HM", "BY-MA", "BY-MI", "BY-VI"}


def test_the_shipped_outlines_cover_every_region_of_belarus():
    data = outlines()
    assert set(data["regions"]) == ISO_CODES
    assert data["width"] == 1000 and 700 < data["height"] < 1000
    for rings in data["regions"].values():
        assert rings and all(len(ring) >= 4 for ring in rings)
    points = sum(len(ring) for rings in data["regions"].values() for ring in rings)
    assert points < 2000  # simplified: small enough to inline on every dashboard


def test_each_region_is_a_shaded_link_and_text_is_escaped():
    hostile = '<script>alert("x")</script>'
    regions = [
        MapRegion("BY-MI", hostile, 10, "/dashboard/?region=5&status=verified"),
        MapRegion("BY-HO", "Gomel Region", 5, "/dashboard/?region=3"),
        MapRegion("BY-BR", "Brest Region", 0, None),
    ]
    markup = str(region_map("m", "Map", regions, lambda r: f"{r.name}: {r.count}"))
    assert "<script" not in markup and "style=" not in markup
    root = ET.fromstring(markup)  # noqa: S314 - our own markup, no DTD or entities
    links = root.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == [
        "/dashboard/?region=5&status=verified",
        "/dashboard/?region=3",
    ]
    fills = {path.find(f"{SVG}title").text: path.get("fill") for path in root.iter(f"{SVG}path")}
    assert fills[f"{hostile}: 10"] == SHADES[5][0]  # the largest count: the darkest
    assert fills["Gomel Region: 5"] == SHADES[3][0]
    assert fills["Brest Region: 0"] == SHADES[0][0]
    assert sorted(t.text for t in root.iter(f"{SVG}text")) == ["0", "10", "5"]


def test_shading_steps():
    assert [shade_level(n, 100) for n in (0, 1, 20, 21, 60, 100)] == [0, 1, 1, 2, 3, 5]
    assert shade_level(3, 0) == 0
