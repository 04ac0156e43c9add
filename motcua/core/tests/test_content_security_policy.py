"""The content security policy written once per process is django-csp's own, and everything that changes
it (a nonce, a view's decorator, a report-only policy) still does."""

from __future__ import annotations

import pytest
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from motcua.core import middleware
from motcua.core.middleware import ContentSecurityPolicyMiddleware

HEADER = "Content-Security-Policy"


def _respond(view: object) -> HttpResponse:
    middleware = ContentSecurityPolicyMiddleware(view)  # type: ignore[arg-type]
    response = middleware(RequestFactory().get("/"))
    assert isinstance(response, HttpResponse)
    return response


def _plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("{}", content_type="application/json")


def test_a_response_without_a_nonce_gets_the_configured_policy() -> None:
    first, second = _respond(_plain), _respond(_plain)

    assert first[HEADER] == second[HEADER] == build_policy()
    assert "nonce-" not in first[HEADER]
    assert "script-src 'self'" in first[HEADER]


def test_the_policy_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[str] = []

    def counted() -> str:
        builds.append(policy := build_policy())
        return policy

    monkeypatch.setattr(middleware, "build_policy", counted)
    middleware._fixed_policy.cache_clear()

    for _ in range(3):
        _respond(_plain)

    assert len(builds) == 1
    middleware._fixed_policy.cache_clear()


def test_a_page_that_asks_for_a_nonce_gets_it_in_its_policy() -> None:
    def inline_script(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]

    response = _respond(inline_script)

    nonce = response.content.decode().split("'")[1]
    assert f"'nonce-{nonce}'" in response[HEADER]
    assert _respond(_plain)[HEADER] == build_policy()  # the next plain response has none


def test_a_views_own_policy_is_kept() -> None:
    response = _respond(csp_update({"img-src": ["https://tiles.example"]})(_plain))

    assert "https://tiles.example" in response[HEADER]


def test_a_report_only_policy_is_sent_too(settings: Settings) -> None:
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp"}}

    response = _respond(_plain)

    assert response[HEADER] == build_policy()
    assert "report-uri /csp" in response["Content-Security-Policy-Report-Only"]
