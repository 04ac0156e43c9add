"""`/api/v1/integrations/...`: the outbox for supervisors, health for monitoring, the desk's population
lookup, and the signed callbacks of the payment gateway and of the public post."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from motcua.core.errors import NotFound
from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.core.outbox import outbox_backlog
from motcua.core.pagination import keyset_page
from motcua.dossiers.lookup_reference import POPULATION_DB, LookupRecord, lookup_reference_issue
from motcua.integrations import services
from motcua.integrations.callbacks import SIGNATURE_HEADER
from motcua.integrations.selectors import outbox_messages_for
from motcua.org.auth import staff_auth
from motcua.org.models import StaffUser

router = Router(tags=["integrations"])


class BacklogOut(Schema):
    pending: int
    dead: int
    oldest_pending_age_s: float


class OutboxItemOut(Schema):
    id: int
    partner: str
    kind: str
    dossier: str
    state: OutboxState
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


class OutboxPageOut(Schema):
    items: list[OutboxItemOut]
    next_cursor: str | None
    backlog: BacklogOut


class PartnerHealthOut(Schema):
    status: str
    backlog: BacklogOut


class CitizenOut(Schema):
    personal_id: str
    full_name: str
    birth_date: date
    sex: str
    address: str
    address_unit: str
    source: str
    #: Signed and short-lived: send it with the reception (`applicant.population_reference`, or a component's
    #: `national_db_reference`) to record that the data came from the population database (index 4.5).
    lookup_reference: str


class PaymentOut(Schema):
    reference: str
    state: str


class ShipmentOut(Schema):
    tracking_number: str
    state: str


def _backlog() -> BacklogOut:
    backlog = outbox_backlog()
    return BacklogOut(
        pending=backlog.pending, dead=backlog.dead, oldest_pending_age_s=backlog.oldest_age_seconds(timezone.now())
    )


def _item(message: OutboxMessage) -> OutboxItemOut:
    return OutboxItemOut(
        id=message.pk,
        partner=message.partner,
        kind=message.kind,
        dossier=message.dossier_code,
        state=OutboxState(message.state),
        attempts=message.attempts,
        last_error=message.last_error,
        created_at=message.created_at,
        next_attempt_at=message.next_attempt_at,
        delivered_at=message.delivered_at,
    )


@router.get("/integrations/outbox", response=OutboxPageOut, auth=staff_auth, summary="Outbound messages")
def outbox_list(
    request: HttpRequest,
    dossier: str | None = None,
    state: OutboxState | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> OutboxPageOut:
    actor: StaffUser = request.auth  # type: ignore[attr-defined]
    rows, next_cursor = keyset_page(
        outbox_messages_for(actor, dossier_code=dossier, state=state), keys=["-id"], cursor=cursor, limit=limit
    )
    return OutboxPageOut(items=[_item(m) for m in rows], next_cursor=next_cursor, backlog=_backlog())


@router.get("/integrations/health", response=PartnerHealthOut, auth=None, summary="Outbox backlog for monitoring")
def integrations_health(request: HttpRequest) -> PartnerHealthOut:
    backlog = _backlog()
    return PartnerHealthOut(status="degraded" if backlog.dead else "ok", backlog=backlog)


@router.get(
    "/integrations/population/{personal_id}",
    response=CitizenOut,
    auth=staff_auth,
    summary="The applicant from the population database (desk prefill; logged)",
)
def population_citizen(request: HttpRequest, personal_id: str) -> CitizenOut:
    actor: StaffUser = request.auth  # type: ignore[attr-defined]
    citizen = services.population_lookup(actor=actor, personal_id=personal_id)
    if citizen is None:
        raise NotFound("Không có công dân này trong CSDL quốc gia về dân cư.", code="citizen_not_found")
    return CitizenOut(
        personal_id=citizen.personal_id,
        full_name=citizen.full_name,
        birth_date=citizen.birth_date,
        sex=citizen.sex,
        address=citizen.address,
        address_unit=citizen.address_unit,
        source=POPULATION_DB,
        lookup_reference=lookup_reference_issue(
            LookupRecord(
                database=POPULATION_DB,
                personal_id=citizen.personal_id,
                full_name=citizen.full_name,
                birth_date=citizen.birth_date,
                officer=actor.username,
            )
        ),
    )


@router.post(
    "/integrations/payments/callback", response=PaymentOut, auth=None, summary="Payment gateway's signed callback"
)
def payment_callback(request: HttpRequest) -> PaymentOut:
    payment = services.payment_callback(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    return PaymentOut(reference=payment.reference, state=payment.state)


@router.post(
    "/integrations/post/callback", response=ShipmentOut, auth=None, summary="The public post's signed shipment notice"
)
def postal_callback(request: HttpRequest) -> ShipmentOut:
    shipment = services.postal_callback(body=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    return ShipmentOut(tracking_number=shipment.tracking_number, state=shipment.state)
