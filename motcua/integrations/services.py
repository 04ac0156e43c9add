"""Integration services: the desk's population lookup, the tax obligation, the payment callback, and the
public post's bookings and delivery notices."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.config import env
from motcua.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from motcua.core.models_outbox import OutboxMessage
from motcua.core.outbox import outbox_enqueue
from motcua.dossiers.identity import parse_personal_id
from motcua.dossiers.services.postal import Carries
from motcua.dossiers.services.system import dossier_system_transition, postal_booked, postal_delivered
from motcua.dossiers.states import Action
from motcua.integrations.adapters.population import Citizen, HttpPopulationDatabase
from motcua.integrations.adapters.postal import DELIVERED
from motcua.integrations.callbacks import callback_signature_valid
from motcua.integrations.exchange_log import Exchange, exchange_log_append
from motcua.integrations.models import Direction, Payment, PaymentState, Shipment, ShipmentState
from motcua.integrations.transport import PartnerClient, PartnerError, Sessions, TransientError
from motcua.org.models import Role, StaffUser

logger = logging.getLogger("motcua.integrations")

PAYMENT_LINK = "link"
#: The post's delivery notices come here (also sent with each booking).
POSTAL_CALLBACK_PATH = "/api/v1/integrations/post/callback"


class PartnerUnavailable(DomainError):
    code = "partner_unavailable"
    status = 503
    message = "Hệ thống của cơ quan liên thông tạm thời không trả lời, vui lòng thử lại sau."


class InvalidSignature(DomainError):
    code = "invalid_signature"
    status = 403
    message = "Chữ ký của thông báo từ đối tác không hợp lệ."


def population_lookup(*, actor: StaffUser, personal_id: str) -> Citizen | None:
    """The applicant's record from the population database, for the desk to prefill instead of retyping.
    Reception staff only; the read is in the exchange log with who asked and why."""
    if actor.role != Role.RECEPTION:
        raise PermissionDenied(code="population_lookup_not_permitted")
    parse_personal_id(personal_id, birth_date=None, today=timezone.localdate())
    with Sessions() as sessions:
        client = PartnerClient(
            partner="population",
            sessions=sessions,
            actor=actor.username,
            purpose="tiếp nhận hồ sơ: điền sẵn thông tin chủ hồ sơ",
            personal_data=True,
        )
        try:
            return HttpPopulationDatabase(client).citizen(personal_id)
        except (TransientError, PartnerError) as exc:
            raise PartnerUnavailable(partner="population", reason=str(exc)) from None
        finally:
            exchange_log_append(exchanges=client.log)


def tax_assessment_received(message: OutboxMessage, reply: dict[str, Any]) -> None:
    """The tax authority's answer: an obligation puts the dossier in state 6 and asks the gateway for a
    payment link, in one transaction; none (amount 0) changes nothing."""
    amount, reference = int(reply["amount"]), str(reply["reference"])
    if amount <= 0:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            dossier_system_transition(
                dossier_code=message.dossier_code,
                action=Action.REQUEST_PAYMENT,
                reason=f"Cơ quan thuế thông báo nghĩa vụ tài chính: {reply.get('description', '')}",
                payload={"reference": reference, "amount": amount},
                now=now,
            )
            Payment.objects.create(
                reference=reference, dossier_code=message.dossier_code, amount=amount, created_at=now
            )
            outbox_enqueue(
                partner="payment",
                kind=PAYMENT_LINK,
                payload={
                    "reference": reference,
                    "amount": amount,
                    "dossier_code": message.dossier_code,
                    "callback_url": f"{env('MOTCUA_PUBLIC_BASE_URL').rstrip('/')}/api/v1/integrations/payments/callback",
                },
                dossier_code=message.dossier_code,
                idempotency_key=f"payment:{reference}",
            )
    except Conflict:
        # The dossier moved on meanwhile (withdrawn, stopped): the obligation no longer applies.
        logger.warning("tax obligation %s for %s not applied: dossier not in handling", reference, message.dossier_code)


def payment_callback(*, body: bytes, signature: str, now: datetime | None = None) -> Payment:
    """The gateway confirms a payment. A bad signature is refused before anything is read or written; a
    repeated callback for a paid reference changes nothing (idempotent). The first one brings the dossier
    back from state 6 to handling (6→4)."""
    if not callback_signature_valid("payment", body, signature):
        raise InvalidSignature()
    try:
        data = json.loads(body)
        reference, transaction_id = str(data["reference"]), str(data["transaction_id"])
        amount = int(data["amount"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("Thông báo thanh toán không đúng định dạng.", code="invalid_callback") from None
    at = now or timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(reference=reference).first()
        if payment is None:
            raise InvalidInput("Không có khoản thanh toán này.", code="unknown_payment", reference=reference)
        if payment.state == PaymentState.PAID:
            return payment
        if amount != payment.amount:
            raise InvalidInput("Số tiền không khớp.", code="amount_mismatch", expected=payment.amount, got=amount)
        payment.state, payment.transaction_id, payment.paid_at = PaymentState.PAID, transaction_id, at
        payment.save(update_fields=["state", "transaction_id", "paid_at"])
        dossier_system_transition(
            dossier_code=payment.dossier_code,
            action=Action.PAYMENT_RECEIVED,
            reason="Đã hoàn thành nghĩa vụ tài chính qua cổng thanh toán.",
            payload={"reference": reference, "transaction_id": transaction_id, "amount": amount},
            now=at,
        )
        exchange_log_append(
            exchanges=[
                Exchange(
                    partner="payment",
                    correlation_id=transaction_id,
                    direction=Direction.CALLBACK,
                    at=at,
                    method="POST",
                    url="/api/v1/integrations/payments/callback",
                    status=200,
                    body=body.decode(errors="replace"),
                )
            ]
        )
    return payment


def shipment_booked(message: OutboxMessage, reply: dict[str, Any]) -> None:
    """The post booked a pickup: keep its tracking number (to find the shipment again when the delivery
    notice comes) and record it on the dossier, in one transaction."""
    now = timezone.now()
    carries, number = Carries(message.payload["carries"]), str(reply["tracking_number"])
    with transaction.atomic():
        Shipment.objects.create(
            tracking_number=number, dossier_code=message.dossier_code, carries=carries, booked_at=now
        )
        postal_booked(dossier_code=message.dossier_code, carries=carries, tracking_number=number, now=now)


def postal_callback(*, body: bytes, signature: str, now: datetime | None = None) -> Shipment:
    """The post's notice about a shipment. A bad signature is refused before anything is read or written;
    a delivery ends the shipment's trip on the dossier once (a repeated notice changes nothing); other
    events (in transit…) are only logged."""
    if not callback_signature_valid("post", body, signature):
        raise InvalidSignature()
    try:
        data = json.loads(body)
        number, event = str(data["tracking_number"]), str(data["event"])
        happened_at = datetime.fromisoformat(str(data["at"]))
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("Thông báo của bưu chính không đúng định dạng.", code="invalid_callback") from None
    if timezone.is_naive(happened_at):
        raise InvalidInput("Thời điểm phát thiếu múi giờ.", code="invalid_callback")
    at = now or timezone.now()
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().filter(tracking_number=number).first()
        if shipment is None:
            raise InvalidInput("Không có bưu gửi này.", code="unknown_shipment", tracking_number=number)
        if shipment.state == ShipmentState.DELIVERED:
            return shipment
        if event == DELIVERED:
            shipment.state, shipment.delivered_at = ShipmentState.DELIVERED, happened_at
            shipment.save(update_fields=["state", "delivered_at"])
            postal_delivered(
                dossier_code=shipment.dossier_code,
                carries=Carries(shipment.carries),
                tracking_number=number,
                delivered_at=happened_at,
            )
        exchange_log_append(
            exchanges=[
                Exchange(
                    partner="post",
                    correlation_id=number,
                    direction=Direction.CALLBACK,
                    at=at,
                    method="POST",
                    url=POSTAL_CALLBACK_PATH,
                    status=200,
                    body=body.decode(errors="replace"),
                )
            ]
        )
    return shipment
