"""`GET /api/v1/procedures/search` and the engine behind it: ranking on real records, filters, index
rebuilt when the catalog changes, and bad input answered with 422, never 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.catalog.search import search_procedures
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.catalog.tests.search_support import fresh_search_index, import_sample

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_search_index")]
__all__ = ["fresh_search_index"]


@pytest.fixture
def sample(tmp_path: Path) -> None:
    import_sample(tmp_path)


def search(client: Client, **params: Any) -> tuple[int, Any]:
    response = client.get("/api/v1/procedures/search", params)
    return response.status_code, response.json()


def codes(body: Any) -> list[str]:
    return [item["code"] for item in body["items"]]


@pytest.mark.usefixtures("sample")
def test_ranked_items_with_code_name_score(client: Client) -> None:
    status, body = search(client, q="lam giay khai sinh cho con", limit=3)

    assert status == 200
    items = body["items"]
    assert isinstance(items, list)
    assert items[0]["code"] == "1.001193"
    assert set(items[0]) == {"code", "name", "score"}
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.usefixtures("sample")
def test_filters_by_level_field_and_online_level(client: Client) -> None:
    _, body = search(client, q="giấy phép lái xe", level="commune")
    assert "3.000346" not in codes(body)
    _, body = search(client, q="giấy phép lái xe", level="ministry")
    assert codes(body)[:1] == ["3.000346"]

    field = Procedure.objects.get(code="1.001193").field
    assert field is not None
    _, body = search(client, q="đăng ký", field=field.code)
    assert set(codes(body)) <= {"1.001193", "1.000656", "1.000894", "1.004873"}

    death = Procedure.objects.get(code="1.000656")
    death.online_level = OnlineLevel.FULL
    death.save()  # as the admin does: `updated_at` moves, so the index is rebuilt
    _, body = search(client, q="đăng ký", online_level="full")
    assert "1.000656" in codes(body)
    assert set(Procedure.objects.filter(code__in=codes(body)).values_list("online_level", flat=True)) == {"full"}


def test_index_follows_the_catalog() -> None:
    assert search_procedures("cấp phép nuôi chim yến") == []
    ProcedureFactory.create(code="9.000001", name="Cấp phép nuôi chim yến")
    assert [h.code for h in search_procedures("nuoi chim yen")] == ["9.000001"]
    Procedure.objects.filter(code="9.000001").update(name="Thủ tục khác")
    ProcedureFactory.create(code="9.000002", name="Đăng ký nuôi chim yến")  # the signature changes
    assert [h.code for h in search_procedures("chim yến")] == ["9.000002"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, "empty_query"),
        ({"q": "   "}, "empty_query"),
        ({}, "empty_query"),
        ({"q": "x" * 201}, "query_too_long"),
        ({"q": "khai sinh", "limit": 0}, "invalid_limit"),
        ({"q": "khai sinh", "limit": 51}, "invalid_limit"),
        ({"q": "khai sinh", "limit": "many"}, "invalid_input"),
        ({"q": "khai sinh", "level": "galaxy"}, "invalid_level"),
        ({"q": "khai sinh", "online_level": "maybe"}, "invalid_online_level"),
        ({"q": "khai sinh", "field": "không-có"}, "invalid_field"),
    ],
)
def test_bad_input_is_422_with_a_stable_code(client: Client, params: dict[str, Any], code: str) -> None:
    status, body = search(client, **params)

    assert status == 422
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert error["message"]


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE x; --", "%%%", "\x01\x02", "🙂🙂", "a", "đ" * 200, "<script>alert(1)</script>", "1.001193"]
)
def test_odd_queries_never_fail(client: Client, q: str) -> None:
    ProcedureFactory.create(code="9.000003", name="Đăng ký khai sinh")
    status, body = search(client, q=q)
    assert status == 200
    assert isinstance(body["items"], list)


def test_a_nul_character_is_refused_with_a_code(client: Client) -> None:
    """PostgreSQL cannot hold NUL: every request carrying one is refused before any query (core middleware)."""
    status, body = search(client, q="khai\x00sinh")
    assert (status, body["error"]["code"]) == (422, "invalid_characters")


def test_search_is_not_taken_for_a_procedure_code(client: Client) -> None:
    status, body = search(client, q="khai sinh")
    assert status == 200
    assert "items" in body
