"""Flash messages (`LazyMessageMiddleware`): stored and shown as with Django's middleware, and nothing made
for a request that shows none."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils.functional import empty

from motcua.core.middleware import LazyMessageMiddleware

pytestmark = pytest.mark.django_db


def _through_middleware(request: HttpRequest, view: Callable[[HttpRequest], HttpResponse]) -> HttpResponse:
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    response = LazyMessageMiddleware(view)(request)
    assert isinstance(response, HttpResponse)
    return response


def test_a_message_added_on_one_request_is_shown_on_the_next() -> None:
    factory = RequestFactory()

    def add(request: HttpRequest) -> HttpResponse:
        messages.success(request, "Đã tiếp nhận hồ sơ.")
        return HttpResponse()

    first = _through_middleware(factory.post("/"), add)
    shown: list[str] = []

    def show(request: HttpRequest) -> HttpResponse:
        shown.extend(str(m) for m in messages.get_messages(request))
        return HttpResponse()

    second = factory.get("/")
    second.COOKIES.update({name: morsel.value for name, morsel in first.cookies.items()})
    _through_middleware(second, show)

    assert shown == ["Đã tiếp nhận hồ sơ."]


def test_a_request_that_shows_no_message_makes_no_storage() -> None:
    response = Client().get("/api/v1/health")

    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty  # type: ignore[attr-defined]
    assert "messages" not in response.cookies
