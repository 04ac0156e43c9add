"""CSRF on every form (issue #10, Access): every route of the site that a browser can POST to, signed out,
as a citizen and as staff, is refused without the CSRF token and passes the check with it; the API, whose
writes authenticate by bearer token only, needs none, and a staff session cookie alone does not
authenticate it (so a forged cross-site request carries no authority there).

The routes come from the URL resolver (the same enumeration as the access matrix), so a new form is
covered the day it is added. The refusal is recognised by a marker failure view, so a page refusing for
another reason is not mistaken for the CSRF check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, override_settings

from conftest import ReliabilityFigure
from tests.security.conftest import close_stream
from tests.security.matrix import CASES, Case
from tests.security.scene import ANONYMOUS, CITIZEN, Scene
from tests.security.test_access_matrix import admin_cases, api_operations, resolver_routes

pytestmark = pytest.mark.django_db

REFUSED = 499
#: Routes that accept a POST without the token, and why that is safe.
EXEMPT = {
    "vneid-sim/token": "the simulator's OAuth token endpoint: called server to server with the client secret, "
    "never by a browser with a cookie",
}
ACTORS = (ANONYMOUS, CITIZEN, "reception", "specialist", "supervisor", "admin")


def csrf_refused(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(f"csrf: {reason}", status=REFUSED)


@pytest.fixture(autouse=True)
def marker_failure_view() -> Iterator[None]:
    with override_settings(CSRF_FAILURE_VIEW=f"{__name__}.csrf_refused"):
        yield


def case_for(route: str) -> Case:
    """The matrix row of the route (its URL built from the scene), the POST one when there is one."""
    rows = [case for case in CASES if case.route == route]
    return next((case for case in rows if case.method == "POST"), rows[0])


def html_routes() -> list[str]:
    return sorted(resolver_routes())


def browser(scene: Scene, actor: str) -> Client:
    """`scene.client(actor)` with the CSRF check a real browser meets (the test client skips it by default)."""
    client = scene.client(actor)
    client.handler.enforce_csrf_checks = True
    return client


def post(client: Client, url: str, data: dict[str, Any], *, json: bool = False, **headers: str) -> int:
    """The status of one POST, in a savepoint rolled back afterwards."""
    with transaction.atomic():
        if json:
            response: HttpResponseBase = client.post(url, data, content_type="application/json", headers=headers)
        else:
            response = client.post(url, data, headers=headers)
        if response.streaming:
            close_stream(response)
        transaction.set_rollback(True)
    return response.status_code


def csrf_token(client: Client) -> str:
    """The token a page's form would carry: the CSRF cookie's secret (Django accepts it unmasked)."""
    client.get("/tra-cuu-ho-so/")
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("route", html_routes())
def test_every_form_needs_the_token(scene: Scene, route: str) -> None:
    case = case_for(route)
    url = case.url(scene)
    data = case.body(scene) if case.body else {}
    for actor in ACTORS:
        client = browser(scene, actor)
        without = post(client, url, data)
        with_token = post(client, url, {**data, "csrfmiddlewaretoken": csrf_token(client)})
        assert with_token != REFUSED, (actor, url)
        if route in EXEMPT:
            assert without != REFUSED, (actor, url)
        else:
            assert without == REFUSED, (actor, url)


def api_posts() -> list[Case]:
    writes = {op for op in api_operations() if not op.startswith("GET ")}
    return [case for case in CASES if case.route in writes]


def test_every_api_write_is_listed(reliability_figure: ReliabilityFigure) -> None:
    writes = {op for op in api_operations() if not op.startswith("GET ")}
    assert writes == {case.route for case in api_posts()}
    section = "CSRF"
    reliability_figure(section, "site routes POSTed without the token", len(html_routes()))
    reliability_figure(section, "admin forms POSTed without the token", len(admin_cases()) + 2)
    reliability_figure(
        section, "routes accepting a POST without the token", len(EXEMPT), "1 (the OAuth token endpoint)"
    )
    reliability_figure(section, "API writes checked (token, no cookie)", len(writes))


@pytest.mark.parametrize("case", api_posts(), ids=[case.id for case in api_posts()])
def test_api_writes_authenticate_by_token_not_by_cookie(scene: Scene, case: Case) -> None:
    url = case.url(scene)
    data = case.body(scene) if case.body else {}
    staff_op = case.expect[ANONYMOUS] == 401
    for actor in ("reception", "specialist", "admin"):
        client = browser(scene, actor)  # signed in: the session cookie goes with every request
        by_cookie = post(client, url, data, json=case.json)
        by_token = post(client, url, data, json=case.json, **scene.api_headers(actor))
        assert by_token != REFUSED, (actor, url)
        assert by_cookie != REFUSED, (actor, url)
        if staff_op:
            assert by_cookie == 401, (actor, url)
            assert by_token != 401, (actor, url)


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/logout/", *admin_cases()])
def test_every_admin_form_needs_the_token(scene: Scene, url: str) -> None:
    """The admin's sign-in, sign-out and every model's list (its bulk actions are POSTs)."""
    for actor in (ANONYMOUS, "admin"):
        client = browser(scene, actor)
        assert post(client, url, {}) == REFUSED, (actor, url)
        assert post(client, url, {"csrfmiddlewaretoken": csrf_token(client)}) != REFUSED, (actor, url)
