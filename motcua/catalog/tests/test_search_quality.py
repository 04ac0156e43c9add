"""Ranking over the whole national catalog (indexed from the shipped file, no database), on our own
questions: with and without diacritics, colloquial, with typos."""

from __future__ import annotations

import pytest

from motcua.catalog.search.evaluation import evaluate
from motcua.catalog.search.index import SearchIndex
from motcua.catalog.tests.search_support import OWN_QUESTIONS, load_questions, national_index, search


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return national_index()


def top(index: SearchIndex, text: str, k: int = 3) -> list[str]:
    return [hit.code for hit in search(index, text, limit=k)]


def test_own_questions_hit_at_3(index: SearchIndex) -> None:
    report = evaluate(load_questions(OWN_QUESTIONS), lambda q: top(index, q, 5))
    assert report.total >= 25
    assert report.rates[3] >= 0.9, [m.query for m in report.misses]
    assert report.rates[1] >= 0.7


@pytest.mark.parametrize("text", ["Đăng ký khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng kí khai sinh"])
def test_accents_and_case_do_not_matter(index: SearchIndex, text: str) -> None:
    assert top(index, text, 1) == ["1.001193"]


@pytest.mark.parametrize("text", ["dang ky khia sinh", "đăng ký khai sinhh", "dăng ky khaisinh"])
def test_typos_one_edit_away_or_glued_words(index: SearchIndex, text: str) -> None:
    assert "1.001193" in top(index, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("lấy vợ", "1.000894"),  # đăng ký kết hôn
        ("làm giấy khai sinh", "1.001193"),
        ("bà nội qua đời", "1.000656"),  # đăng ký khai tử
        ("xin giấy độc thân", "1.004873"),  # xác nhận tình trạng hôn nhân
        ("nhập hộ khẩu", "1.004222"),  # đăng ký thường trú
    ],
)
def test_colloquial_words_through_synonyms(index: SearchIndex, text: str, code: str) -> None:
    assert code in top(index, text)


def test_lost_is_not_died(index: SearchIndex) -> None:
    """ "mất" is read both ways; the other words decide."""
    assert "1.013080" in top(index, "mất giấy đăng ký xe biển số xe cấp lại")
    assert "1.000656" in top(index, "ông em mất hôm qua")


def test_province_handled_procedure_first_on_a_tie(index: SearchIndex) -> None:
    # The commune-level identity card (1.014061) and the central one (1.001247) share their name.
    codes = top(index, "cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", 2)
    assert codes[0] == "1.014061"


def test_nothing_relevant_gives_nothing(index: SearchIndex) -> None:
    assert top(index, "xyzzy qwerty") == []
    assert top(index, "cho hỏi ạ") == []
