"""Procedure search (tra cứu thủ tục): accent-insensitive, typo-tolerant, synonym-aware BM25 ranking
over the catalog, used by the API, the lookup kiosk and the portal."""

from motcua.catalog.search.engine import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    SearchFilters,
    search_fields,
    search_index,
    search_procedures,
)
from motcua.catalog.search.index import Hit

__all__ = [
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "Hit",
    "SearchFilters",
    "search_fields",
    "search_index",
    "search_procedures",
]
