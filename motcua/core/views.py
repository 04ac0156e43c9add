"""Site-wide error views: the API never answers with an HTML page (api-contract.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from motcua.core.errors import DomainError, NotFound

API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(NotFound("Không có địa chỉ API này.", code="unknown_endpoint").as_dict(), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        error = DomainError("Lỗi hệ thống, vui lòng thử lại sau.", code="internal_error")
        return JsonResponse(error.as_dict(), status=500)
    return defaults.server_error(request)
