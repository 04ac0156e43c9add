"""Text folding for search: citizens type with or without Vietnamese diacritics, so everything is
compared in a folded form (lower case, marks removed, đ → d)."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """`Đăng ký khai sinh` → `dang ky khai sinh`. NFD splits each letter from its marks; đ has no
    decomposition, so it is mapped by hand."""
    lowered = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case words with their diacritics (NFC), for the exact-spelling bonus."""
    return _WORD.findall(unicodedata.normalize("NFC", text.lower()).replace("_", " "))


def tokens(text: str) -> list[str]:
    """Folded words: the unit of matching."""
    return [fold(word) for word in words(text)]
