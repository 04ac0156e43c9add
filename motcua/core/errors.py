"""Business errors: a stable machine code, an HTTP status and a Vietnamese message, in one place.

Services raise these; the API turns them into `{"error": {"code", "message", "details"}}` and pages
show the message. Never raise a bare exception for something a user can cause.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a user can cause. Subclasses set `code`, `status` and `message`."""

    code: str = "domain_error"
    status: int = 400
    message: str = "Yêu cầu không hợp lệ."

    def __init__(self, message: str | None = None, *, code: str | None = None, **details: Any) -> None:
        self.message = message or self.message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = "Dữ liệu gửi lên không hợp lệ."


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = "Không tìm thấy."


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    message = "Bạn không có quyền thực hiện thao tác này."


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    message = "Cần đăng nhập hoặc mã truy cập (token) hợp lệ."


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = "Thao tác không phù hợp với trạng thái hiện tại."
