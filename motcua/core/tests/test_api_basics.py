"""The API's outside contract: health, one error shape, never an HTML page."""

from __future__ import annotations

import pytest
from django.test import Client

import motcua


@pytest.mark.django_db
def test_health_reports_database_engine_and_version(client: Client) -> None:
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}
    assert body["version"] == motcua.__version__


def test_openapi_document_is_served(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/health" in document["paths"]


def test_unknown_api_path_answers_json_not_html(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unknown_endpoint"


def test_openapi_document_declares_the_error_answers(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    staff_only = document["paths"]["/api/v1/dossiers"]["get"]["responses"]
    assert {"200", "401", "403", "422", "4XX", "500"} <= set(staff_only)
    assert staff_only["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    public = document["paths"]["/api/v1/health"]["get"]["responses"]
    assert "401" not in public
    assert "4XX" in public
