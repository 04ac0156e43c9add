"""Dossier endpoints (api-contract.md): documents, reception, lists, detail, actions, public tracking,
printed forms and the register."""

from __future__ import annotations

from datetime import date

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import Field

from motcua.core.errors import NotFound
from motcua.core.pagination import keyset_page
from motcua.core.ratelimit import client_address
from motcua.dossiers.document_access import document_get_for_actor
from motcua.dossiers.filetypes import EXTENSIONS
from motcua.dossiers.forms.common import RenderedFile
from motcua.dossiers.forms.dossier_forms import dossier_form_render
from motcua.dossiers.forms.register import register_render
from motcua.dossiers.models import Document
from motcua.dossiers.paper_selectors import is_late, paper_transfers_late
from motcua.dossiers.schemas import (
    ActionIn,
    DocumentOut,
    DossierCreated,
    DossierDetail,
    DossierIn,
    DossierPage,
    DossierSummary,
    PaperSentIn,
    PaperTransferOut,
    PaperTransferPage,
    StoreItemOut,
    StoreOut,
    TrackingEvent,
    TrackingOut,
    detail,
    iso,
    paper_transfer_out,
    summary_fields,
)
from motcua.dossiers.selectors import dossier_get_for_actor, dossier_history, dossiers_visible_to
from motcua.dossiers.services.access import access_log_record
from motcua.dossiers.services.documents import document_path, document_store
from motcua.dossiers.services.obligations import tax_assessment_request
from motcua.dossiers.services.paper import paper_transfer_receive, paper_transfer_send
from motcua.dossiers.services.reception import ApplicantData, ComponentData, dossier_receive
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.services.workflow import dossier_transition
from motcua.dossiers.states import Status
from motcua.dossiers.store_selectors import applicant_store_offers
from motcua.dossiers.tracking_selectors import dossier_track
from motcua.org.auth import staff_auth
from motcua.org.models import StaffUser

router = Router(tags=["dossiers"])


def _actor(request: HttpRequest) -> StaffUser:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, StaffUser)
    return user


@router.post("/documents", response={201: DocumentOut}, auth=staff_auth, summary="Upload one document")
def upload_document(request: HttpRequest, file: File[UploadedFile]) -> Reply[DocumentOut]:
    document = document_store(actor=_actor(request), chunks=file.chunks(), name=file.name or "")
    return Reply(201, _document_out(document))


def _document_out(document: Document) -> DocumentOut:
    return DocumentOut(
        sha256=document.sha256, size=document.size, content_type=document.content_type, pages=document.pages
    )


@router.get("/documents/{sha256}", auth=staff_auth, summary="Read a stored document (authorized)")
def read_document(request: HttpRequest, sha256: str, download: bool = False) -> FileResponse:
    actor = _actor(request)
    access = document_get_for_actor(actor, sha256)
    path = document_path(access.document.sha256)
    if not path.is_file():
        raise NotFound("Tệp không còn trong kho lưu trữ.", code="document_file_missing")
    if access.dossier is not None:
        access_log_record(actor=actor, dossiers=[access.dossier], purpose="document")
    response = FileResponse(
        path.open("rb"),
        content_type=access.document.content_type,
        as_attachment=download,
        filename=f"{access.document.sha256}{EXTENSIONS[access.document.content_type]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/dossiers", response={201: DossierCreated}, auth=staff_auth, summary="Receive a dossier")
def receive_dossier(request: HttpRequest, body: DossierIn) -> Reply[DossierCreated]:
    dossier = dossier_receive(
        actor=_actor(request),
        procedure_code=body.procedure_code,
        receiving_center=body.receiving_unit,
        channel=body.channel,
        applicant=ApplicantData(**body.applicant.model_dump()),
        subject_unit=body.subject_unit,
        components=[ComponentData(**c.model_dump()) for c in body.components],
        return_place=body.return_place,
        idempotency_key=body.idempotency_key,
    )
    # The dossier as received, with its procedure, centre and agency: no need to read it back.
    fields = summary_fields(dossier, timezone.now())
    return Reply(201, DossierCreated(**fields, tracking_token=tracking_token(dossier)))


class DossierFilter(Schema):
    status: int | None = None
    overdue: bool | None = None
    cursor: str | None = None
    limit: int = 50


@router.get("/dossiers", response=DossierPage, auth=staff_auth, summary="Dossiers this actor may see")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> DossierPage:
    actor = _actor(request)
    now = timezone.now()
    dossiers = dossiers_visible_to(actor).select_related("procedure", "receiving_center", "handling_agency")
    if filters.status is not None:
        dossiers = dossiers.filter(status=filters.status)
    if filters.overdue is not None:
        late = dossiers.model.objects.filter(
            due_at__lt=now, finished_at__isnull=True, paused_at__isnull=True, status__in=_OPEN
        ).values("pk")
        dossiers = dossiers.filter(pk__in=late) if filters.overdue else dossiers.exclude(pk__in=late)
    rows, next_cursor = keyset_page(dossiers, keys=["-id"], cursor=filters.cursor, limit=filters.limit)
    access_log_record(actor=actor, dossiers=rows, purpose="list")
    return DossierPage(items=[DossierSummary(**summary_fields(d, now)) for d in rows], next_cursor=next_cursor)


_OPEN = [Status.ACCEPTED, Status.IN_PROGRESS, Status.FINANCIAL_OBLIGATION]


@router.get("/dossiers/{code}", response=DossierDetail, auth=staff_auth, summary="One dossier with its history")
def get_dossier(request: HttpRequest, code: str) -> DossierDetail:
    actor = _actor(request)
    dossier = dossier_get_for_actor(actor, code)
    access_log_record(actor=actor, dossiers=[dossier], purpose="detail")
    return detail(dossier, dossier_history(dossier), timezone.now())


@router.post("/dossiers/{code}/actions/{action}", response=DossierDetail, auth=staff_auth, summary="A lifecycle action")
def take_action(request: HttpRequest, code: str, action: str, body: ActionIn) -> DossierDetail:
    actor = _actor(request)
    dossier_transition(actor=actor, dossier_code=code, action=action, reason=body.reason, payload=body.payload)
    dossier = dossier_get_for_actor(actor, code)
    return detail(dossier, dossier_history(dossier), timezone.now())


@router.post(
    "/dossiers/{code}/tax-assessment",
    response={202: DossierDetail},
    auth=staff_auth,
    summary="Ask the tax authority for the financial obligation (state 6 when it notifies one)",
)
def request_tax_assessment(request: HttpRequest, code: str) -> Reply[DossierDetail]:
    actor = _actor(request)
    tax_assessment_request(actor=actor, dossier_code=code)
    dossier = dossier_get_for_actor(actor, code)
    return Reply(202, detail(dossier, dossier_history(dossier), timezone.now()))


@router.post(
    "/dossiers/{code}/paper-transfer/sent", response=PaperTransferOut, auth=staff_auth, summary="Paper dossier sent"
)
def paper_sent(request: HttpRequest, code: str, body: PaperSentIn) -> PaperTransferOut:
    transfer = paper_transfer_send(
        actor=_actor(request),
        dossier_code=code,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
        by_post=body.by_post,
    )
    return paper_transfer_out(transfer, late=is_late(transfer, timezone.now()))


@router.post(
    "/dossiers/{code}/paper-transfer/received",
    response=PaperTransferOut,
    auth=staff_auth,
    summary="Paper dossier received by the handling body",
)
def paper_received(request: HttpRequest, code: str) -> PaperTransferOut:
    transfer = paper_transfer_receive(actor=_actor(request), dossier_code=code)
    return paper_transfer_out(transfer, late=transfer.late)


@router.get("/paper-transfers/late", response=PaperTransferPage, auth=staff_auth, summary="Late paper transfers")
def late_paper_transfers(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> PaperTransferPage:
    now = timezone.now()
    rows, next_cursor = keyset_page(
        paper_transfers_late(_actor(request), now=now), keys=["due_at", "id"], cursor=cursor, limit=limit
    )
    return PaperTransferPage(items=[paper_transfer_out(t, late=True) for t in rows], next_cursor=next_cursor)


@router.get(
    "/applicants/{personal_id}/store", response=StoreOut, auth=staff_auth, summary="The applicant's personal data store"
)
def applicant_store(request: HttpRequest, personal_id: str, procedure: str | None = None) -> StoreOut:
    offers = applicant_store_offers(actor=_actor(request), personal_id=personal_id, procedure_code=procedure)
    return StoreOut(
        personal_id=personal_id,
        items=[
            StoreItemOut(
                id=offer.item.pk,
                kind=offer.item.kind,
                name=offer.item.name,
                component_code=offer.item.component_code,
                document=_document_out(offer.item.document),
                from_dossier=offer.item.dossier.code,
                stored_at=iso(offer.item.created_at) or "",
                fits=offer.fits,
            )
            for offer in offers
        ],
    )


@router.get(
    "/tracking/{code}",
    response=TrackingOut,
    auth=None,
    summary="Public tracking by code and token (rate-limited: 429 rate_limited)",
)
def track(request: HttpRequest, code: str, token: str = "") -> TrackingOut:
    tracked = dossier_track(code=code, token=token, client=client_address(request))
    dossier = tracked.dossier
    return TrackingOut(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        applicant=tracked.applicant,
        status=dossier.status,
        status_name=tracked.status_name,
        received_at=iso(dossier.received_at) or "",
        due_at=iso(dossier.due_at),
        returned_at=iso(dossier.returned_at),
        timeline=[
            TrackingEvent(at=iso(step.at) or "", action=step.action, status=step.status, status_name=step.status_name)
            for step in tracked.timeline
        ],
    )


@router.get(
    "/dossiers/{code}/forms/{form}", auth=staff_auth, summary="A printed form of the dossier (mau01–mau06), PDF"
)
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    return file_response(dossier_form_render(actor=_actor(request), dossier_code=code, form=form))


class RegisterFilter(Schema):
    field: str | None = None
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    format: str = "pdf"


@router.get("/registers/mau07", auth=staff_auth, summary="Sổ theo dõi hồ sơ (Mẫu 07) of a field and period")
def register(request: HttpRequest, filters: Query[RegisterFilter]) -> HttpResponse:
    rendered = register_render(
        actor=_actor(request), field_code=filters.field, start=filters.start, end=filters.end, fmt=filters.format
    )
    return file_response(rendered, attachment=rendered.filename.endswith(".xlsx"))


def file_response(rendered: RenderedFile, *, attachment: bool = False) -> HttpResponse:
    """A generated or stored file: the declared type only (nosniff), never cached by shared caches."""
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, rendered.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
