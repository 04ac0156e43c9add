"""The database rate limiter: windows, several keys, expiry, concurrency across connections."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.models import RateLimitBucket
from motcua.core.ratelimit import Limit, RateLimited, ratelimit_check, ratelimit_count, ratelimit_hit

pytestmark = pytest.mark.django_db


def test_the_limit_engages_after_n_hits_and_per_key() -> None:
    limit = Limit.parse("3/60")
    for _ in range(3):
        ratelimit_hit(scope="s", key="a", limit=limit)
    with pytest.raises(RateLimited) as error:
        ratelimit_hit(scope="s", key="a", limit=limit)
    assert (error.value.status, error.value.code) == (429, "rate_limited")
    ratelimit_hit(scope="s", key="b", limit=limit)
    ratelimit_hit(scope="other", key="a", limit=limit)


def test_a_new_window_starts_afresh_and_old_ones_are_dropped() -> None:
    limit = Limit.parse("1/60")
    now = timezone.now()
    ratelimit_hit(scope="s", key="198.51.100.7", limit=limit, now=now)
    with pytest.raises(RateLimited):
        ratelimit_check(scope="s", key="198.51.100.7", limit=limit, now=now)
    later = now + timedelta(seconds=180)
    ratelimit_hit(scope="s", key="198.51.100.7", limit=limit, now=later)
    assert RateLimitBucket.objects.count() == 1
    assert "198.51" not in RateLimitBucket.objects.get().bucket  # keys are hashed


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted() -> None:
    limit = Limit.parse("1000/600")

    def hit(_: int) -> None:
        try:
            ratelimit_count(scope="s", key="a", limit=limit, add=1)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(hit, range(40)))

    assert ratelimit_count(scope="s", key="a", limit=limit, add=0) == 40


def test_a_hit_is_one_statement_outside_any_transaction() -> None:
    """The public tracking lookup pays for its limit in round trips: one upsert, no BEGIN/COMMIT."""
    limit = Limit.parse("10/60")
    ratelimit_hit(scope="s", key="a", limit=limit)
    with CaptureQueriesContext(connection) as queries:
        ratelimit_hit(scope="s", key="a", limit=limit)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert ratelimit_count(scope="s", key="a", limit=limit, add=0) == 2
