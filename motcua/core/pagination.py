"""Keyset pagination: opaque cursors over an ordered, unique key (api-contract.md: `items`, `next_cursor`)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]  # no stubs yet
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)

from motcua.core.errors import InvalidInput

MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("Con trỏ phân trang không hợp lệ.", code="invalid_cursor") from exc
    if not isinstance(values, list) or len(values) != size:
        raise InvalidInput("Con trỏ phân trang không hợp lệ.", code="invalid_cursor")
    return values


def check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput(
            f"Tham số limit phải từ 1 đến {MAX_LIMIT}.", code="invalid_limit", limit=limit, max=MAX_LIMIT
        )
    return limit


def keyset_page(
    queryset: QuerySet[M], *, keys: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `queryset` ordered by `keys` (ascending; prefix a key with '-' for descending).

    The last key must be unique. Returns the rows and the cursor of the next page (None at the end).
    """
    check_limit(limit)
    queryset = queryset.order_by(*keys)
    if cursor:
        values = decode_cursor(cursor, len(keys))
        queryset = queryset.filter(_after(keys, values))
        if len(keys) > 1 and len({key.startswith("-") for key in keys}) == 1:
            # Implied by the row value, but PostgreSQL estimates a row comparison at a third of the rows
            # whatever the cursor: on a skewed queue it then sorted all 9,000 rows after the cursor (19 ms)
            # instead of reading 51 in index order (0.7 ms). The plain bound gets the histogram's estimate.
            first = keys[0]
            bound = "lte" if first.startswith("-") else "gte"
            queryset = queryset.filter(**{f"{first.lstrip('-')}__{bound}": values[0]})
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([_attr(last, key.lstrip("-")) for key in keys])
    return rows, next_cursor


def _after(keys: Sequence[str], values: list[Any]) -> Q | TupleGreaterThan | TupleLessThan:
    """Rows after the cursor. Keys all in one direction: the row value `(k1, k2) > (v1, v2)`, which
    PostgreSQL reads as one range of an index on (…, k1, k2); mixed directions: k1 > v1 OR (k1 = v1 AND
    k2 > v2) OR …, which it answers with a bitmap OR over the whole filtered set."""
    names = [key.lstrip("-") for key in keys]
    descending = {key.startswith("-") for key in keys}
    if len(keys) > 1 and len(descending) == 1:
        lookup = TupleLessThan if descending == {True} else TupleGreaterThan
        return lookup(Tuple(*(F(name) for name in names)), values)
    condition = Q()
    equal = Q()
    for key, name, value in zip(keys, names, values, strict=True):
        op = "lt" if key.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{op}": value})
        equal &= Q(**{name: value})
    return condition


def _attr(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
