from __future__ import annotations

import pytest

from motcua.core.errors import InvalidInput
from motcua.core.pagination import check_limit, decode_cursor, encode_cursor


def test_cursor_round_trips_values() -> None:
    assert decode_cursor(encode_cursor(["1.001193", 42]), 2) == ["1.001193", 42]


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", encode_cursor(["a"])])
def test_malformed_cursor_is_a_clear_error(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(cursor, 2)
    assert caught.value.code == "invalid_cursor"


@pytest.mark.parametrize("limit", [0, -1, 201])
def test_limit_outside_bounds_is_refused(limit: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_limit(limit)
    assert caught.value.code == "invalid_limit"
