"""Dossier tracking (tra cứu hồ sơ) and rating: `/tra-cuu-ho-so/` (code plus phone digits, a POST form),
`/tra-cuu-ho-so/<code>?token=` (the receipt's QR link), `/tra-cuu-ho-so/<code>/danh-gia/` (rating).

Every failure to find answers with the same page and status whatever the reason (unknown code, wrong
token, wrong digits); the dossier selector does the constant-time work and the rate limits.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from motcua.core.errors import DomainError, NotFound
from motcua.core.ratelimit import RateLimited, client_address
from motcua.dossiers.services.ratings import dossier_rate
from motcua.dossiers.states import Status
from motcua.dossiers.tracking_selectors import TrackedDossier, dossier_track, tracked_rating, valid_code
from motcua.portal.forms_public import CODE_EXAMPLE, RatingForm, TrackingForm

_NOT_FOUND = _(
    "Không tìm thấy hồ sơ với mã và thông tin tra cứu này. Kiểm tra lại mã hồ sơ trên giấy hẹn và thông tin đã nhập."
)
_RATE_LIMITED = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
_RATING_MESSAGES: dict[str, StrOrPromise] = {
    "rating_not_open": _("Chỉ đánh giá được hồ sơ đã trả kết quả."),
    "rating_locked": _("Đã hết thời gian sửa đánh giá."),
    "invalid_satisfaction": _("Vui lòng chọn mức độ hài lòng."),
    "comment_too_long": _("Góp ý dài quá 2000 ký tự."),
}


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "portal/tracking.html", {"code_example": CODE_EXAMPLE, **context}, status=status)
    # A tracking answer is about one person's case: never kept by a shared cache; the token in the address
    # never leaves in a Referer to another site ("no-referrer" would also null the Origin the CSRF check needs).
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _lookup(request: HttpRequest, code: str, *, token: str = "", phone: str = "") -> TrackedDossier | HttpResponse:
    form = TrackingForm(initial={"code": code})
    try:
        return dossier_track(code=code, token=token, phone_last4=phone, client=client_address(request))
    except RateLimited:
        return _page(request, {"form": form, "error": _RATE_LIMITED}, status=429)
    except NotFound:
        return _page(request, {"form": form, "error": _NOT_FOUND}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def tracking_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, {"form": TrackingForm(initial={"code": request.GET.get("code", "")[:60]})})
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return _page(request, {"form": form}, status=400)
    found = _lookup(request, form.cleaned_data["code"], phone=form.cleaned_data["phone"])
    if isinstance(found, HttpResponse):
        return found
    return _result(request, found, proof={"phone": form.cleaned_data["phone"]})


@never_cache
def tracking_result(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt's QR link. Without a token the page asks for the phone digits instead."""
    token = request.GET.get("token", "")
    form = TrackingForm(initial={"code": code})
    if not valid_code(code):
        form = TrackingForm({"code": code, "phone": "0000"})
        form.is_valid()
        return _page(request, {"form": form}, status=400)
    if not token:
        return _page(request, {"form": form})
    found = _lookup(request, code, token=token)
    if isinstance(found, HttpResponse):
        return found
    return _result(request, found, proof={"token": token})


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    proof = {"token": request.POST.get("token", ""), "phone": request.POST.get("phone", "")}
    found = _lookup(request, code, **proof)
    if isinstance(found, HttpResponse):
        return found
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            dossier_rate(
                tracked=found, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            form.add_error(None, _RATING_MESSAGES.get(error.code, error.message))
        else:
            return _result(request, found, proof=proof, rated=True)
    return _result(request, found, proof=proof, rating_form=form, status=400)


def _result(
    request: HttpRequest,
    tracked: TrackedDossier,
    *,
    proof: dict[str, str],
    rating_form: RatingForm | None = None,
    rated: bool = False,
    status: int = 200,
) -> HttpResponse:
    rating = tracked_rating(tracked)
    if rating_form is None and tracked.status == Status.RETURNED:
        initial = {"satisfaction": rating.satisfaction, "comment": rating.comment} if rating else {}
        rating_form = RatingForm(initial=initial)
    return _page(
        request,
        {"tracked": tracked, "proof": proof, "rating_form": rating_form, "rating": rating, "rated": rated},
        status=status,
    )
