"""Statement text is plain text: blank lines separate paragraphs, and a block whose every line
starts with '- ' (or '* ', '• ') is a bulleted list. Shared by the PDF and the HTML pages (pure)."""

from __future__ import annotations

BULLETS = ("- ", "* ", "• ", "– ")


def blocks(text: str | None) -> list[tuple[str, list[str]]]:
    """[("p", [lines...]) | ("ul", [items...]), ...] in reading order."""
    out: list[tuple[str, list[str]]] = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(BULLETS) for line in lines):
            out.append(("ul", [line.lstrip()[2:].strip() for line in lines]))
        else:
            out.append(("p", lines))
    return out
