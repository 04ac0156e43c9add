"""Everything held about one person, by personal ID (Decree 13/2023/NĐ-CP, Art. 14: the data subject's
right to obtain their data), for a supervisor answering a request.

Gathered: the citizen account, every dossier filed under the personal ID that the supervisor's province
received or handled (a system administrator: every one) with its applicant data,
components and documents' metadata (never the files), results, events, rating, staff reads (the read
log) and outbound messages to partners; the personal data store; online-submission drafts; queue tickets
tied to those dossiers with their counter ratings; appointments booked under a phone number of the person.
Dossiers already anonymized under retention no longer carry the ID and are not found.

The export itself is a read of personal data: each dossier in it gets a read-log row (purpose
`person_export`) naming the supervisor, and the `motcua.personal_data` logger records who exported how
much (never the ID itself).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from motcua.citizens.models import Citizen
from motcua.core.errors import PermissionDenied
from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.identity import parse_personal_id
from motcua.dossiers.models import (
    Document,
    Dossier,
    DossierAccessLog,
    DossierComponent,
    DossierEvent,
    DossierRating,
    PersonalDataStoreItem,
    SubmissionDraft,
)
from motcua.dossiers.services.access import access_log_record
from motcua.org.models import StaffUser
from motcua.queueing.models import Appointment, Rating, TicketDossier
from motcua.reports.selectors import actor_province, is_supervisor

logger = logging.getLogger("motcua.personal_data")

#: The read-log purpose of an export (`DossierAccessLog.purpose`).
EXPORT_PURPOSE = "person_export"
FORMAT = 1


def person_export(*, actor: StaffUser, personal_id: str, now: datetime | None = None) -> dict[str, Any]:
    """The export as JSON-ready data; only a supervisor may take it, and taking it is logged."""
    if not is_supervisor(actor):
        raise PermissionDenied(
            "Chỉ cán bộ giám sát cấp tỉnh được xuất dữ liệu cá nhân của một người.", code="person_export_not_allowed"
        )
    parse_personal_id(personal_id, today=timezone.localdate())
    at = now or timezone.now()
    held = Dossier.objects.filter(applicant_personal_id=personal_id)
    if (province := actor_province(actor)) is not None:
        # A province's supervisor answers for what their province holds (received or handled there).
        held = held.filter(Q(receiving_center__province_id=province) | Q(handling_agency__province_id=province))
    dossiers = list(
        held.select_related(
            "procedure", "receiving_center", "handling_agency", "subject_unit", "applicant_address_unit"
        )
        .prefetch_related(
            Prefetch("components", DossierComponent.objects.order_by("id").prefetch_related("documents")),
            "result_documents",
            Prefetch("events", DossierEvent.objects.order_by("seq")),
            Prefetch("access_logs", DossierAccessLog.objects.select_related("actor").order_by("at", "id")),
        )
        .order_by("received_at", "id")
    )
    codes = [dossier.code for dossier in dossiers]
    citizen = Citizen.objects.filter(personal_id=personal_id).first()
    phones = {d.applicant_phone for d in dossiers if d.applicant_phone} | (
        {citizen.phone} if citizen and citizen.phone else set()
    )
    export = {
        "format": FORMAT,
        "personal_id": personal_id,
        "generated_at": at,
        "generated_by": actor.username,
        "citizen_account": _citizen(citizen),
        "dossiers": [_dossier(d) for d in dossiers],
        "outbound_messages": _messages(codes),
        "personal_data_store": _store(personal_id),
        "drafts": _drafts(personal_id),
        "queue_tickets": _tickets(codes),
        "appointments": _appointments(phones),
    }
    access_log_record(actor=actor, dossiers=dossiers, purpose=EXPORT_PURPOSE)
    logger.info(
        "person export by %s: %d dossiers, subject %s",
        actor.username,
        len(dossiers),
        # A short digest lets the log be matched to a request without writing the ID into it.
        hashlib.sha256(personal_id.encode()).hexdigest()[:12],
    )
    return export


def _document(document: Document) -> dict[str, Any]:
    return {
        "sha256": document.sha256,
        "size": document.size,
        "content_type": document.content_type,
        "pages": document.pages,
        "stored_at": document.created_at,
    }


def _citizen(citizen: Citizen | None) -> dict[str, Any] | None:
    if citizen is None:
        return None
    return {
        "full_name": citizen.full_name,
        "birth_date": citizen.birth_date,
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
        "identity_provider": citizen.issuer,
        "identity_level": citizen.identity_level,
        "first_sign_in_at": citizen.created_at,
        "last_sign_in_at": citizen.last_sign_in_at,
    }


def _dossier(dossier: Dossier) -> dict[str, Any]:
    rating = DossierRating.objects.filter(dossier=dossier).first()
    unit = dossier.applicant_address_unit
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "channel": dossier.channel,
        "status": dossier.get_status_display(),
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "receiving_center": dossier.receiving_center.name,
        "handling_agency": dossier.handling_agency.name,
        "applicant": {
            "full_name": dossier.applicant_name,
            "personal_id": dossier.applicant_personal_id,
            "birth_date": dossier.applicant_birth_date,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "commune": unit.name if unit is not None else None,
        },
        "components": [
            {"code": c.code, "name": c.name, "documents": [_document(d) for d in c.documents.all()]}
            for c in dossier.components.all()
        ],
        "result_documents": [_document(d) for d in dossier.result_documents.all()],
        "events": [
            {
                "seq": e.seq,
                "action": e.action,
                "at": e.at,
                "by": e.actor_username,
                "role": e.actor_role,
                "reason": e.reason,
                "payload": e.payload,
                "hash": e.hash,
            }
            for e in dossier.events.all()
        ],
        "rating": None
        if rating is None
        else {"satisfaction": rating.satisfaction, "comment": rating.comment, "at": rating.updated_at},
        "staff_reads": [
            {"at": log.at, "by": log.actor.username, "name": log.actor.get_full_name(), "purpose": log.purpose}
            for log in dossier.access_logs.all()
        ],
    }


def _messages(codes: list[str]) -> list[dict[str, Any]]:
    messages = OutboxMessage.objects.filter(dossier_code__in=codes).order_by("created_at", "id")
    return [
        {
            "dossier": m.dossier_code,
            "partner": m.partner,
            "kind": m.kind,
            "state": m.state,
            "payload": m.payload,
            "created_at": m.created_at,
            "delivered_at": m.delivered_at,
        }
        for m in messages
    ]


def _store(personal_id: str) -> list[dict[str, Any]]:
    items = PersonalDataStoreItem.objects.filter(personal_id=personal_id).select_related("document", "dossier")
    return [
        {
            "kind": item.kind,
            "component": item.component_code,
            "name": item.name,
            "from_dossier": item.dossier.code,
            "document": _document(item.document),
            "stored_at": item.created_at,
        }
        for item in items.order_by("created_at", "id")
    ]


def _drafts(personal_id: str) -> list[dict[str, Any]]:
    drafts = SubmissionDraft.objects.filter(personal_id=personal_id).select_related("procedure")
    return [
        {
            "procedure": draft.procedure.code,
            "data": draft.data,
            "files": draft.files,
            "saved_at": draft.updated_at,
            "expires_at": draft.expires_at,
        }
        for draft in drafts.order_by("created_at", "id")
    ]


def _tickets(codes: list[str]) -> list[dict[str, Any]]:
    links = TicketDossier.objects.filter(dossier_code__in=codes).select_related("ticket__center", "ticket__service")
    ratings = {r.ticket_id: r for r in Rating.objects.filter(ticket_id__in=[link.ticket_id for link in links])}
    out = []
    for link in links.order_by("ticket__issued_at", "id"):
        ticket = link.ticket
        rating = ratings.get(ticket.pk)
        out.append(
            {
                "dossier": link.dossier_code,
                "label": ticket.label,
                "center": ticket.center.name,
                "service": ticket.service.name,
                "issued_at": ticket.issued_at,
                "called_at": ticket.first_called_at,
                "ended_at": ticket.ended_at,
                "status": ticket.status,
                "rating": None if rating is None else {"score": rating.score, "comment": rating.comment},
            }
        )
    return out


def _appointments(phones: set[str]) -> list[dict[str, Any]]:
    booked = Appointment.objects.filter(phone__in=phones).select_related("slot__service")
    return [
        {
            "code": a.code,
            "full_name": a.full_name,
            "phone": a.phone,
            "service": a.slot.service.name,
            "starts_at": a.slot.starts_at,
            "status": a.status,
        }
        for a in booked.order_by("slot__starts_at", "id")
    ]
