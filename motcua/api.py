"""The JSON API (`/api/v1`): one NinjaAPI, every app's router, one error shape (api-contract.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from motcua.catalog.api import router as catalog_router
from motcua.core.api import router as core_router
from motcua.core.errors import DomainError, InvalidInput, NotAuthenticated, NotFound
from motcua.dossiers.api import router as dossiers_router
from motcua.integrations.api import router as integrations_router
from motcua.org.api import router as org_router
from motcua.queueing.api import router as queueing_router
from motcua.reports.api import router as reports_router
from motcua.workcal.api import router as workcal_router

logger = logging.getLogger("motcua.api")


class ErrorDetail(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    """Every error the API gives: a stable machine code, a Vietnamese message, details."""

    error: ErrorDetail


_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


class MotcuaAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document declares the error answers every operation really gives.

    The handlers below turn every failure into `ErrorOut`, whatever the endpoint; declaring that once here
    keeps each endpoint's `response=` to its successful answers.
    """

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schema["components"]["schemas"].update(error_schema.pop("$defs"), ErrorOut=error_schema)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                if operation.get("security"):
                    responses.setdefault("401", _error_response("Thiếu hoặc sai mã truy cập (`not_authenticated`)."))
                    responses.setdefault("403", _error_response("Không có quyền với đối tượng này."))
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("422", _error_response("Dữ liệu gửi lên không hợp lệ (mã lỗi ổn định)."))
                responses.setdefault("4XX", _error_response("Yêu cầu bị từ chối: `error.code` cho biết lý do."))
                responses.setdefault("500", _error_response("Lỗi hệ thống (`internal_error`)."))
        return schema


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="API của hệ thống một cửa: danh mục thủ tục, đơn vị hành chính, hồ sơ, lấy số, báo cáo.",
    urls_namespace="api",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [
        {"field": ".".join(str(part) for part in err.get("loc", ())), "problem": err.get("msg", "")}
        for err in exc.errors
    ]
    return _error(request, InvalidInput("Dữ liệu gửi lên không hợp lệ.", code="invalid_input", problems=problems))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, NotAuthenticated())


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, NotFound())


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    error = DomainError(str(exc.message), code="http_error")
    error.status = exc.status_code
    return _error(request, error)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error on %s %s", request.method, request.path)
    error = DomainError("Lỗi hệ thống, vui lòng thử lại sau.", code="internal_error")
    error.status = 500
    return _error(request, error)


api.add_router("", core_router)
api.add_router("", org_router)
api.add_router("", catalog_router)
api.add_router("", workcal_router)
api.add_router("", dossiers_router)
api.add_router("", queueing_router)
api.add_router("", reports_router)
api.add_router("", integrations_router)
