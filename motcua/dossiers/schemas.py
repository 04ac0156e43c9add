"""Shapes of the dossier API (api-contract.md) and their building from models; no lifecycle logic here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Schema

from motcua.core.schemas import Payload, RowId
from motcua.dossiers.models import Dossier, DossierEvent, PaperTransfer
from motcua.dossiers.states import Status, SubState, allowed_actions


def iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


class ApplicantIn(Payload):
    full_name: str
    personal_id: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    address_unit: str | None = None
    verified_by_population_db: bool = False
    population_reference: str = ""


class ComponentIn(Payload):
    component: str
    documents: list[str] = []
    reused: bool = False
    from_national_db: bool = False
    national_db_reference: str = ""
    store_items: list[RowId] = []


class DossierIn(Payload):
    procedure_code: str
    receiving_unit: str
    channel: str
    applicant: ApplicantIn
    subject_unit: str
    components: list[ComponentIn]
    return_place: str = "desk"
    idempotency_key: str | None = None


class ActionIn(Schema):
    reason: str = ""
    payload: dict[str, Any] = {}


class DocumentOut(Schema):
    sha256: str
    size: int
    content_type: str
    pages: int


class DossierSummary(Payload):
    code: str
    status: int
    status_name: str
    sub_state: str
    procedure_code: str
    channel: str
    applicant_name: str
    received_at: str
    due_at: str | None
    overdue: bool
    receiving_unit: str
    handling_unit: str
    handling_agency: str


class DossierCreated(DossierSummary):
    tracking_token: str


class EventOut(Schema):
    seq: int
    action: str
    at: str
    actor: str
    role: str
    from_status: int | None
    to_status: int
    sub_state: str
    reason: str
    payload: dict[str, Any]


class StepOut(Schema):
    order: int
    name: str
    role: str
    due_at: str | None
    assignee: str | None
    started_at: str | None
    finished_at: str | None


class DossierDetail(DossierSummary):
    procedure_name: str
    subject_unit: str
    return_place: str
    applicant: dict[str, Any]
    components: list[dict[str, Any]]
    #: DSKetNoiCSDL: data taken from the population database at reception (Decision 766 index 4.5).
    population_db_linked: bool
    steps: list[StepOut]
    original_due_at: str | None
    extended: bool
    supplement_rounds: int
    late_by_supplements: bool
    finished_at: str | None
    returned_at: str | None
    outcome: str
    allowed_actions: list[str]
    history: list[EventOut]


class PaperSentIn(Schema):
    carrier: str = ""
    tracking_number: str = ""
    #: By public post: the post is asked for a pickup and gives the tracking number.
    by_post: bool = False


class PaperTransferOut(Schema):
    dossier: str
    transferred_at: str
    due_at: str
    sent_at: str | None
    carrier: str
    tracking_number: str
    received_at: str | None
    late: bool


class PaperTransferPage(Schema):
    items: list[PaperTransferOut]
    next_cursor: str | None


class StoreItemOut(Schema):
    id: int
    kind: str
    name: str
    component_code: str
    document: DocumentOut
    from_dossier: str
    stored_at: str
    fits: list[str]


class StoreOut(Schema):
    personal_id: str
    items: list[StoreItemOut]


class DossierPage(Schema):
    items: list[DossierSummary]
    next_cursor: str | None


class TrackingEvent(Schema):
    at: str
    action: str
    status: int
    status_name: str


class TrackingOut(Schema):
    code: str
    procedure_name: str
    applicant: str
    status: int
    status_name: str
    received_at: str
    due_at: str | None
    returned_at: str | None
    timeline: list[TrackingEvent]


def summary_fields(dossier: Dossier, now: datetime) -> dict[str, Any]:
    agency = dossier.handling_agency
    open_ = dossier.finished_at is None and SubState(dossier.sub_state) not in _CLOSED
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_name": Status(dossier.status).label,
        "sub_state": dossier.sub_state,
        "procedure_code": dossier.procedure.code,
        "channel": dossier.channel,
        "applicant_name": dossier.applicant_name,
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "overdue": bool(open_ and dossier.paused_at is None and dossier.due_at and dossier.due_at < now),
        "receiving_unit": dossier.receiving_center.code,
        "handling_unit": agency.unit_id or agency.code,
        "handling_agency": agency.code,
    }


_CLOSED = {SubState.REFUSED, SubState.WITHDRAWN, SubState.STOPPED, SubState.RETURNED}


def detail(dossier: Dossier, events: list[DossierEvent], now: datetime) -> DossierDetail:
    return DossierDetail(
        **summary_fields(dossier, now),
        procedure_name=dossier.procedure.name,
        subject_unit=dossier.subject_unit_id,
        return_place=dossier.return_place,
        applicant={
            "full_name": dossier.applicant_name,
            "personal_id": dossier.applicant_personal_id,
            "birth_date": dossier.applicant_birth_date.isoformat() if dossier.applicant_birth_date else None,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "address_unit": dossier.applicant_address_unit_id,
        },
        population_db_linked=dossier.population_db_linked,
        components=[
            {
                "component": c.code,
                "name": c.name,
                "documents": [d.sha256 for d in c.documents.all()],
                "digitized": c.digitized,
                "reused": c.reused,
                "from_national_db": c.from_national_db,
            }
            for c in dossier.components.all()
        ],
        steps=[
            StepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                due_at=iso(s.due_at),
                assignee=s.assignee.username if s.assignee else None,
                started_at=iso(s.started_at),
                finished_at=iso(s.finished_at),
            )
            for s in dossier.steps.select_related("assignee").order_by("order")
        ],
        original_due_at=iso(dossier.original_due_at),
        extended=dossier.extended,
        supplement_rounds=dossier.supplement_rounds,
        late_by_supplements=dossier.late_by_supplements,
        finished_at=iso(dossier.finished_at),
        returned_at=iso(dossier.returned_at),
        outcome=dossier.outcome,
        allowed_actions=[a.value for a in allowed_actions(SubState(dossier.sub_state))],
        history=[
            EventOut(
                seq=e.seq,
                action=e.action,
                at=iso(e.at) or "",
                actor=e.actor_username,
                role=e.actor_role,
                from_status=e.from_status,
                to_status=e.to_status,
                sub_state=e.to_sub_state,
                reason=e.reason,
                payload=e.payload,
            )
            for e in events
        ],
    )


def paper_transfer_out(transfer: PaperTransfer, *, late: bool) -> PaperTransferOut:
    return PaperTransferOut(
        dossier=transfer.dossier.code,
        transferred_at=iso(transfer.transferred_at) or "",
        due_at=iso(transfer.due_at) or "",
        sent_at=iso(transfer.sent_at),
        carrier=transfer.carrier,
        tracking_number=transfer.tracking_number,
        received_at=iso(transfer.received_at),
        late=late,
    )


def masked_name(name: str) -> str:
    """Initials only on the public tracking page: "Nguyễn Văn An" → "N*** V*** A***"."""
    return " ".join(f"{word[0]}***" for word in name.split())
