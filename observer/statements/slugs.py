"""URL slugs from statement titles: Belarusian and Russian transliterated to Latin (pure)."""

from __future__ import annotations

import re
import unicodedata

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "ж": "zh", "з": "z", "і": "i", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ў": "w", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "’": "", "'": "", "ʼ": "",
}  # fmt: skip
# Where the two languages romanise a letter differently.
_BY_LANGUAGE = {
    "be": {"г": "h", "ґ": "g", "е": "ie", "ё": "io", "ю": "iu", "я": "ia"},
    "ru": {"г": "g", "е": "e", "ё": "e", "ю": "yu", "я": "ya", "й": "y"},
}
MAX_LENGTH = 80


def transliterate(text: str, language: str = "be") -> str:
    table = {**_COMMON, **_BY_LANGUAGE.get(language, _BY_LANGUAGE["ru"])}
    out = []
    for char in text:
        lower = char.lower()
        out.append(table.get(lower, char))
    # Latin letters with accents (e.g. Łacinka, names) lose the accent.
    decomposed = unicodedata.normalize("NFKD", "".join(out).replace("ł", "l").replace("Ł", "L"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(title: str, language: str = "be") -> str:
    """Lowercase Latin letters, digits and hyphens; never empty."""
    text = transliterate(title, language).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
    return slug or "statement"


def with_suffix(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not taken yet."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
