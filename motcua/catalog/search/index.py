"""An in-memory BM25 index over the procedure catalog.

Why hand-written: the catalog is small (a few thousand names of 5-40 words), and the ranking needs
things the BM25 libraries on PyPI (rank-bm25, bm25s) leave to the caller: several fields with their
own boosts, word-pair (bigram) matches, alternatives per concept from the synonym list, typo
candidates from the catalog's own words, a coverage factor, filters and a prior for procedures the
province handles. The whole index is a few dicts; a query touches only the postings of its words.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from motcua.catalog.search.query import Concept
from motcua.catalog.search.text import fold, tokens, words
from motcua.catalog.search.vocabulary import Phrase

K1 = 1.2
B = 0.75
#: How much a word in the field's name (lĩnh vực) counts against one in the procedure's own name.
FIELD_BOOST = 0.35
#: Extra weight of two words matched side by side ("khai sinh" rather than "khai" and "sinh").
BIGRAM_BOOST = 0.6
#: Weight of a catalog word one edit away from an unknown typed word.
TYPO_WEIGHT = 0.7
#: Weight of two catalog words that an unknown typed word splits into ("khaisinh").
SPLIT_WEIGHT = 0.9
TYPO_CANDIDATES = 3
#: Procedures the province or its communes handle (what a center receives) come first on a near tie.
LOCAL_PRIOR = 1.12
#: Reranking: names that start with, or equal, what was asked.
PREFIX_BONUS = 1.12
EXACT_BONUS = 1.25
#: Typed diacritics disambiguate folded words ("mất" lost or died vs "mật" secret).
ACCENT_BONUS = 0.08
RERANK_DEPTH = 60
#: Words that open most names and say nothing about which procedure it is.
NAME_PREFIXES = (("thu", "tuc"),)


@dataclass(frozen=True)
class Document:
    code: str
    name: str
    levels: frozenset[str]
    field_code: str
    field_name: str
    online_level: str

    @property
    def local(self) -> bool:
        return bool(self.levels & {"province", "commune"})


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    score: float


def _strip_prefix(words_: list[str]) -> list[str]:
    for prefix in NAME_PREFIXES:
        if tuple(words_[: len(prefix)]) == prefix:
            return words_[len(prefix) :]
    return words_


def _bm25(docs_terms: list[list[str]]) -> tuple[dict[str, dict[int, float]], dict[str, float]]:
    """term → {document: BM25 weight of the term in that document}, and term → IDF."""
    n = len(docs_terms)
    lengths = [len(terms) for terms in docs_terms]
    average = (sum(lengths) / n) if n else 1.0
    frequencies: dict[str, dict[int, int]] = defaultdict(dict)
    for doc, terms in enumerate(docs_terms):
        for term, count in Counter(terms).items():
            frequencies[term][doc] = count
    postings: dict[str, dict[int, float]] = {}
    idfs: dict[str, float] = {}
    for term, per_doc in frequencies.items():
        idf = idfs[term] = math.log(1 + (n - len(per_doc) + 0.5) / (len(per_doc) + 0.5))
        postings[term] = {
            doc: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[doc] / average)) for doc, tf in per_doc.items()
        }
    return postings, idfs


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal string alignment distance ≤ 1 (one insertion, deletion, substitution or swap)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class SearchIndex:
    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = list(documents)
        self.name_words = [_strip_prefix(tokens(d.name)) for d in self.documents]
        self.accented = [frozenset(words(d.name)) for d in self.documents]
        spellings: dict[str, set[str]] = defaultdict(set)
        for written in self.accented:
            for word in written:
                spellings[fold(word)].add(word)
        #: folded word → the words of the names that fold to it ("dang" → {"đăng", "đảng"}).
        self.spellings = {folded: frozenset(found) for folded, found in spellings.items()}
        self.names, self.idf = _bm25(self.name_words)
        self.bigrams, _ = _bm25([[f"{a} {b}" for a, b in itertools.pairwise(w)] for w in self.name_words])
        fields, _ = _bm25([tokens(d.field_name) for d in self.documents])
        # One posting list per word over both fields, so a query adds each word's weights once.
        self.postings: dict[str, dict[int, float]] = {word: dict(per_doc) for word, per_doc in self.names.items()}
        for word, per_doc in fields.items():
            merged = self.postings.setdefault(word, {})
            for doc, weight in per_doc.items():
                merged[doc] = merged.get(doc, 0.0) + FIELD_BOOST * weight
        # A word no name has is as telling as the rarest one.
        self.unseen_idf = max(self.idf.values(), default=1.0)
        self.vocabulary = set(self.postings)
        self.by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if len(word) >= 3:
                for key in {word, *_deletions(word)}:
                    self.by_deletion[key].add(word)

    def __len__(self) -> int:
        return len(self.documents)

    # -- typo tolerance -------------------------------------------------------------------------

    def corrections(self, word: str) -> list[tuple[Phrase, float]]:
        """Catalog words one edit from an unknown `word`, most frequent first; or a split in two."""
        if word in self.vocabulary or len(word) < 3 or word.isdigit():
            return []
        found: set[str] = set()
        for key in {word, *_deletions(word)}:
            found |= self.by_deletion.get(key, set())
        close = sorted((w for w in found if _within_one_edit(word, w)), key=lambda w: (-len(self.names.get(w, ())), w))
        alternatives: list[tuple[Phrase, float]] = [((w,), TYPO_WEIGHT) for w in close[:TYPO_CANDIDATES]]
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            if f"{left} {right}" in self.bigrams:
                alternatives.append(((left, right), SPLIT_WEIGHT))
        return alternatives

    # -- scoring --------------------------------------------------------------------------------

    def _phrase_scores(self, phrase: Phrase) -> tuple[Mapping[int, float], Mapping[int, float] | None]:
        """document → score, and document → share of the phrase it has (None: every share is 1).

        The share weighs words by IDF, so a name with only "đăng ký" of "đăng ký tạm trú" has little of
        it; a partial match is scaled down by the square of its share. A one-word phrase (most of them)
        is its posting list as it stands."""
        if len(phrase) == 1:
            return self.postings.get(phrase[0], {}), None
        scores: dict[int, float] = defaultdict(float)
        shares: dict[int, float] = defaultdict(float)
        size = 0.0
        for word in set(phrase):
            idf = self.idf.get(word, self.unseen_idf)
            size += idf
            for doc, weight in self.postings.get(word, {}).items():
                scores[doc] += weight
                shares[doc] += idf
        for a, b in itertools.pairwise(phrase):
            for doc, weight in self.bigrams.get(f"{a} {b}", {}).items():
                scores[doc] += BIGRAM_BOOST * weight
        for doc in scores:
            share = shares[doc] = shares[doc] / size
            scores[doc] *= share * share
        return scores, shares

    def search(self, concepts: list[Concept], *, typed: str, limit: int, allowed: list[bool] | None) -> list[Hit]:
        concepts = [self._with_corrections(c) for c in concepts]
        totals: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        active = 0.0
        for concept in concepts:
            best: dict[int, float] = {}
            best_share: dict[int, float] = {}
            for phrase, weight in concept.alternatives:
                scores, shares = self._phrase_scores(phrase)
                for doc, score in scores.items():
                    if weight * score > best.get(doc, 0.0):
                        best[doc] = weight * score
                        best_share[doc] = shares[doc] if shares is not None else 1.0
            if not best:
                continue  # a word no procedure has does not count against coverage
            active += concept.weight
            for doc, score in best.items():
                totals[doc] += concept.weight * score
                covered[doc] += concept.weight * best_share[doc]
        # Word pairs across concepts ("khai" then "tử"): the main phrase of each, in the typed order.
        sequence = [word for concept in concepts for word in concept.alternatives[0][0]]
        for a, b in {(a, b) for a, b in itertools.pairwise(sequence)}:
            for doc, weight in self.bigrams.get(f"{a} {b}", {}).items():
                if doc in totals:
                    totals[doc] += BIGRAM_BOOST * weight
        if not totals:
            return []
        ranked = heapq.nlargest(
            RERANK_DEPTH,
            (
                (score * (covered[doc] / active) ** 2, doc)
                for doc, score in totals.items()
                if allowed is None or allowed[doc]
            ),
        )
        accented = {w for w in words(typed) if fold(w) != w}
        reranked = sorted(
            ((self._rerank(doc, score, sequence, accented), doc) for score, doc in ranked), key=lambda x: (-x[0], x[1])
        )
        return [
            Hit(self.documents[doc].code, self.documents[doc].name, round(score, 3)) for score, doc in reranked[:limit]
        ]

    def _with_corrections(self, concept: Concept) -> Concept:
        if concept.from_synonym or len(concept.typed) != 1:
            return concept
        extra = self.corrections(concept.typed[0])
        if not extra:
            return concept
        return Concept(concept.typed, (*concept.alternatives, *extra), from_synonym=False, weight=concept.weight)

    def _rerank(self, doc: int, score: float, sequence: list[str], accented: set[str]) -> float:
        document = self.documents[doc]
        name = self.name_words[doc]
        if document.local:
            score *= LOCAL_PRIOR
        if sequence and name == sequence:
            score *= EXACT_BONUS
        elif len(sequence) >= 2 and name[: len(sequence)] == sequence:
            score *= PREFIX_BONUS
        if accented:
            score *= 1 + ACCENT_BONUS * len(accented & self.accented[doc]) / len(accented)
        return score
