"""The maintained word lists of search: synonyms (`synonyms.txt`) and stop phrases (`stopwords.txt`).

Both are plain text that officers and developers edit; both are matched on folded words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from motcua.catalog.search.text import fold, words

HERE = Path(__file__).resolve().parent
SYNONYMS_FILE = HERE / "synonyms.txt"
STOPWORDS_FILE = HERE / "stopwords.txt"
WEAKWORDS_FILE = HERE / "weakwords.txt"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """What a matched phrase turns into: `alternatives` to search for, and whether the phrase itself
    stays one of them (an equivalence keeps it; a `=>` mapping replaces it)."""

    alternatives: tuple[Phrase, ...]
    keeps_original: bool


@dataclass(frozen=True)
class Vocabulary:
    """Lists keyed by folded phrase, with the spellings written in the files (`spellings`): a typed
    word with diacritics must match those ("nhà" is not the particle "nha"), one without matches any."""

    rules: dict[Phrase, Rule]
    stop_phrases: frozenset[Phrase]
    weak_phrases: frozenset[Phrase]
    spellings: dict[Phrase, frozenset[Phrase]]
    #: The longest phrase of either list, in words: how far ahead the matcher needs to look.
    longest: int

    def is_stop(self, folded: Phrase, typed: Phrase, catalog: Mapping[str, frozenset[str]]) -> bool | None:
        """True for a stop phrase; None when a word typed without diacritics could also be a catalog
        word spelled otherwise ("dang": the stop word "đang", or "đăng" of "đăng ký"); else False."""
        if folded not in self.stop_phrases or not self.spelled_as(folded, typed):
            return False
        return (
            True
            if any(
                all(
                    t == w or (fold(t) == t and catalog.get(t, frozenset()) <= {w})
                    for t, w in zip(typed, written, strict=True)
                )
                for written in self.spellings.get(folded, ())
            )
            else None
        )

    def spelled_as(self, folded: Phrase, typed: Phrase) -> bool:
        return any(
            all(t == w or fold(t) == t for t, w in zip(typed, written, strict=True))
            for written in self.spellings.get(folded, ())
        )


def _written(text: str) -> list[Phrase]:
    return [phrase for part in text.split(",") if (phrase := tuple(words(part)))]


def _folded(phrase: Phrase) -> Phrase:
    return tuple(fold(w) for w in phrase)


def _phrases(text: str) -> list[Phrase]:
    return [_folded(phrase) for phrase in _written(text)]


def _lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def parse_synonyms(lines: list[str]) -> dict[Phrase, Rule]:
    """Solr's synonym syntax, except that alternatives on the right are separated by `|` (procedure
    names contain commas): `a, b => c | d` maps a and b to c or d; `a, b, c` makes them equivalent.
    A later line for the same phrase adds to the earlier one."""
    rules: dict[Phrase, Rule] = {}

    def add(phrase: Phrase, alternatives: list[Phrase], keeps: bool) -> None:
        known = rules.get(phrase)
        merged = list(known.alternatives) if known else []
        merged += [a for a in alternatives if a not in merged and a != phrase]
        rules[phrase] = Rule(tuple(merged), keeps or (known.keeps_original if known else False))

    for line in lines:
        if "=>" in line:
            left, right = line.split("=>", 1)
            targets = [phrase for part in right.split("|") if (phrase := _folded(tuple(words(part))))]
            for phrase in _phrases(left):
                add(phrase, targets, keeps=phrase in targets)
        else:
            group = _phrases(line)
            for phrase in group:
                add(phrase, group, keeps=True)
    return rules


@cache
def vocabulary() -> Vocabulary:
    synonym_lines = _lines(SYNONYMS_FILE)
    stop_lines = _lines(STOPWORDS_FILE)
    spellings: dict[Phrase, set[Phrase]] = {}
    weak_lines = _lines(WEAKWORDS_FILE)
    for line in [*stop_lines, *weak_lines, *(line.split("=>")[0] for line in synonym_lines)]:
        for written in _written(line):
            spellings.setdefault(_folded(written), set()).add(written)
    rules = parse_synonyms(synonym_lines)
    stops = frozenset(_folded(tuple(words(line))) for line in stop_lines)
    weak = frozenset(_folded(tuple(words(line))) for line in weak_lines)
    return Vocabulary(
        rules=rules,
        stop_phrases=stops,
        weak_phrases=weak,
        spellings={k: frozenset(v) for k, v in spellings.items()},
        longest=max(len(p) for p in [*rules, *stops, *weak]),
    )
