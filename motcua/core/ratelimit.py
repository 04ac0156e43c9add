"""Fixed-window request limits shared by every server process (public lookups that must not be brute-forced).

The counters live in the database (`RateLimitBucket`), not in Django's cache: the database cache's
`incr` reads then writes, so parallel requests from several gunicorn workers lose increments, while a
single `UPDATE … SET hits = hits + 1` is atomic on SQLite and PostgreSQL alike and needs no
`createcachetable` step. A limit is written `"<hits>/<seconds>"`, as the settings spell it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
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
    rows = RateLimitBucket.objects.filter(bucket=bucket, window=window)
    with transaction.atomic():
        if add and not rows.update(hits=F("hits") + add):
            _open_window(bucket, window, add, now=at, expires_at=at + timedelta(seconds=limit.seconds))
        found = rows.values_list("hits", flat=True).first()
    return found or 0


def _open_window(bucket: str, window: int, hits: int, *, now: datetime, expires_at: datetime) -> None:
    try:
        with transaction.atomic():
            RateLimitBucket.objects.create(bucket=bucket, window=window, hits=hits, expires_at=expires_at)
    except IntegrityError:
        # Another process opened the window between our UPDATE and INSERT: count on its row.
        RateLimitBucket.objects.filter(bucket=bucket, window=window).update(hits=F("hits") + hits)
        return
    # A new window is rare (once per client per period): the moment to drop finished ones.
    RateLimitBucket.objects.filter(expires_at__lt=now).delete()
