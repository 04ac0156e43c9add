"""hit@k of a search function over questions with acceptable answers: shared by `search-eval`, the
tests and the benchmark."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

CUTOFFS = (1, 3, 5)


@dataclass(frozen=True)
class Question:
    query: str
    acceptable: frozenset[str]


@dataclass(frozen=True)
class Miss:
    """A question with no acceptable code in the top 3, and what came instead."""

    query: str
    acceptable: frozenset[str]
    top: list[str]


@dataclass(frozen=True)
class Report:
    total: int
    rates: dict[int, float]
    misses: list[Miss]


def evaluate(questions: Sequence[Question], search: Callable[[str], list[str]]) -> Report:
    hits = dict.fromkeys(CUTOFFS, 0)
    misses = []
    for question in questions:
        codes = search(question.query)
        for k in CUTOFFS:
            hits[k] += bool(question.acceptable & set(codes[:k]))
        if not question.acceptable & set(codes[:3]):
            misses.append(Miss(question.query, question.acceptable, codes[:3]))
    total = len(questions)
    return Report(total=total, rates={k: (hits[k] / total if total else 0.0) for k in CUTOFFS}, misses=misses)
