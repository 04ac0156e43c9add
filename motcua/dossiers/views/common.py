"""What every staff page shares: the signed-in actor, htmx detection, business errors as pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from motcua.core.errors import DomainError
from motcua.org.models import StaffUser

P = ParamSpec("P")
StaffView = Callable[Concatenate[HttpRequest, StaffUser, P], HttpResponseBase]


def staff_page(view: StaffView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Sign-in required; the view gets the actor; a business error not handled by the view becomes an
    error page with its status and Vietnamese message
    (a dossier another unit handles answers 404, exactly like one that does not exist)."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        assert isinstance(user, StaffUser)  # login_required ran first
        try:
            return view(request, user, *args, **kwargs)
        except DomainError as error:
            return render(request, "dossiers/staff/error.html", {"error": error}, status=error.status)

    update_wrapper(wrapper, view)
    return login_required(wrapper)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
