"""A citizen's question → concepts to look for.

The question is split into words; from left to right the longest phrase found in the synonym list
becomes one concept with its alternatives, a stop phrase ("cho hỏi", "giùm em", "ở đâu") is dropped,
and any other word is a concept of its own. Then the synonym list is tried again on what is left
once stop words are gone, so "nhận về nuôi" is read like "nhận nuôi". Typo alternatives are added
later by the index, which knows the words of the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from motcua.catalog.search.text import fold, words
from motcua.catalog.search.vocabulary import Phrase, Vocabulary

#: Weight of a phrase found through an equivalence line rather than typed: close, not identical.
EQUIVALENT_WEIGHT = 0.9
#: Weight of a word that names a person or place ("chồng", "thành phố") rather than the matter, and of
#: a word typed without diacritics that may be a stop word or not ("dang": "đang" or "đăng").
WEAK_WEIGHT = 0.4
#: Weight of a phrase from the synonym list: a known way of naming a matter says more than a loose word.
SYNONYM_WEIGHT = 1.5


@dataclass(frozen=True)
class Concept:
    """One thing the citizen asked about: the words typed, and weighted phrases that express it.
    `weight` scales both its score and its share of the question's coverage."""

    typed: Phrase
    alternatives: tuple[tuple[Phrase, float], ...]
    from_synonym: bool
    weight: float = 1.0


def _synonym(vocabulary: Vocabulary, folded: Phrase, typed: Phrase) -> Concept | None:
    rule = vocabulary.rules.get(folded)
    if rule is None or not vocabulary.spelled_as(folded, typed):
        return None
    alternatives = [(folded, 1.0)] if rule.keeps_original else []
    # A mapping (`=>`) names what the citizen meant; an equivalence offers a near word.
    weight = EQUIVALENT_WEIGHT if rule.keeps_original else 1.0
    alternatives += [(alt, weight) for alt in rule.alternatives]
    return Concept(folded, tuple(alternatives), from_synonym=True, weight=SYNONYM_WEIGHT)


def _scan(
    typed: list[str], vocabulary: Vocabulary, catalog: Mapping[str, frozenset[str]] | None
) -> list[Concept | tuple[str, str]]:
    """Synonym concepts, and the other words as (folded, typed) pairs; with the catalog's spellings
    (folded word → words as written in names), stop phrases are dropped."""
    folded = [fold(w) for w in typed]
    out: list[Concept | tuple[str, str]] = []
    i = 0
    while i < len(typed):
        for length in range(min(vocabulary.longest, len(typed) - i), 0, -1):
            key, spelled = tuple(folded[i : i + length]), tuple(typed[i : i + length])
            concept = _synonym(vocabulary, key, spelled)
            stop = vocabulary.is_stop(key, spelled, catalog) if catalog is not None else False
            if concept is None and (
                stop is None or (key in vocabulary.weak_phrases and vocabulary.spelled_as(key, spelled))
            ):
                concept = Concept(key, ((key, 1.0),), from_synonym=False, weight=WEAK_WEIGHT)
            if concept is not None:
                out.append(concept)
                i += length
                break
            if stop:
                i += length
                break
        else:
            out.append((folded[i], typed[i]))
            i += 1
    return out


def parse_query(text: str, vocabulary: Vocabulary, catalog: Mapping[str, frozenset[str]]) -> list[Concept]:
    items: list[Concept | tuple[str, str]] = []
    run: list[str] = []
    for item in _scan(words(text), vocabulary, catalog):
        if isinstance(item, Concept):
            items += _scan(run, vocabulary, None)
            items.append(item)
            run = []
        else:
            run.append(item[1])
    items += _scan(run, vocabulary, None)
    concepts: list[Concept] = []
    seen: set[Phrase] = set()
    for item in items:
        if not isinstance(item, Concept):
            item = Concept((item[0],), (((item[0],), 1.0),), from_synonym=False)
        if item.typed not in seen:  # a word typed twice counts once
            seen.add(item.typed)
            concepts.append(item)
    return concepts
