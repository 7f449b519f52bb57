"""Shading by count, one scale for the dashboard's tables and map: five steps of one blue from
light to dark, relative to the largest count shown; zero stays white. Each step has the ink
colour that keeps its text readable (WCAG AA contrast)."""

from __future__ import annotations

import math

# level -> (fill, ink)
SHADES = {
    0: ("#f4f6f8", "#1b1f24"),
    1: ("#dce9f5", "#1b1f24"),
    2: ("#b3cfe8", "#1b1f24"),
    3: ("#7aaad6", "#1b1f24"),
    4: ("#3c78b4", "#ffffff"),
    5: ("#1d4f80", "#ffffff"),
}


def shade_level(count: int, peak: int) -> int:
    """0 for nothing, else 1-5 in proportion to the largest count."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(5, math.ceil(5 * count / peak)))
