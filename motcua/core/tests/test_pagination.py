from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from motcua.core.errors import InvalidInput
from motcua.core.models import RateLimitBucket
from motcua.core.pagination import check_limit, decode_cursor, encode_cursor, keyset_page


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


@pytest.mark.django_db
@pytest.mark.parametrize("keys", [["hits", "id"], ["-hits", "-id"], ["expires_at", "id"], ["hits", "-id"], ["-id"]])
def test_walking_every_page_gives_each_row_once_in_order(keys: list[str]) -> None:
    # Ties in the first key (hits 0–3, four expiry times), so the second key decides within a tie: the row
    # value (k1, k2) > (v1, v2) when both keys run one way, the OR form when they do not.
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    RateLimitBucket.objects.bulk_create(
        RateLimitBucket(bucket=f"b{n}", window=n, hits=n % 4, expires_at=start + timedelta(minutes=n % 4))
        for n in range(23)
    )
    expected = list(RateLimitBucket.objects.order_by(*keys).values_list("pk", flat=True))
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor = keyset_page(RateLimitBucket.objects.all(), keys=keys, cursor=cursor, limit=5)
        seen.extend(row.pk for row in rows)
        if cursor is None:
            break
    assert seen == expected
