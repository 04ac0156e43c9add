"""The shipped national catalog as a search index without a database: parsing the file takes about
a second, importing it 10-20 s, and ranking needs only names, levels and fields."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from motcua.catalog.data import PORTAL_FILE
from motcua.catalog.importers.parsing import slugify_vi
from motcua.catalog.importers.portal_jsonl import read_portal_jsonl
from motcua.catalog.search import engine
from motcua.catalog.search.evaluation import Question
from motcua.catalog.search.index import Document, Hit, SearchIndex
from motcua.catalog.search.query import parse_query
from motcua.catalog.search.vocabulary import vocabulary
from motcua.catalog.services.imports import import_procedure_files

OWN_QUESTIONS = Path(__file__).with_name("search_questions.jsonl")


@cache
def national_index() -> SearchIndex:
    return SearchIndex(
        Document(r.code, r.name, frozenset(r.levels), slugify_vi(r.field_name), r.field_name, "none")
        for r in read_portal_jsonl(PORTAL_FILE)
    )


def search(index: SearchIndex, text: str, limit: int = 5) -> list[Hit]:
    return index.search(parse_query(text, vocabulary(), index.spellings), typed=text, limit=limit, allowed=None)


def load_questions(path: Path) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(row["query"], frozenset(row["acceptable"])) for row in rows]


#: A few real procedures (commune, province and ministry level) for page and engine tests.
SAMPLE_CODES = ("1.001193", "1.000656", "1.000894", "2.000815", "1.004873", "1.004194", "3.000346", "1.012783")


def import_sample(directory: Path, codes: tuple[str, ...] = SAMPLE_CODES) -> None:
    """Import `codes` from the shipped national file through the real importer (fast: a few records)."""
    wanted = set(codes)
    path = directory / "sample.jsonl"
    with gzip.open(PORTAL_FILE, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as sample:
        for line in source:
            if json.loads(line)["ma_thu_tuc"] in wanted:
                sample.write(line)
    import_procedure_files([path])


@pytest.fixture
def fresh_search_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look at the catalog on every search: tests change it faster than the production interval."""
    monkeypatch.setattr(engine, "CHECK_INTERVAL", 0.0)
