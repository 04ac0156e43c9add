"""Errors a caller of the legal-time functions can cause, each with a stable code and a Vietnamese message."""

from __future__ import annotations

from motcua.core.errors import Conflict, InvalidInput


class NaiveDatetime(InvalidInput):
    code = "naive_datetime"
    message = "Thời điểm phải có múi giờ (ví dụ 2026-03-02T08:00:00+07:00)."


class InvalidDatetime(InvalidInput):
    code = "invalid_datetime"
    message = "Thời điểm không đúng định dạng ISO 8601 (ví dụ 2026-03-02T08:00:00+07:00)."


class InvalidAmount(InvalidInput):
    code = "invalid_amount"
    message = "Thời hạn không hợp lệ."


class CalendarYearOutOfRange(InvalidInput):
    code = "calendar_year_out_of_range"
    message = "Lịch làm việc chỉ có dữ liệu trong khoảng năm được hỗ trợ."


class InvalidInterval(InvalidInput):
    code = "invalid_interval"
    message = "Thời điểm kết thúc không được trước thời điểm bắt đầu."


class ExtensionAlreadyGranted(Conflict):
    code = "extension_already_granted"
    message = "Hồ sơ đã được gia hạn một lần; không được gia hạn thêm."
