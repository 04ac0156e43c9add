"""The paper dossier's transfer to the handling body (boundary-free reception, domain.md §7).

The desk sends the paper within 1 working day of the e-transfer, by courier or public post
(`paper_transfer_send`; by public post the pickup is booked through the outbox and the post gives the
tracking number); the handling body confirms its arrival, or the post's delivery notice does
(`paper_transfer_receive`), which is late when after the due time. Both are recorded in the dossier's
event trail (and so on Mẫu 06); the status does not change.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.models import Dossier, PaperTransfer
from motcua.dossiers.selectors import agency_covers, dossier_lock_for_actor
from motcua.dossiers.services.events import event_append
from motcua.dossiers.services.postal import POSTAL_CARRIER, Carries, postal_pickup_enqueue
from motcua.org.models import AGENCY_ROLES, Role, StaffUser

PAPER_SENT, PAPER_RECEIVED = "paper-sent", "paper-received"


def paper_transfer_send(
    *,
    actor: StaffUser,
    dossier_code: str,
    carrier: str = "",
    tracking_number: str = "",
    by_post: bool = False,
    now: datetime | None = None,
) -> PaperTransfer:
    """Gửi hồ sơ giấy: the receiving desk hands the paper dossier to `carrier`, or `by_post` to the public
    post, which is asked for a pickup (outbox) and gives the tracking number."""
    if by_post:
        if tracking_number.strip():
            raise InvalidInput(
                "Số vận đơn do bưu chính cấp khi nhận gửi.", code="tracking_number_from_post", field="tracking_number"
            )
        carrier = POSTAL_CARRIER
    if not carrier.strip():
        raise InvalidInput("Cần ghi đơn vị vận chuyển.", code="carrier_required", field="carrier")
    at = now or timezone.now()
    with transaction.atomic():
        dossier, transfer = _locked(actor, dossier_code)
        if actor.role != Role.RECEPTION or actor.center_id != dossier.receiving_center_id:
            raise PermissionDenied(code="paper_transfer_not_permitted")
        if transfer.sent_at is not None or transfer.received_at is not None:
            raise Conflict("Hồ sơ giấy đã được gửi.", code="paper_already_sent")
        transfer.sent_at, transfer.sent_by = at, actor
        transfer.carrier, transfer.tracking_number = carrier.strip(), tracking_number.strip()
        transfer.save(update_fields=["sent_at", "sent_by", "carrier", "tracking_number"])
        if by_post:
            postal_pickup_enqueue(dossier=dossier, carries=Carries.PAPER, at=at)
        _record(
            dossier, PAPER_SENT, actor, at, {"carrier": transfer.carrier, "tracking_number": transfer.tracking_number}
        )
    return transfer


def paper_transfer_receive(*, actor: StaffUser | None, dossier_code: str, now: datetime | None = None) -> PaperTransfer:
    """Nhận hồ sơ giấy: the handling body confirms the paper arrived; late after 1 working day. `actor`
    None is the system on the post's word (its delivery notice, at the delivery time): no role checked."""
    at = now or timezone.now()
    with transaction.atomic():
        dossier, transfer = _locked(actor, dossier_code)
        if actor is not None and (
            actor.role not in AGENCY_ROLES or not agency_covers(actor.agency_id, dossier.handling_agency)
        ):
            raise PermissionDenied(code="paper_transfer_not_permitted")
        if transfer.received_at is not None:
            raise Conflict("Hồ sơ giấy đã được nhận.", code="paper_already_received")
        transfer.received_at, transfer.received_by = at, actor
        transfer.late = at > transfer.due_at
        transfer.save(update_fields=["received_at", "received_by", "late"])
        _record(dossier, PAPER_RECEIVED, actor, at, {"due_at": transfer.due_at.isoformat(), "late": transfer.late})
    return transfer


def _locked(actor: StaffUser | None, code: str) -> tuple[Dossier, PaperTransfer]:
    dossier = dossier_lock_for_actor(actor, code)
    transfer = PaperTransfer.objects.filter(dossier=dossier).first()
    if transfer is None:
        raise Conflict(
            "Hồ sơ không có hồ sơ giấy phải chuyển (chưa chuyển cơ quan giải quyết, nộp trực tuyến, hoặc nhận tại chỗ).",
            code="no_paper_transfer",
        )
    return dossier, transfer


def _record(dossier: Dossier, action: str, actor: StaffUser | None, at: datetime, payload: dict[str, object]) -> None:
    event_append(
        dossier=dossier,
        action=action,
        actor=actor,
        at=at,
        from_status=dossier.status,
        from_sub_state=dossier.sub_state,
        payload=payload,
    )
