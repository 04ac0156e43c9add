"""Mẫu 06, Phiếu kiểm soát quá trình giải quyết hồ sơ, built from the dossier's event trail.

Each event is a hand-over (giao, nhận) between the applicant, the receiving desk and the handling body's
leader, specialist and clerk: the giving party is the actor's, the receiving party is whoever holds the
dossier in the sub-state the event leads to. An event that closes a workflow step is judged against that
step's due time, the returned result against the dossier's: trước hạn (an earlier day), đúng hạn (on the
due day, not after the due time), quá hạn (after it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from motcua.dossiers.forms.common import short_time
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.paper import PAPER_RECEIVED, PAPER_SENT
from motcua.dossiers.states import SubState
from motcua.org.models import Role

EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"

ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "accept": "Tiếp nhận hồ sơ trực tuyến",
    "refuse": "Từ chối tiếp nhận (Mẫu 03)",
    "request-supplement": "Yêu cầu bổ sung hồ sơ (Mẫu 02)",
    "supplement": "Nhận hồ sơ bổ sung",
    "transfer": "Chuyển hồ sơ điện tử đến cơ quan giải quyết",
    "assign": "Phân công xử lý",
    "forward": "Trình kết quả xử lý",
    "request-payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "payment-received": "Đã thực hiện nghĩa vụ tài chính",
    "approve": "Ký duyệt kết quả",
    "reject": "Ký văn bản từ chối giải quyết",
    "issue-result": "Vào số, phát hành kết quả, chuyển bộ phận một cửa",
    "stop": "Dừng giải quyết (Mẫu 05)",
    "withdraw": "Rút hồ sơ theo yêu cầu",
    "extend": "Xin lỗi, gia hạn (Mẫu 04)",
    "return-result": "Trả kết quả",
    "close-unsupplied": "Dừng do quá hạn bổ sung",
    PAPER_SENT: "Gửi hồ sơ giấy đến cơ quan giải quyết",
    PAPER_RECEIVED: "Cơ quan giải quyết nhận hồ sơ giấy",
}
#: Who holds the dossier in each sub-state (None: the applicant).
_HOLDER: dict[SubState, Role | None] = {
    SubState.SUBMITTED: Role.RECEPTION,
    SubState.RECEIVED: Role.RECEPTION,
    SubState.WAITING_ASSIGNMENT: Role.LEADER,
    SubState.IN_HANDLING: Role.SPECIALIST,
    SubState.WAITING_SIGNATURE: Role.LEADER,
    SubState.WAITING_NUMBERING: Role.CLERK,
    SubState.RESULT_AT_DESK: Role.RECEPTION,
}
_FROM_APPLICANT = frozenset({"receive", "supplement", "payment-received"})
_CLOSES_STEP = frozenset({"transfer", "forward", "approve", "reject", "issue-result"})
_ROLE_TITLES = {Role.SPECIALIST: "Chuyên viên", Role.LEADER: "Lãnh đạo", Role.CLERK: "Văn thư"}


@dataclass(frozen=True)
class ControlRow:
    giving: str
    giver_name: str
    receiving: str
    at: str
    result: str
    note: str


def control_rows(dossier: Dossier, events: Sequence[DossierEvent]) -> list[ControlRow]:
    step_dues = {
        step.finished_at: step.due_at
        for step in dossier.steps.filter(finished_at__isnull=False, due_at__isnull=False).order_by("-order")
    }
    parties = _Parties(dossier)
    rows = []
    for event in events:
        if event.action in _FROM_APPLICANT:
            giving, giver_name = parties.applicant, ""
        else:
            giving, giver_name = parties.of(event.actor_role), event.actor_name or event.actor_username
        if event.action in (PAPER_SENT, PAPER_RECEIVED):
            receiving = parties.agency
        else:
            receiving = parties.of(_HOLDER.get(SubState(event.to_sub_state)))
        if event.action in _CLOSES_STEP:
            due = step_dues.get(event.at)
        elif event.action == "return-result":
            due = dossier.due_at
        else:
            due = None
        rows.append(
            ControlRow(
                giving=giving,
                giver_name=giver_name,
                receiving=receiving,
                at=short_time(event.at),
                result=judge(event.at, due) if due is not None else "",
                note=_note(event),
            )
        )
    return rows


def judge(at: datetime, due: datetime) -> str:
    """Trước hạn, đúng hạn or quá hạn, as the receiving party enters it on Mẫu 06."""
    if at > due:
        return LATE
    return ON_TIME if timezone.localdate(at) == timezone.localdate(due) else EARLY


class _Parties:
    def __init__(self, dossier: Dossier) -> None:
        self.applicant = f"Tổ chức, cá nhân: {dossier.applicant_name}"
        self.desk = dossier.receiving_center.name
        self.agency = dossier.handling_agency.name

    def of(self, role: str | None) -> str:
        if role is None:
            return self.applicant
        if role == Role.RECEPTION:
            return self.desk
        title = _ROLE_TITLES.get(Role(role)) if role in Role.values else None
        return f"{title}, {self.agency}" if title else "Hệ thống"


def _note(event: DossierEvent) -> str:
    label = ACTION_LABELS.get(event.action, event.action)
    details = [event.reason] if event.reason else []
    if event.action == "assign" and event.payload.get("assignee"):
        details.append(f"người xử lý: {event.payload['assignee']}")
    if event.action in (PAPER_SENT, PAPER_RECEIVED) and event.payload.get("late"):
        details.append("chuyển muộn")
    return f"{label} ({'; '.join(details)})" if details else label
