"""Public organization endpoints: administrative units."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.core.pagination import keyset_page
from motcua.org.selectors import units_of_province

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    type: str
    province: str


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class UnitFilter(Schema):
    province: str | None = None
    cursor: str | None = None
    limit: int = 200


@router.get("/units", response=UnitPage, auth=None, summary="Administrative units (communes, wards)")
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> UnitPage:
    rows, next_cursor = keyset_page(
        units_of_province(filters.province), keys=["code"], cursor=filters.cursor, limit=filters.limit
    )
    return UnitPage(
        items=[UnitOut(code=u.code, name=u.name, type=u.type, province=u.province_id) for u in rows],
        next_cursor=next_cursor,
    )
