"""`GET /reports/index766` (api-contract.md) and `GET /reports/brokers` (supervisors)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.core.errors import PermissionDenied
from motcua.org.auth import staff_auth
from motcua.org.models import StaffUser
from motcua.reports.brokers import brokers_detect
from motcua.reports.index766 import IndexSet
from motcua.reports.periods import period_parse
from motcua.reports.person_export import person_export
from motcua.reports.selectors import actor_province, index766_for_actor, is_supervisor

router = Router(tags=["reports"])


class IndexQuery(Schema):
    unit: str
    period: str


class BrokerQuery(Schema):
    period: str


class PersonExportIn(Schema):
    personal_id: str


def _actor(request: HttpRequest) -> StaffUser:
    assert isinstance(request.user, StaffUser)
    return request.user


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def index_set_out(indices: IndexSet) -> dict[str, object]:
    return {
        "unit": indices.scope,
        "name": indices.scope_name,
        "period": {"key": indices.period.key, "label": indices.period.label,
                   "start": indices.period.start.isoformat(), "end": indices.period.end.isoformat()},
        "refreshed_at": indices.refreshed_at.isoformat() if indices.refreshed_at else None,
        "groups": [
            {
                "code": g.code, "name": g.name, "score": float(g.score), "max": float(g.max),
                "max_counted": float(g.max_counted),
                "indices": [
                    {
                        "code": i.code, "name": i.name, "rate": _number(i.rate), "numerator": i.numerator,
                        "denominator": i.denominator, "score": _number(i.score), "max": float(i.max),
                        "threshold": _number(i.threshold), "formula": i.formula, "value": i.value,
                        "information_only": i.information_only,
                        "not_available": i.unavailable or ("Mẫu số bằng 0" if i.rate is None and not i.information_only else None),
                    }
                    for i in g.indices
                ],
            }
            for g in indices.groups
        ],
        "total": {"score": float(indices.score), "max_counted": float(indices.max_counted), "max": 100.0,
                  "not_counted": indices.excluded},
    }  # fmt: skip


@router.get("/reports/index766", auth=staff_auth)
def index766(request: HttpRequest, query: Query[IndexQuery]) -> dict[str, object]:
    return index_set_out(index766_for_actor(_actor(request), unit=query.unit, period=query.period))


@router.get("/reports/brokers", auth=staff_auth)
def brokers(request: HttpRequest, query: Query[BrokerQuery]) -> dict[str, object]:
    actor = _actor(request)
    province = actor_province(actor)
    if not is_supervisor(actor) or province is None:
        raise PermissionDenied("Chỉ cán bộ giám sát cấp tỉnh xem được danh sách nghi vấn.")
    period = period_parse(query.period)
    found = brokers_detect(province=province, start=period.start, end=period.end)
    return {"period": period.key, "items": [vars(s) for s in found]}


@router.post("/reports/person-export", auth=staff_auth, summary="Everything held about one person (supervisors)")
def person_export_api(request: HttpRequest, body: PersonExportIn) -> dict[str, object]:
    # POST: the personal ID travels in the body, never in a URL that access logs keep.
    return person_export(actor=_actor(request), personal_id=body.personal_id)
