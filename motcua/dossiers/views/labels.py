"""Vietnamese names of the lifecycle actions on buttons (translated like every other page string)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from motcua.dossiers.services.reception import RECEIVE
from motcua.dossiers.services.retention import ANONYMIZE
from motcua.dossiers.states import Action

ACTION_LABELS: dict[Action, StrOrPromise] = {
    Action.ACCEPT: gettext_lazy("Tiếp nhận hồ sơ trực tuyến"),
    Action.REFUSE: gettext_lazy("Từ chối tiếp nhận (Mẫu 03)"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
    Action.SUPPLEMENT: gettext_lazy("Đã nhận hồ sơ bổ sung"),
    Action.TRANSFER: gettext_lazy("Chuyển cơ quan giải quyết"),
    Action.ASSIGN: gettext_lazy("Phân công xử lý"),
    Action.FORWARD: gettext_lazy("Trình bước tiếp theo"),
    Action.REQUEST_PAYMENT: gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    Action.PAYMENT_RECEIVED: gettext_lazy("Đã hoàn thành nghĩa vụ tài chính"),
    Action.APPROVE: gettext_lazy("Ký duyệt kết quả"),
    Action.REJECT: gettext_lazy("Từ chối giải quyết"),
    Action.ISSUE_RESULT: gettext_lazy("Vào số, phát hành kết quả"),
    Action.STOP: gettext_lazy("Dừng xử lý (Mẫu 05)"),
    Action.WITHDRAW: gettext_lazy("Rút hồ sơ"),
    Action.EXTEND: gettext_lazy("Gia hạn, xin lỗi (Mẫu 04)"),
    Action.RETURN_RESULT: gettext_lazy("Trả kết quả"),
}


def event_label(action: str) -> StrOrPromise:
    """The timeline's name of an event: a lifecycle action, the reception that opened the dossier, or the
    anonymization that closed its personal data."""
    if action == RECEIVE:
        return gettext_lazy("Tiếp nhận hồ sơ")
    if action == ANONYMIZE:
        return gettext_lazy("Ẩn danh dữ liệu cá nhân (hết thời hạn lưu giữ)")
    return ACTION_LABELS[Action(action)] if action in Action.__members__.values() else action
