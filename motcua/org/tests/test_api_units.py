"""`GET /api/v1/units`: the units of a province, keyset-paginated."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.org.services import units_load


@pytest.fixture
def units(db: None) -> None:
    units_load()


@pytest.mark.usefixtures("units")
def test_lists_the_99_units_of_lao_cai(client: Client, django_assert_max_num_queries: Any) -> None:
    # One query for the province, one for the page: no query per unit.
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/units", {"province": "15"})

    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 99
    assert body["next_cursor"] is None
    assert body["items"][0] == {"code": "02647", "name": "Phường Lào Cai", "type": "phường", "province": "15"}


@pytest.mark.usefixtures("units")
def test_pages_follow_the_cursor_without_gaps_or_repeats(client: Client) -> None:
    codes: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"province": "15", "limit": "40"} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/units", params).json()
        codes += [item["code"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert len(codes) == len(set(codes)) == 99
    assert codes == sorted(codes)


@pytest.mark.usefixtures("units")
def test_unknown_province_is_404_with_stable_code(client: Client) -> None:
    response = client.get("/api/v1/units", {"province": "99"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_province"


@pytest.mark.usefixtures("units")
def test_limit_above_200_is_refused(client: Client) -> None:
    response = client.get("/api/v1/units", {"province": "15", "limit": "500"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_limit"
