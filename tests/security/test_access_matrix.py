"""Every route × every actor (issue #10, Access): the outcome of each cell is the one `matrix.CASES` names.

The site's URL resolver and the OpenAPI document are enumerated and compared with the table, so a new
route or API operation without its row fails `test_every_route_is_in_the_matrix`. The admin is checked
model by model from the admin site's registry. Each actor's request runs in a savepoint rolled back
afterwards, so every actor meets the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ReliabilityFigure
from motcua.api import api
from tests.security.conftest import close_stream
from tests.security.matrix import CASES, CITIZEN_LOGIN, LOGIN, OK, Case, Outcome, everyone, markdown
from tests.security.scene import ACTORS, PDF, Scene

# The scene is built once per module (conftest); each test's own transaction is a savepoint inside it.
pytestmark = pytest.mark.django_db

#: Sign-in pages a refused browser is sent to (with `?next=`).
STAFF_SIGN_IN = ("/can-bo/dang-nhap/", "/queue/login/", "/admin/login/")
CITIZEN_SIGN_IN = "/dang-nhap/"


def resolver_routes() -> set[str]:
    """Every route pattern of the site outside the admin; API operations come from the OpenAPI document."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern), entry

    return {
        route
        for route, entry in walk(get_resolver().url_patterns, "")
        if not route.startswith("admin/") and getattr(entry.callback, "__module__", "") != "ninja.operation"
    }


def api_operations() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, operations in paths.items() for method in operations}


def test_every_route_is_in_the_matrix() -> None:
    listed = {case.route for case in CASES}
    expected = resolver_routes() | api_operations()
    assert expected - listed == set(), "routes without a row in tests/security/matrix.py"
    assert listed - expected == set(), "rows of tests/security/matrix.py for routes that do not exist"


def test_the_documented_matrix_is_current() -> None:
    written = (Path(__file__).resolve().parents[2] / "docs" / "access-matrix.md").read_text(encoding="utf-8")
    assert written == markdown(), "run .venv/bin/python -m tests.security.matrix_doc"


def test_every_cell_is_explicit(reliability_figure: ReliabilityFigure) -> None:
    for case in CASES:
        assert set(case.expect) == set(ACTORS), case.id
        assert set(case.expect.values()) <= {OK, LOGIN, CITIZEN_LOGIN, 401, 403, 404}, case.id
    section = "Access matrix"
    reliability_figure(section, "routes and API operations in the matrix", len({case.route for case in CASES}))
    reliability_figure(section, "route × actor cells requested", len(CASES) * len(ACTORS))
    reliability_figure(section, "admin pages × actor cells requested", (len(admin_cases()) + 1) * len(ACTORS))
    reliability_figure(
        section,
        "routes missing from the matrix",
        len((resolver_routes() | api_operations()) - {case.route for case in CASES}),
        "0",
    )


def outcome(response: HttpResponseBase) -> Outcome:
    if response.streaming:
        close_stream(response)
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if location.startswith(STAFF_SIGN_IN) and "next=" in location:
        return LOGIN
    if location.startswith(CITIZEN_SIGN_IN) and "next=" in location:
        return CITIZEN_LOGIN
    templates = {t.name for t in getattr(response, "templates", [])}
    if "portal/submission_sign_in.html" in templates:
        return CITIZEN_LOGIN
    if response.status_code in (401, 403, 404):
        return response.status_code
    if response.status_code == 500:
        return f"error {response.status_code}"
    return OK


def request(scene: Scene, case: Case, actor: str) -> HttpResponseBase:
    client: Client = scene.client(actor)
    url = case.url(scene)
    headers = scene.api_headers(actor) if case.route.startswith(f"{case.method} /api/") else {}
    if case.method == "GET":
        return client.get(url, headers=headers)
    if case.files:
        return client.post(url, {"file": SimpleUploadedFile("to-khai.pdf", PDF)}, headers=headers)
    body = case.body(scene) if case.body else {}
    if case.json:
        return client.post(url, body, content_type="application/json", headers=headers)
    return client.post(url, body, headers=headers)


def outcomes(send: Callable[[str], HttpResponseBase]) -> dict[str, Outcome]:
    """What each actor gets, each request in a savepoint rolled back afterwards."""
    got: dict[str, Outcome] = {}
    for actor in ACTORS:
        with transaction.atomic():
            got[actor] = outcome(send(actor))
            transaction.set_rollback(True)
    return got


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matrix(scene: Scene, case: Case) -> None:
    got = outcomes(lambda actor: request(scene, case, actor))
    wrong = {
        actor: f"expected {case.expect[actor]}, got {got[actor]}"
        for actor in ACTORS
        if got[actor] != case.expect[actor]
    }
    assert wrong == {}


def admin_cases() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    )


@pytest.mark.parametrize("url", ["/admin/", *admin_cases()])
def test_admin_is_for_system_admins_only(scene: Scene, url: str) -> None:
    assert outcomes(lambda actor: scene.client(actor).get(url)) == everyone(LOGIN) | {"admin": OK}
