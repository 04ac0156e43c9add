"""Citizen sign-in and sign-out: `/dang-nhap/` sends the browser to the provider, the callback signs the
citizen in from its verified claims, `/dang-xuat/` signs out. Failures are a page with a message."""

from __future__ import annotations

import logging

from authlib.integrations.base_client.errors import OAuthError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from requests import RequestException

from motcua.citizens.oidc import issuer_url, oidc_client
from motcua.citizens.services import citizen_sign_in
from motcua.citizens.session import session_sign_in, session_sign_out
from motcua.core.errors import DomainError

logger = logging.getLogger("motcua.citizens")
_NEXT = "citizen_next"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return "/"


def sign_in(request: HttpRequest) -> HttpResponse:
    request.session[_NEXT] = _safe_next(request, request.GET.get("next"))
    try:
        response: HttpResponse = oidc_client(request).authorize_redirect(
            request, request.build_absolute_uri(reverse("citizens:callback"))
        )
    except (OAuthError, RequestException, ValueError):
        logger.exception("identity provider unreachable")
        return _failed(request)
    return response


def callback(request: HttpRequest) -> HttpResponse:
    client = oidc_client(request)
    try:
        token = client.authorize_access_token(request)
        claims = {**dict(token.get("userinfo") or {}), **dict(client.userinfo(token=token))}
        citizen = citizen_sign_in(issuer=issuer_url(request), claims=claims)
    except (OAuthError, RequestException, ValueError, DomainError):
        logger.warning("citizen sign-in failed", exc_info=True)
        return _failed(request)
    next_url = _safe_next(request, request.session.pop(_NEXT, None))
    session_sign_in(request, citizen)
    return HttpResponseRedirect(next_url)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session_sign_out(request)
    return redirect("portal:home")


def _failed(request: HttpRequest) -> HttpResponse:
    return render(request, "citizens/sign_in_failed.html", status=502)
