"""Dossier codes (`<agency e-id>-YYMMDD-NNNN`) and the phone tail of public tracking: property tests of
what the parser accepts, and that every code the allocator gives is one it accepts."""

from __future__ import annotations

import string
from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.dossiers.services.codes import dossier_code_allocate
from motcua.dossiers.tests.factories import World
from motcua.dossiers.tracking_selectors import dossier_track, valid_code

agency_ids = st.from_regex(r"[A-Z0-9][A-Z0-9.]{0,34}", fullmatch=True)
numbers = st.integers(1, 99_999_999)


def _code(agency: str, day: date, number: int) -> str:
    return f"{agency}-{day:%y%m%d}-{number:04d}"


@given(agency=agency_ids, day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), number=numbers)
def test_well_formed_codes_are_accepted(agency: str, day: date, number: int) -> None:
    assert valid_code(_code(agency, day, number))


@given(
    agency=agency_ids,
    day=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    number=numbers,
    extra=st.sampled_from(["\n", "\r\n", " ", "\t", "\x00", "a", "/", "%", "\u0663", "\uff11"]),
    at=st.integers(0, 60),
)
def test_a_character_no_code_holds_makes_it_invalid_wherever_it_goes(
    agency: str, day: date, number: int, extra: str, at: int
) -> None:
    code = _code(agency, day, number)
    position = min(at, len(code))
    assert not valid_code(code[:position] + extra + code[position:])


@given(st.text(max_size=60))
def test_any_text_is_a_yes_or_no_and_yes_means_the_documented_shape(text: str) -> None:
    if valid_code(text):
        agency, day, number = text.rsplit("-", 2)
        assert set(agency) <= set(string.ascii_uppercase + string.digits + ".")
        assert len(day) == 6
        assert 4 <= len(number) <= 8
        assert all(char in string.digits for char in day + number)


@given(digits=st.text(st.characters(categories=["Nd"]), min_size=4, max_size=4))
def test_codes_with_digits_of_other_scripts_are_invalid(digits: str) -> None:
    code = f"000.00.15.H27-260302-{digits}"
    assert valid_code(code) == digits.isascii()


@pytest.mark.django_db
@settings(max_examples=25)
@given(day=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_every_allocated_code_is_valid_and_carries_its_day(world: World, day: date) -> None:
    code = dossier_code_allocate(agency=world.subject_agency, day=day)
    assert valid_code(code)
    assert code.startswith(f"{world.subject_agency.code}-{day:%y%m%d}-")


@pytest.mark.django_db
@settings(max_examples=50)
@given(tail=st.text(max_size=6))
def test_any_phone_tail_is_refused_by_shape_or_not_found_never_a_crash(world: World, tail: str) -> None:
    with pytest.raises(DomainError) as refused:
        dossier_track(code="000.00.15.H27-260302-0001", client=uuid4().hex, phone_last4=tail)
    shaped = len(tail) == 4 and tail.isascii() and tail.isdigit()
    assert refused.value.code == ("tracking_not_found" if shaped or not tail else "invalid_phone_digits")
