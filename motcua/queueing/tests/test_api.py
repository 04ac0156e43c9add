"""The queue endpoints of api-contract.md: shapes, auth, permission failures, error shape, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.org.services import api_token_create
from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing.services.counter import ticket_call_next
from motcua.queueing.tests.conftest import Hall


def bearer(username: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api_token_create(username=username)}"}


def issue(client: Client, hall: Hall, service: str = "A") -> Any:
    return client.post(
        "/api/v1/queue/tickets", {"center": hall.center.code, "service": service}, content_type="application/json"
    )


def test_issue_returns_number_time_people_ahead_and_estimate(client: Client, hall: Hall) -> None:
    issue(client, hall)
    issue(client, hall)

    response = issue(client, hall)

    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "A003"
    assert body["issued_at"].endswith("+07:00")
    assert body["waiting_before"] == 2
    assert body["estimated_wait_s"] == 2 * 600  # default service time, one counter open at most
    assert body["position_url"].startswith("http://testserver/queue/t/")


def test_issue_errors_use_the_standard_shape(client: Client, hall: Hall) -> None:
    unknown = client.post(
        "/api/v1/queue/tickets", {"center": "nowhere", "service": "A"}, content_type="application/json"
    )
    invalid = client.post("/api/v1/queue/tickets", {"center": hall.center.code}, content_type="application/json")

    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_center"
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid_input"


def test_call_next_needs_a_token_of_an_officer_of_the_center(client: Client, hall: Hall) -> None:
    url = f"/api/v1/queue/counters/{hall.counters[0].id}/call-next"
    StaffUserFactory.create(username="stranger")
    StaffUserFactory.create(username="officer", center=hall.center)

    assert client.post(url).status_code == 401
    forbidden = client.post(url, headers=bearer("stranger"))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "counter_forbidden"


def test_call_next_returns_the_called_ticket_then_204_when_empty(client: Client, hall: Hall) -> None:
    StaffUserFactory.create(username="officer", center=hall.center)
    headers = bearer("officer")
    issue(client, hall, "B")
    url = f"/api/v1/queue/counters/{hall.counters[1].id}/call-next"

    called = client.post(url, headers=headers)
    empty = client.post(url, headers=headers)

    assert called.status_code == 200
    assert called.json()["number"] == "B001"
    assert called.json()["status"] == "called"
    assert called.json()["counter"] == 2
    assert empty.status_code == 204
    assert client.post("/api/v1/queue/counters/999999/call-next", headers=headers).status_code == 404


def test_counter_actions_over_the_api(client: Client, hall: Hall) -> None:
    StaffUserFactory.create(username="officer", center=hall.center)
    headers = bearer("officer")
    issue(client, hall)
    base = f"/api/v1/queue/counters/{hall.counters[0].id}"
    client.post(f"{base}/call-next", headers=headers)

    assert client.post(f"{base}/recall", headers=headers).json()["status"] == "called"
    assert client.post(f"{base}/start", headers=headers).json()["status"] == "serving"
    ended = client.post(
        f"{base}/end", {"dossier_codes": ["H38.101-260302-0001"]}, content_type="application/json", headers=headers
    )
    assert ended.json()["status"] == "done"
    assert client.post(f"{base}/end", {}, content_type="application/json", headers=headers).status_code == 409
    assert client.post(f"{base}/break", headers=headers).status_code == 204


def test_board_lists_calls_and_waiting_counts_in_a_fixed_number_of_queries(client: Client, hall: Hall) -> None:
    for service in ["A", "A", "B"]:
        issue(client, hall, service)
    ticket_call_next(counter_id=hall.counters[2].id, actor=None)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/queue/centers/{hall.center.code}/board")

    body = response.json()
    assert response.status_code == 200
    assert body["center"] == hall.center.code
    assert [(c["counter"], c["number"]) for c in body["calls"]] == [(3, "A001")]
    assert body["calls"][0]["called_at"].endswith("+07:00")
    assert [(s["code"], s["waiting"]) for s in body["services"]] == [("A", 1), ("B", 1), ("C", 0)]
    assert len(queries) == 4


@pytest.mark.django_db
def test_board_of_an_unknown_center_is_404(client: Client) -> None:
    response = client.get("/api/v1/queue/centers/nowhere/board")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_center"


def test_ticket_position_by_token(client: Client, hall: Hall) -> None:
    issued = issue(client, hall).json()
    token = issued["position_url"].rstrip("/").rsplit("/", 1)[1]

    assert client.get(f"/api/v1/queue/tickets/{token}").json()["number"] == "A001"
    assert client.get("/api/v1/queue/tickets/nope").status_code == 404


@pytest.mark.parametrize("counter_id", ["0", "-1", str(2**63), str(-(10**28))])
def test_counter_ids_outside_the_id_range_are_refused_not_crashed(client: Client, hall: Hall, counter_id: str) -> None:
    StaffUserFactory.create(username="officer", center=hall.center)
    url = f"/api/v1/queue/counters/{counter_id}/end"

    response = client.post(url, {}, content_type="application/json", headers=bearer("officer"))

    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_input")
