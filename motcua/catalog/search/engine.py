"""Procedure search as the kiosk, the portal and the desk use it: validation, filters, and one index
per process that is rebuilt when the catalog changes."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from motcua.catalog.models import Field, Level, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalog.search.index import Document, Hit, SearchIndex
from motcua.catalog.search.query import parse_query
from motcua.catalog.search.vocabulary import vocabulary
from motcua.core.errors import InvalidInput

MAX_QUERY_LENGTH = 200
MAX_LIMIT = 50
#: Seconds between two looks at the catalog's signature: three aggregate queries cost about as much
#: as a search, and an officer's edit may take that long to show.
CHECK_INTERVAL = 2.0

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], SearchIndex] | None = None
_checked_at = -math.inf


@dataclass(frozen=True)
class SearchFilters:
    field: str | None = None
    level: str | None = None
    online_level: str | None = None


def catalog_signature() -> tuple[object, ...]:
    """Changes whenever a procedure is added, edited (admin saves bump `updated_at`) or gets a new
    version (imports create versions and set listing columns in bulk, which `updated_at` misses)."""
    procedures = Procedure.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    versions = ProcedureVersion.objects.aggregate(n=Count("pk"), changed=Max("created_at"))
    fields = Field.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return (*procedures.values(), *versions.values(), *fields.values())


def build_index() -> SearchIndex:
    rows = Procedure.objects.values_list("code", "name", "levels", "field__code", "field__name", "online_level")
    return SearchIndex(
        Document(code, name, frozenset(levels or ()), field_code or "", field_name or "", online)
        for code, name, levels, field_code, field_name, online in rows.order_by("code")
    )


def search_index() -> SearchIndex:
    """The process's index; rebuilt when `catalog_signature()` differs from the one it was built at,
    looked at no more than once every CHECK_INTERVAL seconds."""
    global _cached, _checked_at
    cached = _cached
    if cached is not None and time.monotonic() - _checked_at < CHECK_INTERVAL:
        return cached[1]
    signature = catalog_signature()
    _checked_at = time.monotonic()
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != signature:
            _cached = (signature, build_index())
        return _cached[1]


def _allowed(index: SearchIndex, filters: SearchFilters) -> list[bool] | None:
    if not (filters.field or filters.level or filters.online_level):
        return None
    if filters.level and filters.level not in Level.values:
        raise InvalidInput(
            f"Cấp thực hiện '{filters.level}' không hợp lệ.",
            code="invalid_level",
            level=filters.level,
            allowed=Level.values,
        )
    if filters.online_level and filters.online_level not in OnlineLevel.values:
        raise InvalidInput(
            f"Mức độ trực tuyến '{filters.online_level}' không hợp lệ.",
            code="invalid_online_level",
            online_level=filters.online_level,
            allowed=OnlineLevel.values,
        )
    field_code = None
    if filters.field:
        field_code = (
            Field.objects.filter(Q(code=filters.field) | Q(name=filters.field)).values_list("code", flat=True).first()
        )
        if field_code is None:
            raise InvalidInput(f"Không có lĩnh vực '{filters.field}'.", code="invalid_field", field=filters.field)
    return [
        (field_code is None or d.field_code == field_code)
        and (not filters.level or filters.level in d.levels)
        and (not filters.online_level or d.online_level == filters.online_level)
        for d in index.documents
    ]


def search_fields() -> list[tuple[str, str]]:
    """(code, name) of the fields that have procedures, by name: the choices of the field filter."""
    found = {d.field_code: d.field_name for d in search_index().documents if d.field_code}
    return sorted(found.items(), key=lambda item: item[1].casefold())


def search_procedures(query: str, *, limit: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
    """Procedures ranked for a citizen's question. Raises InvalidInput (422) for an empty or too
    long question, a limit outside 1..50, or an unknown filter value."""
    text = (query or "").strip()
    if not text:
        raise InvalidInput("Vui lòng nhập nội dung cần tìm.", code="empty_query")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            f"Nội dung tìm kiếm dài quá {MAX_QUERY_LENGTH} ký tự.",
            code="query_too_long",
            max_length=MAX_QUERY_LENGTH,
            length=len(text),
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"Số kết quả phải từ 1 đến {MAX_LIMIT}.", code="invalid_limit", limit=limit)
    index = search_index()
    allowed = _allowed(index, filters or SearchFilters())
    concepts = parse_query(text, vocabulary(), index.spellings)
    return index.search(concepts, typed=text, limit=limit, allowed=allowed)
