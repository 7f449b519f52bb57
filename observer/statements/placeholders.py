"""Figure placeholders in statement text (pure).

A placeholder is typed in any text of a statement as ``[[name option ...]]``:

    In [[incidents.districts]] districts the mission documented [[incidents.total]] cases.

    [[incidents.by_region chart]]

`name` names a figure provider (``incidents.by_region``); options are ``key=value`` parameters
(``stage=campaigning``) or one display word (``number``, ``table``, ``chart``, ``list``). A
placeholder alone on its paragraph is a block (a table, a chart, a list of cases); inside a
sentence it is a number. ``[[write: ...]]`` is a template's prompt for the analysis: it is never
published (publishing refuses while one is left)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from observer.statements.text import blocks

PLACEHOLDER = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
DISPLAYS = ("number", "table", "chart", "list")
PROMPT = "write:"
NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
PARAM = re.compile(r"^([a-z][a-z0-9_]*)=([A-Za-z0-9_.\-]+)$")


class PlaceholderSyntaxError(ValueError):
    """The placeholder cannot be read; `text` is what was typed."""

    def __init__(self, text: str, reason: str):
        super().__init__(reason)
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class Placeholder:
    name: str
    params: tuple[tuple[str, str], ...] = ()
    display: str = ""
    source: str = ""  # as typed, for messages

    @property
    def key(self) -> str:
        """The snapshot key: name and parameters, without the display (one figure, many views)."""
        return " ".join([self.name, *(f"{k}={v}" for k, v in self.params)])


@dataclass(frozen=True)
class Prompt:
    text: str


def parse(inner: str) -> Placeholder | Prompt:
    source = f"[[{inner}]]"
    stripped = " ".join(inner.split())
    if stripped.lower().startswith(PROMPT):
        return Prompt(stripped[len(PROMPT) :].strip())
    words = stripped.split(" ")
    if not stripped or not NAME.match(words[0]):
        raise PlaceholderSyntaxError(source, "name")
    params: dict[str, str] = {}
    display = ""
    for word in words[1:]:
        match = PARAM.match(word)
        if match:
            params[match.group(1)] = match.group(2)
        elif word in DISPLAYS and not display:
            display = word
        else:
            raise PlaceholderSyntaxError(source, "option")
    return Placeholder(words[0], tuple(sorted(params.items())), display, source)


def find(text: str | None) -> list[Placeholder | Prompt | PlaceholderSyntaxError]:
    """Every placeholder in `text`, in order; unreadable ones as errors (not raised)."""
    found: list[Placeholder | Prompt | PlaceholderSyntaxError] = []
    for match in PLACEHOLDER.finditer(text or ""):
        try:
            found.append(parse(match.group(1)))
        except PlaceholderSyntaxError as error:
            found.append(error)
    return found


@dataclass(frozen=True)
class Block:
    """One block of statement text: a paragraph or list (lines with inline pieces), or a figure."""

    kind: str  # "p", "ul" or "figure"
    lines: tuple[tuple[str | Placeholder, ...], ...] = ()
    figure: Placeholder | None = None


def split_inline(line: str) -> tuple[str | Placeholder, ...]:
    """A line as text pieces and placeholders (unreadable placeholders stay as text)."""
    pieces: list[str | Placeholder] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        try:
            parsed = parse(match.group(1))
        except PlaceholderSyntaxError:
            continue
        if isinstance(parsed, Prompt):
            continue
        if match.start() > position:
            pieces.append(line[position : match.start()])
        pieces.append(parsed)
        position = match.end()
    if position < len(line):
        pieces.append(line[position:])
    return tuple(pieces)


def text_blocks(text: str | None, is_block) -> list[Block]:
    """Statement text as blocks; `is_block(placeholder)` says whether a lone placeholder is a
    block figure (a table, chart or list) rather than a number."""
    out: list[Block] = []
    for kind, lines in blocks(text):
        if kind == "p" and len(lines) == 1:
            pieces = split_inline(lines[0].strip())
            if len(pieces) == 1 and isinstance(pieces[0], Placeholder) and is_block(pieces[0]):
                out.append(Block("figure", figure=pieces[0]))
                continue
        out.append(Block(kind, lines=tuple(split_inline(line) for line in lines)))
    return out
