"""Public dossier tracking (tra cứu hồ sơ): by code plus the receipt's QR token, or plus the last four
digits of the applicant's phone; what a citizen may see of the dossier, with their data masked.

No enumeration: an unknown code, a wrong token and wrong phone digits raise the same `NotFound` after the
same work (one query, one HMAC, one constant-time comparison), and lookups are rate-limited per client
address (every lookup) and per code (failed lookups, so guessing the four digits of one dossier stops
after a few tries whoever asks).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from motcua.config import env
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.ratelimit import Limit, ratelimit_check, ratelimit_count, ratelimit_hit
from motcua.dossiers.models import Dossier, DossierEvent, DossierRating, ReturnPlace
from motcua.dossiers.schemas import masked_name
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.tracking import tracking_token_matches
from motcua.dossiers.states import Action, Status
from motcua.workcal.legal import online_acceptance_deadline

#: `<agency e-id>-YYMMDD-NNNN[NN]` (Circular 03/2025 Art. 13, with the 2026 centralised form).
# Matched whole (`fullmatch`), ASCII digits only: `\d` takes other scripts' digits and `$` a final newline.
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9.]{0,34}-[0-9]{6}-[0-9]{4,8}")
_PHONE_TAIL = re.compile(r"[0-9]{4}")
_MAX_TOKEN = 64
#: Compared against when the dossier is unknown or has no phone: never equal to four digits.
_NO_PHONE = "\x00\x00\x00\x00"

#: Each national status in the words a citizen uses.
PLAIN_STATUS: dict[int, StrOrPromise] = {
    Status.SUBMITTED: _("Hồ sơ đã được gửi trực tuyến và đang chờ bộ phận một cửa kiểm tra, tiếp nhận."),
    Status.ACCEPTED: _("Hồ sơ đã được tiếp nhận và đang được chuyển đến cơ quan giải quyết."),
    Status.REFUSED: _("Hồ sơ không được tiếp nhận. Lý do được ghi trong phiếu từ chối gửi cho bạn."),
    Status.IN_PROGRESS: _("Cơ quan có thẩm quyền đang giải quyết hồ sơ."),
    Status.SUPPLEMENT_REQUESTED: _(
        "Hồ sơ cần bổ sung giấy tờ. Vui lòng xem phiếu yêu cầu bổ sung và nộp bổ sung; thời hạn tạm dừng trong lúc chờ."
    ),
    Status.FINANCIAL_OBLIGATION: _("Bạn cần nộp thuế, phí hoặc lệ phí trước khi hồ sơ được giải quyết tiếp."),
    Status.WITHDRAWN: _("Hồ sơ đã được rút theo yêu cầu của bạn."),
    Status.STOPPED: _("Việc giải quyết hồ sơ đã dừng. Lý do được ghi trong thông báo gửi cho bạn."),
    Status.RESOLVED: _("Đã có kết quả. Bạn có thể đến nhận kết quả."),
    Status.RETURNED: _("Kết quả đã được trả."),
}
#: What each step of the trail means for the citizen.
PLAIN_ACTION: dict[str, StrOrPromise] = {
    "receive": _("Nộp hồ sơ"),
    Action.ACCEPT: _("Bộ phận một cửa tiếp nhận hồ sơ"),
    Action.REFUSE: _("Từ chối tiếp nhận"),
    Action.REQUEST_SUPPLEMENT: _("Yêu cầu bổ sung giấy tờ"),
    Action.SUPPLEMENT: _("Đã nộp bổ sung"),
    Action.TRANSFER: _("Chuyển cơ quan giải quyết"),
    Action.ASSIGN: _("Phân công xử lý"),
    Action.FORWARD: _("Chuyển bước xử lý"),
    Action.REQUEST_PAYMENT: _("Yêu cầu nộp phí, lệ phí"),
    Action.PAYMENT_RECEIVED: _("Đã nộp phí, lệ phí"),
    Action.APPROVE: _("Lãnh đạo phê duyệt"),
    Action.REJECT: _("Trả lại để xử lý lại"),
    Action.ISSUE_RESULT: _("Có kết quả"),
    Action.STOP: _("Dừng xử lý"),
    Action.WITHDRAW: _("Rút hồ sơ"),
    Action.EXTEND: _("Gia hạn thời gian giải quyết"),
    Action.RETURN_RESULT: _("Trả kết quả"),
    Action.CLOSE_UNSUPPLIED: _("Dừng xử lý vì không bổ sung đúng hạn"),
}


@dataclass(frozen=True)
class TrackingStep:
    at: datetime
    action: str
    what: StrOrPromise
    status: int
    status_name: str


@dataclass(frozen=True)
class TrackedDossier:
    """The public view of one dossier: no personal data beyond initials and two phone digits."""

    dossier: Dossier
    applicant: str
    phone: str
    status: int
    status_name: str
    explanation: StrOrPromise
    timeline: list[TrackingStep]
    due_at: datetime | None
    acceptance_due: datetime | None
    collect: StrOrPromise
    collect_at: str


def masked_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return f"{'•' * max(len(digits) - 2, 0)}{digits[-2:]}" if digits else ""


def valid_code(code: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(code))


#: The columns the public answer reads (page, API, rating): a dossier row has about fifty, and compiling
#: and loading them all with the procedure and the center was a third of the lookup's time.
_TRACKED_FIELDS = (
    "code",
    "tracking_salt",
    "status",
    "applicant_name",
    "applicant_phone",
    "received_at",
    "due_at",
    "returned_at",
    "return_place",
    "procedure__name",
    "receiving_center__name",
    "receiving_center__address",
    "receiving_center__province_id",
)


def dossier_track(*, code: str, client: str, token: str = "", phone_last4: str = "") -> TrackedDossier:
    """The dossier `code` if `token` (or `phone_last4`) proves the caller holds its receipt; else the
    same `NotFound` for any reason. `client` is the caller's address for the rate limit."""
    ratelimit_hit(scope="track-client", key=client, limit=Limit.parse(env("MOTCUA_TRACKING_LIMIT_CLIENT")))
    if phone_last4 and not _PHONE_TAIL.fullmatch(phone_last4):
        raise InvalidInput("Nhập đúng 4 chữ số cuối của số điện thoại.", code="invalid_phone_digits")
    code_limit = Limit.parse(env("MOTCUA_TRACKING_LIMIT_CODE"))
    ratelimit_check(scope="track-code", key=code, limit=code_limit)
    # Longer than any code: not worth a query (the length of a code is no secret).
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_center").only(*_TRACKED_FIELDS).filter(code=code).first()
        if len(code) <= 60
        else None
    )
    probe = dossier or Dossier(code=code, tracking_salt="")
    # Both proofs are always computed, so the timing does not tell which one failed or whether the code exists.
    token_ok = tracking_token_matches(probe, token[:_MAX_TOKEN])
    phone_ok = hmac.compare_digest(_phone_tail(dossier).encode(), (phone_last4 or _NO_PHONE).encode())
    if dossier is None or not (phone_ok if phone_last4 else token_ok):
        ratelimit_count(scope="track-code", key=code, limit=code_limit, add=1)
        raise NotFound("Không tìm thấy hồ sơ với mã và thông tin tra cứu này.", code="tracking_not_found")
    return _public_view(dossier)


def _phone_tail(dossier: Dossier | None) -> str:
    digits = re.sub(r"\D", "", dossier.applicant_phone) if dossier is not None else ""
    return digits[-4:] if len(digits) >= 4 else _NO_PHONE


def _public_view(dossier: Dossier) -> TrackedDossier:
    # Three columns of each event: the chained hashes and payloads are not for the public page.
    events = DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("at", "action", "to_status")
    center = dossier.receiving_center
    acceptance_due = None
    if dossier.status == Status.SUBMITTED:
        acceptance_due = online_acceptance_deadline(
            dossier.received_at, deadlines.calendar_for(dossier.receiving_center.province_id)
        )
    return TrackedDossier(
        dossier=dossier,
        applicant=masked_name(dossier.applicant_name),
        phone=masked_phone(dossier.applicant_phone),
        status=dossier.status,
        status_name=Status(dossier.status).label,
        explanation=PLAIN_STATUS[dossier.status],
        timeline=[
            TrackingStep(
                at=at,
                action=action,
                what=PLAIN_ACTION.get(action, action),
                status=to_status,
                status_name=Status(to_status).label,
            )
            for at, action, to_status in events
        ],
        due_at=dossier.due_at,
        acceptance_due=acceptance_due,
        collect=ReturnPlace(dossier.return_place).label,
        collect_at=f"{center.name}, {center.address}" if center.address else center.name,
    )


def tracked_rating(tracked: TrackedDossier) -> DossierRating | None:
    """The rating already given to the tracked dossier, to show and change (only a returned dossier can
    have one: no query for the others)."""
    if tracked.status != Status.RETURNED:
        return None
    return DossierRating.objects.filter(dossier=tracked.dossier).first()
