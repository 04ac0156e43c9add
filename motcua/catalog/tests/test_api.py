"""Public procedure endpoints: filters, keyset pages, one procedure, errors, query counts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Level, OnlineLevel
from motcua.catalog.services.workflow import workflow_template_reset
from motcua.catalog.tests.factories import (
    ChannelFactory,
    ComponentFactory,
    FieldFactory,
    ProcedureFactory,
    procedure_with_version,
)

pytestmark = pytest.mark.django_db

MaxQueries = Callable[..., AbstractContextManager[Any]]


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_list_items_have_the_contract_fields(client: Client) -> None:
    ProcedureFactory.create(code="1.000001", levels=[Level.MINISTRY, Level.PROVINCE])

    item = client.get("/api/v1/procedures").json()["items"][0]

    assert item["code"] == "1.000001"
    assert item["level"] == "ministry"
    assert item["levels"] == ["ministry", "province"]
    assert item["online_level"] == "partial"
    assert item["boundary_free"] is True
    assert item["processing_time"] == {"amount": 5.0, "unit": "working_days", "text": "5 Ngày làm việc"}
    assert item["field"].startswith("Lĩnh vực")


def test_filters_by_level_field_boundary_free_and_online_level(client: Client) -> None:
    justice = FieldFactory.create(code="ho-tich", name="Hộ tịch")
    ProcedureFactory.create(code="1.000001", levels=[Level.PROVINCE, Level.COMMUNE], field=justice)
    ProcedureFactory.create(code="1.000002", ministry=True)
    ProcedureFactory.create(code="1.000003", commune=True, offline=True)

    assert codes(client.get("/api/v1/procedures?level=commune")) == ["1.000001", "1.000003"]
    assert codes(client.get("/api/v1/procedures?field=ho-tich")) == ["1.000001"]
    assert codes(client.get("/api/v1/procedures?field=Hộ tịch")) == ["1.000001"]
    assert codes(client.get("/api/v1/procedures?boundary_free=false")) == ["1.000002"]
    assert codes(client.get("/api/v1/procedures?online_level=none")) == ["1.000003"]


def test_keyset_pages_cover_every_procedure_once(client: Client) -> None:
    for n in range(7):
        ProcedureFactory.create(code=f"1.00000{n}")

    seen: list[str] = []
    url = "/api/v1/procedures?limit=3"
    while True:
        body = client.get(url).json()
        seen += [item["code"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        url = f"/api/v1/procedures?limit=3&cursor={body['next_cursor']}"

    assert seen == [f"1.00000{n}" for n in range(7)]


def test_list_runs_a_constant_number_of_queries(client: Client, django_assert_max_num_queries: MaxQueries) -> None:
    for _ in range(30):
        procedure_with_version()

    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/procedures?limit=200&level=province&boundary_free=true")

    assert len(response.json()["items"]) == 30


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("level=district", "invalid_level"),
        ("field=khong-co", "invalid_field"),
        ("boundary_free=maybe", "invalid_boundary_free"),
        ("online_level=half", "invalid_online_level"),
        ("limit=201", "invalid_limit"),
        ("cursor=%%%", "invalid_cursor"),
    ],
)
def test_bad_filters_answer_422_with_a_specific_code(client: Client, query: str, code: str) -> None:
    response = client.get(f"/api/v1/procedures?{query}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


def test_detail_has_components_fees_channels_legal_basis_and_workflow(client: Client) -> None:
    procedure = procedure_with_version(code="1.001193", online_level=OnlineLevel.PARTIAL)
    version = procedure.current_version
    assert version is not None
    ChannelFactory.create(version=version, online=True, free=True, position=2)
    ComponentFactory.create(version=version, code="to-khai", name="Tờ khai", required=True)
    version.legal_bases.create(position=1, title="Luật Hộ tịch", number="60/2014/QH13", year=2014)
    workflow_template_reset(procedure=procedure)

    body = client.get("/api/v1/procedures/1.001193").json()

    assert body["components"][0] == {
        "code": "to-khai",
        "name": "Tờ khai",
        "required": True,
        "group": "",
        "form": "",
        "count": 1,
        "copy_kind": "original",
        "quantity_text": "",
        "channels": [],
    }
    assert [c["kind"] for c in body["channels"]] == ["direct", "online"]
    assert body["channels"][0]["time_limit"]["amount"] == 5.0
    assert [(f["channel"], f["amount"]) for f in body["fees"]] == [("direct", 50000.0), ("online", 0.0)]
    assert body["legal_basis"] == [{"title": "Luật Hộ tịch", "number": "60/2014/QH13", "year": 2014}]
    assert body["version"]["number"] == 1
    assert body["version"]["effective_from"].endswith("+07:00")
    steps = body["workflow"]["steps"]
    assert sum(Decimal(str(s["budget_days"])) for s in steps) == Decimal(5)
    assert body["workflow"]["limit_days"] == 5.0


def test_detail_of_a_procedure_without_version_or_workflow(client: Client) -> None:
    ProcedureFactory.create(code="1.000009")

    body = client.get("/api/v1/procedures/1.000009").json()

    assert (body["version"], body["workflow"], body["components"]) == (None, None, [])


def test_unknown_procedure_is_404_with_a_stable_code(client: Client) -> None:
    response = client.get("/api/v1/procedures/9.999999")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_procedure"
