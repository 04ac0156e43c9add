"""Middleware of the whole site: the headers Django's own does not send, idle expiry of sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


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
