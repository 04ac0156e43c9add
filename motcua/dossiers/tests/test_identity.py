"""The personal ID parser: structure, century/sex digit, birth-date cross-check (property tests)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import InvalidInput
from motcua.dossiers.identity import PersonalId, parse_personal_id

TODAY = date(2026, 3, 2)


def _number(province: int, birth_year: int, female: bool, serial: int) -> str:
    century, year = divmod(birth_year - 1900, 100)
    return f"{province:03d}{2 * century + int(female)}{year:02d}{serial:06d}"


@given(
    province=st.integers(1, 96),
    birth=st.dates(date(1900, 1, 1), TODAY),
    female=st.booleans(),
    serial=st.integers(0, 999_999),
)
def test_well_formed_numbers_parse_back(province: int, birth: date, female: bool, serial: int) -> None:
    number = _number(province, birth.year, female, serial)

    parsed = parse_personal_id(number, birth_date=birth, today=TODAY)

    assert (parsed.province_code, parsed.birth_year, parsed.female) == (f"{province:03d}", birth.year, female)


@given(st.text(max_size=14).filter(lambda s: not (len(s) == 12 and s.isascii() and s.isdigit())))
def test_anything_but_twelve_digits_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id(value, today=TODAY)
    assert caught.value.code == "personal_id_format"


@given(province=st.sampled_from([0, *range(97, 1000)]), serial=st.integers(0, 999_999))
def test_unknown_province_codes_are_refused(province: int, serial: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id(_number(province, 1990, False, serial), today=TODAY)
    assert caught.value.code == "personal_id_province"


@given(birth=st.dates(date(1900, 1, 1), TODAY), other_year=st.integers(1900, 2026))
def test_birth_date_must_match_the_encoded_year(birth: date, other_year: int) -> None:
    number = _number(10, other_year, True, 1)
    if other_year == birth.year:
        assert parse_personal_id(number, birth_date=birth, today=TODAY).birth_year == birth.year
    else:
        with pytest.raises(InvalidInput) as caught:
            parse_personal_id(number, birth_date=birth, today=TODAY)
        assert caught.value.code == "personal_id_birth_mismatch"


@pytest.mark.parametrize("century_digit", ["4", "5", "6", "7", "8", "9"])
def test_births_in_future_centuries_are_refused(century_digit: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id(f"010{century_digit}90123456", today=TODAY)
    assert caught.value.code == "personal_id_birth_year"


def test_error_details_do_not_echo_the_number() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id("0101901234", today=TODAY)
    assert "0101901234" not in str(caught.value.as_dict())


def _outcome(value: str, birth: date | None, today: date) -> PersonalId | InvalidInput:
    try:
        return parse_personal_id(value, birth_date=birth, today=today)
    except InvalidInput as refused:
        return refused


@given(value=st.text(max_size=20), birth=st.none() | st.dates(), today=st.dates())
def test_any_text_parses_or_is_refused_with_a_stable_code(value: str, birth: date | None, today: date) -> None:
    outcome = _outcome(value, birth, today)
    if isinstance(outcome, InvalidInput):
        assert outcome.code in {
            "personal_id_format",
            "personal_id_province",
            "personal_id_birth_year",
            "personal_id_birth_mismatch",
        }
        assert outcome.details["field"] == "personal_id"
        return
    # Whatever was accepted is twelve ASCII digits that say what the parse says.
    assert len(value) == 12
    assert value.isascii()
    assert value.isdigit()
    assert outcome.number == value
    assert _number(int(outcome.province_code), outcome.birth_year, outcome.female, int(value[6:])) == value


@given(
    digits=st.text(st.characters(categories=["Nd"]), min_size=12, max_size=12).filter(lambda s: not s.isascii()),
)
def test_digits_of_other_scripts_are_refused(digits: str) -> None:
    # `int()` reads "٠١٠١٩٠٠٥٤٣٢١" (Arabic-Indic) as a number: the parser must not.
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id(digits, today=TODAY)
    assert caught.value.code == "personal_id_format"


@given(
    province=st.integers(1, 96),
    serial=st.integers(0, 999_999),
    around=st.sampled_from(["\n", " ", "\t", "\u00a0", "\r\n", "\x00"]),
    before=st.booleans(),
)
def test_whitespace_or_a_newline_around_a_valid_number_is_refused(
    province: int, serial: int, around: str, before: bool
) -> None:
    number = _number(province, 1990, False, serial)
    with pytest.raises(InvalidInput) as caught:
        parse_personal_id(around + number if before else number + around, today=TODAY)
    assert caught.value.code == "personal_id_format"
