"""Sign-in and sign-out of staff (Django sessions); each role lands on its own queue. The password step is
throttled (`org.signin`); the second step asks the authenticator code (`org.otp`) when it is due."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from motcua.core.errors import DomainError
from motcua.org.models import StaffUser
from motcua.org.otp import (
    AlreadyEnrolled,
    is_verified,
    otp_device,
    otp_enrolment_start,
    otp_qr_data_uri,
    otp_secret,
    otp_verify,
)
from motcua.org.signin import StaffSignInForm

login = LoginView.as_view(
    template_name="dossiers/staff/login.html", authentication_form=StaffSignInForm, redirect_authenticated_user=True
)
logout = LogoutView.as_view(next_page="dossiers:login")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _staff(request: HttpRequest) -> StaffUser:
    user = request.user
    assert isinstance(user, StaffUser)  # login_required ran first
    return user


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Bước 2 of sign-in: the 6-digit code of the staff member's authenticator app."""
    user = _staff(request)
    if settings.MOTCUA_STAFF_OTP == "off" or is_verified(user):
        return HttpResponseRedirect(_next(request))
    if otp_device(user) is None:
        return redirect(f"{resolve_url('dossiers:otp-enrol')}?{urlencode({'next': _next(request)})}")
    error: DomainError | None = None
    if request.method == "POST":
        try:
            otp_verify(request=request, user=user, token=request.POST.get("code", ""))
        except DomainError as refused:
            error = refused
        else:
            return HttpResponseRedirect(_next(request))
    status = error.status if error else 200
    return render(request, "dossiers/staff/otp.html", {"error": error, "next": _next(request)}, status=status)


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: the QR code and the key for the authenticator app, then one code from it to confirm."""
    user = _staff(request)
    try:
        device = otp_enrolment_start(user=user)
    except AlreadyEnrolled:
        return redirect(f"{resolve_url('dossiers:otp')}?{urlencode({'next': _next(request)})}")
    error: DomainError | None = None
    if request.method == "POST":
        try:
            otp_verify(request=request, user=user, token=request.POST.get("code", ""))
        except DomainError as refused:
            error = refused
        else:
            return HttpResponseRedirect(_next(request))
    context = {"error": error, "next": _next(request), "qr": otp_qr_data_uri(device), "secret": otp_secret(device)}
    return render(request, "dossiers/staff/otp_enrol.html", context, status=error.status if error else 200)
