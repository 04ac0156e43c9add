"""Staff who must give a second factor reach nothing but the code page and sign-out until they do."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from motcua.org.models import StaffUser
from motcua.org.otp import SecondFactorRequired, otp_needed


class StaffSecondFactorMiddleware:
    """After django-otp's middleware: a signed-in user who still owes a code is sent to the code page
    (`OTP_VERIFY_URL`); API calls and htmx requests riding on that session get 401 `otp_required`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    @cached_property
    def exempt(self) -> frozenset[str]:
        return frozenset(reverse(name) for name in (settings.OTP_VERIFY_URL, *settings.OTP_EXEMPT_URLS))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.session.session_key is None:
            # Signed in by no session (an API call with its token, a kiosk, a board): nobody owes a code, and
            # the user need not be loaded.
            return self.get_response(request)
        user = request.user
        if (
            isinstance(user, StaffUser)
            and user.is_authenticated
            and request.path_info not in self.exempt
            and not request.path_info.startswith(f"/{settings.STATIC_URL}")
            and otp_needed(request, user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponseBase:
        error = SecondFactorRequired()
        if request.path_info.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=error.status)
        target = f"{reverse(settings.OTP_VERIFY_URL)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(error.message, status=error.status)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
