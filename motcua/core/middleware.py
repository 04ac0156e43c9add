"""Middleware of the whole site: the headers Django's own does not send, the content security policy
written once, idle expiry of sessions, NUL characters refused, flash messages stored only when used."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase, JsonResponse
from django.utils.functional import SimpleLazyObject, empty

from motcua.core.errors import InvalidInput


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: switches off browser features (camera, microphone,
    location, payment, devices) that no page needs, so injected content cannot ask for them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, the policy of a response without a nonce or a view's own policy written once per
    process: it is the same for all of them (every API call, most pages), and building it anew with
    its report-only twin took a fiftieth of an API call's processor time. Anything else is django-csp's."""

    #: What a view's decorators set on its response (`csp.decorators`) to change or drop the policy.
    _VIEW_POLICY = tuple(
        f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
    )

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy = _fixed_policy()
        if (
            not policy
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._VIEW_POLICY)
            or (settings.DEBUG and response.status_code in (404, 500))  # Django's debug pages, as django-csp
        ):
            return super().process_response(request, response)
        response.headers.setdefault(CSP_HEADER, policy)
        # As django-csp: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


@functools.cache
def _fixed_policy() -> str | None:
    """The policy of a response without a nonce or a view's own policy; None when the settings ask for
    more than that header (a report-only policy, paths excluded) or for none, left to django-csp."""
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    excluded = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
    return None if report_only or excluded else build_policy()


@receiver(setting_changed)
def _policy_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed_policy.cache_clear()


class LazyMessageMiddleware(MessageMiddleware):
    """Django's flash messages, their storage made on first use: API calls, boards and kiosks never
    show one, and making it (cookie and session back ends) for each request was a fiftieth of an API
    call's processor time."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined] # Django's attribute

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:  # type: ignore[attr-defined] # LazyObject's, not in the stubs
            return response
        return super().process_response(request, response)


class SessionIdleMiddleware:
    """Idle expiry of sessions: each request of a session moves its end `SESSION_COOKIE_AGE` ahead.

    The session is saved (which sets the new end) at most once a minute, not on every request as
    `SESSION_SAVE_EVERY_REQUEST` would: staff pages then cost no extra write, and the idle limit is only
    a minute less exact.
    """

    KEY = "_motcua_seen"
    EVERY_S = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        # Only a session that came with the request and still exists (loading an expired one drops its key).
        if session.session_key is not None:
            seen = session.get(self.KEY)
            now = int(time.time())
            if session.session_key is not None and (not isinstance(seen, int) or now - seen >= self.EVERY_S):
                session[self.KEY] = now
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuses a request whose path, query or JSON/form body holds a NUL character (U+0000).

    PostgreSQL text cannot hold NUL, so such a value reaching a query made the driver raise (a 500);
    no legitimate input contains one. The API answers 422 `invalid_characters` in its error shape, pages
    a plain 400. Uploaded files (multipart) are binary and not looked at.
    """

    MESSAGE = "Yêu cầu chứa ký tự không hợp lệ (NUL)."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _holds_nul(request):
            if request.path_info.startswith("/api/"):
                error = InvalidInput(self.MESSAGE, code="invalid_characters")
                return JsonResponse(error.as_dict(), status=error.status)
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    # Cheap look first: only a query or body that may hold one is decoded.
    if ("%00" in query or "\x00" in query) and any(
        "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
    ):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json" and b"\\u0000" in request.body:
        try:
            return _json_holds_nul(json.loads(request.body))
        except ValueError:
            return False  # not JSON: the API refuses it with its own message
    if content_type == "application/x-www-form-urlencoded" and (b"%00" in request.body or b"\x00" in request.body):
        return any("\x00" in key or "\x00" in value for key, values in request.POST.lists() for value in values)
    return False


def _json_holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in key or _json_holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_holds_nul(item) for item in value)
    return False
