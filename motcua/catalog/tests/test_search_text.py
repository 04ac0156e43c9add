"""Folding and question parsing: pure, no database."""

from __future__ import annotations

import pytest

from motcua.catalog.search.query import SYNONYM_WEIGHT, WEAK_WEIGHT, parse_query
from motcua.catalog.search.text import fold, tokens
from motcua.catalog.search.vocabulary import parse_synonyms, vocabulary

CATALOG = {"dang": frozenset({"đăng"}), "la": frozenset({"là"}), "ky": frozenset({"ký"})}


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐỒNG Ý", "dong y"),
        ("Giấy chứng nhận quyền sử dụng đất", "giay chung nhan quyen su dung dat"),
        ("TNLĐ", "tnld"),
        # Decomposed input (some phone keyboards) folds the same as composed.
        ("Đa\u0306ng ky\u0301", "dang ky"),
    ],
)
def test_fold_removes_marks_and_maps_d(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_split_on_punctuation() -> None:
    assert tokens("nhận cha, mẹ, con (cấp xã)/huyện_x") == ["nhan", "cha", "me", "con", "cap", "xa", "huyen", "x"]


def test_synonym_syntax_mapping_equivalence_and_alternatives() -> None:
    rules = parse_synonyms(["sổ đỏ, bìa đỏ => giấy chứng nhận", "bhxh, bảo hiểm xã hội", "mất => khai tử | mất"])
    assert rules[("so", "do")].alternatives == (("giay", "chung", "nhan"),)
    assert not rules[("bia", "do")].keeps_original
    assert rules[("bhxh",)].keeps_original
    assert rules[("bhxh",)].alternatives == (("bao", "hiem", "xa", "hoi"),)
    assert rules[("mat",)].keeps_original
    assert rules[("mat",)].alternatives == (("khai", "tu"),)


def test_question_drops_chatty_words_and_maps_colloquial_ones() -> None:
    concepts = parse_query("Cho hỏi làm sổ đỏ ở đâu ạ", vocabulary(), CATALOG)
    assert [c.typed for c in concepts] == [("so", "do")]
    (concept,) = concepts
    assert concept.weight == SYNONYM_WEIGHT
    assert ("giay", "chung", "nhan", "quyen", "su", "dung", "dat") in [a for a, _ in concept.alternatives]


def test_synonyms_match_without_diacritics_and_across_stop_words() -> None:
    plain = parse_query("lay vo", vocabulary(), CATALOG)
    assert plain[0].alternatives[0][0] == ("dang", "ky", "ket", "hon")
    # "nhận về nuôi": "về" is a stop word, and "nhận nuôi" is in the list.
    spread = parse_query("muốn nhận về nuôi", vocabulary(), CATALOG)
    assert spread[0].alternatives[0][0] == ("nuoi", "con", "nuoi")


def test_diacritics_disambiguate_stop_words() -> None:
    # "nhà" is not the particle "nha"; "đăng" is not the stop word "đang".
    assert [c.typed for c in parse_query("nhà ở", vocabulary(), CATALOG)] == [("nha", "o")]
    typed = [c.typed for c in parse_query("đăng ký đang", vocabulary(), CATALOG)]
    assert typed == [("dang",), ("ky",)]


def test_unaccented_word_that_may_be_a_stop_word_is_kept_light() -> None:
    concepts = {c.typed: c for c in parse_query("dang ky", vocabulary(), CATALOG)}
    assert concepts[("dang",)].weight == WEAK_WEIGHT
    assert concepts[("ky",)].weight == 1.0


def test_person_words_are_weak_by_their_spelling() -> None:
    assert parse_query("chồng", vocabulary(), CATALOG)[0].weight == WEAK_WEIGHT
    assert parse_query("bỏ rơi", vocabulary(), CATALOG)[0].weight == 1.0
