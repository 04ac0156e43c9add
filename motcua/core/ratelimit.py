"""Fixed-window request limits shared by every server process (public lookups that must not be brute-forced).

The counters live in the database (`RateLimitBucket`), not in Django's cache: the database cache's
`incr` reads then writes, so parallel requests from several gunicorn workers lose increments, while a
single upsert (`INSERT … ON CONFLICT DO UPDATE SET hits = hits + 1`) is atomic on SQLite and PostgreSQL alike and needs no
`createcachetable` step. A limit is written `"<hits>/<seconds>"`, as the settings spell it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import RateLimitBucket


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        hits, _, seconds = text.partition("/")
        return cls(int(hits), int(seconds))


def client_address(request: HttpRequest) -> str:
    """The peer address. Forwarded headers are not trusted: a client could set them to dodge the limit."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def ratelimit_hit(*, scope: str, key: str, limit: Limit, now: datetime | None = None) -> None:
    """Count one hit of `key` in `scope`; `RateLimited` once the window holds more than `limit.hits`."""
    hits = ratelimit_count(scope=scope, key=key, limit=limit, now=now, add=1)
    if hits > limit.hits:
        raise RateLimited(retry_after_s=limit.seconds)


def ratelimit_check(*, scope: str, key: str, limit: Limit, now: datetime | None = None) -> None:
    """`RateLimited` when the window already holds `limit.hits`, without counting (for failure-only limits)."""
    if ratelimit_count(scope=scope, key=key, limit=limit, now=now, add=0) >= limit.hits:
        raise RateLimited(retry_after_s=limit.seconds)


def ratelimit_count(*, scope: str, key: str, limit: Limit, now: datetime | None = None, add: int) -> int:
    """Add `add` hits to the current window of `key` and return its total."""
    at = now or timezone.now()
    window = int(at.timestamp()) // limit.seconds
    bucket = f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:64]}"[:80]
    table = RateLimitBucket._meta.db_table
    if not add:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT hits FROM {table} WHERE bucket = %s AND "window" = %s', [bucket, window])  # noqa: S608 - table name from the model
            found = cursor.fetchone()
        return int(found[0]) if found else 0
    # One autocommit statement on both databases: opening the window and counting on it cannot race, and a
    # lookup costs one round trip instead of a transaction of three.
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (bucket, "window", hits, expires_at) VALUES (%s, %s, %s, %s) '  # noqa: S608 - table name from the model
            f'ON CONFLICT (bucket, "window") DO UPDATE SET hits = {table}.hits + excluded.hits RETURNING hits',
            [bucket, window, add, at + timedelta(seconds=limit.seconds)],
        )
        (hits,) = cursor.fetchone()
    if hits == add:
        # The window was opened by this hit (once per client per period): the moment to drop finished ones.
        RateLimitBucket.objects.filter(expires_at__lt=at).delete()
    return int(hits)
