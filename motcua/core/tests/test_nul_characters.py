"""NUL characters (U+0000) in a path, query or body are refused before any query: PostgreSQL text
cannot hold them, and the driver's error used to surface as a 500."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/procedures/a%00b",
        "/api/v1/procedures/search?q=gi%E1%BA%A5y%00",
        "/api/v1/units?province=1%00",
        "/api/v1/queue/centers/%00/board",
    ],
)
def test_api_refuses_nul_in_path_and_query(db: None, client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_characters"


def test_api_refuses_nul_in_a_json_body(db: None, client: Client) -> None:
    body = '{"center": "02647", "service": "A\\u0000"}'

    response = client.post("/api/v1/queue/tickets", body, content_type="application/json")

    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_characters")


def test_pages_refuse_nul_with_a_plain_400(db: None, client: Client) -> None:
    response = client.get("/tra-cuu/?q=%00")

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_ordinary_input_passes(db: None, client: Client) -> None:
    assert client.get("/api/v1/procedures/search?q=gi%E1%BA%A5y%20khai%20sinh").status_code == 200
    # A JSON string may spell a backslash followed by u0000 without holding a NUL.
    body = '{"center": "none", "service": "\\\\u0000"}'
    assert client.post("/api/v1/queue/tickets", body, content_type="application/json").json()["error"]["code"] != (
        "invalid_characters"
    )
