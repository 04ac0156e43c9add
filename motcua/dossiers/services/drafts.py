"""Online submission drafts (nộp hồ sơ trực tuyến): save, attach, renew when expired, submit exactly once.

The portal signs the citizen in and passes their personal ID; every service checks that the draft is
theirs (another person's draft is "not found", like a missing one). A draft keeps everything typed even
when a check fails, so the citizen never types twice; it expires `MOTCUA_DRAFT_DAYS` after its last save
and is then renewed, content and files included, into a new one the citizen checks again before
submitting. Submitting passes the draft's idempotency key to `dossier_receive` under a lock on the draft:
double clicks and retries make one dossier, which enters status 1 for a desk to accept (domain.md §4.3).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import ChannelKind, Component, Procedure
from motcua.config import env
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.dossiers.models import Dossier, SubmissionDraft
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.reception import ApplicantData, ComponentData, dossier_receive
from motcua.dossiers.store_selectors import store_items_for

#: The form fields a draft keeps, as typed (dates as ISO text).
DRAFT_FIELDS = (
    "full_name",
    "birth_date",
    "phone",
    "email",
    "address",
    "address_unit",
    "subject_unit",
    "receiving_center",
    "return_place",
)


class DraftExpired(DomainError):
    code = "draft_expired"
    status = 410
    message = "Bản nháp đã hết hạn."


def draft_lifetime() -> timedelta:
    return timedelta(days=int(env("MOTCUA_DRAFT_DAYS")))


def draft_create(
    *,
    personal_id: str,
    procedure_code: str,
    data: dict[str, Any],
    vneid_verified: bool,
    now: datetime | None = None,
) -> SubmissionDraft:
    """A new draft of `procedure_code` for the citizen, holding `data` as typed."""
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã '{procedure_code}'.", code="unknown_procedure")
    at = now or timezone.now()
    return SubmissionDraft.objects.create(
        token=secrets.token_urlsafe(18),
        personal_id=personal_id,
        procedure=procedure,
        data=_kept(data),
        vneid_verified=vneid_verified,
        idempotency_key=f"draft-{uuid.uuid4().hex}",
        expires_at=at + draft_lifetime(),
    )


def draft_save(
    *,
    token: str,
    personal_id: str,
    data: dict[str, Any],
    store_items: dict[str, list[int]],
    now: datetime | None = None,
) -> SubmissionDraft:
    """Keep what the citizen typed and which stored papers they reuse; the draft lives on from now."""
    at = now or timezone.now()
    with transaction.atomic():
        draft = _editable(token, personal_id, at)
        chosen = {code: sorted(set(ids)) for code, ids in store_items.items() if ids}
        store_items_for(personal_id=personal_id, item_ids=[i for ids in chosen.values() for i in ids])
        draft.data = _kept(data)
        draft.store_items = chosen
        draft.expires_at = at + draft_lifetime()
        draft.save(update_fields=["data", "store_items", "expires_at", "updated_at"])
    return draft


def draft_attach(
    *,
    token: str,
    personal_id: str,
    component: str,
    chunks: Iterable[bytes],
    name: str = "",
    now: datetime | None = None,
) -> SubmissionDraft:
    """Store one uploaded file (type checked by content, size limited) as a paper of `component`."""
    at = now or timezone.now()
    with transaction.atomic():
        draft = _editable(token, personal_id, at)
        if component not in _components(draft.procedure):
            raise InvalidInput("Thành phần hồ sơ không có trong thủ tục.", code="unknown_components")
        document = document_store(actor=None, chunks=chunks, name=name)
        files = dict(draft.files)
        if document.sha256 not in files.get(component, []):
            files[component] = [*files.get(component, []), document.sha256]
        draft.files = files
        draft.expires_at = at + draft_lifetime()
        draft.save(update_fields=["files", "expires_at", "updated_at"])
    return draft


def draft_detach(
    *, token: str, personal_id: str, component: str, sha256: str, now: datetime | None = None
) -> SubmissionDraft:
    """Take one file off a component (the stored document stays: other drafts may hold it)."""
    at = now or timezone.now()
    with transaction.atomic():
        draft = _editable(token, personal_id, at)
        files = dict(draft.files)
        kept = [sha for sha in files.get(component, []) if sha != sha256]
        if kept:
            files[component] = kept
        else:
            files.pop(component, None)
        draft.files = files
        draft.save(update_fields=["files", "updated_at"])
    return draft


def draft_renew(*, token: str, personal_id: str, now: datetime | None = None) -> SubmissionDraft:
    """The live successor of an expired draft, made once with the same content and files."""
    at = now or timezone.now()
    with transaction.atomic():
        draft = _owned(token, personal_id, lock=True)
        if draft.renewed_as_id is not None:
            return _owned(draft.renewed_as.token, personal_id, lock=False)  # type: ignore[union-attr]
        if draft.dossier_id is not None or draft.expires_at > at:
            return draft
        renewed = SubmissionDraft.objects.create(
            token=secrets.token_urlsafe(18),
            personal_id=draft.personal_id,
            procedure=draft.procedure,
            data=draft.data,
            files=draft.files,
            store_items=draft.store_items,
            vneid_verified=draft.vneid_verified,
            idempotency_key=f"draft-{uuid.uuid4().hex}",
            expires_at=at + draft_lifetime(),
        )
        draft.renewed_as = renewed
        draft.save(update_fields=["renewed_as", "updated_at"])
    return renewed


def draft_submit(*, token: str, personal_id: str, now: datetime | None = None) -> Dossier:
    """Submit the draft as an online dossier (status 1); a second call answers the same dossier."""
    at = now or timezone.now()
    with transaction.atomic():
        draft = _owned(token, personal_id, lock=True)
        if draft.dossier_id is not None:
            return Dossier.objects.get(pk=draft.dossier_id)
        if draft.renewed_as_id is not None or draft.expires_at <= at:
            raise DraftExpired(expired_at=draft.expires_at.isoformat())
        listed = _components(draft.procedure)
        filed = {code for code, shas in draft.files.items() if shas} | {
            code for code, ids in draft.store_items.items() if ids
        }
        missing = [c for code, c in listed.items() if c.required and code not in filed]
        if missing:
            raise InvalidInput(
                "Hồ sơ thiếu thành phần bắt buộc.",
                code="missing_components",
                components=[{"code": c.code, "name": c.name} for c in missing],
            )
        data = draft.data
        dossier = dossier_receive(
            actor=None,
            procedure_code=draft.procedure.code,
            receiving_center=str(data.get("receiving_center", "")),
            channel=ChannelKind.ONLINE,
            applicant=ApplicantData(
                full_name=str(data.get("full_name", "")),
                personal_id=draft.personal_id,
                birth_date=_date(data.get("birth_date")),
                phone=str(data.get("phone", "")),
                email=str(data.get("email", "")),
                address=str(data.get("address", "")),
                address_unit=str(data.get("address_unit") or "") or None,
            ),
            subject_unit=str(data.get("subject_unit", "")),
            components=[
                ComponentData(
                    component=code,
                    documents=list(draft.files.get(code, [])),
                    store_items=list(draft.store_items.get(code, [])),
                )
                for code in listed
                if code in filed
            ],
            return_place=str(data.get("return_place") or "desk"),
            idempotency_key=draft.idempotency_key,
            received_at=at,
            vneid_verified=draft.vneid_verified,
        )
        draft.dossier = dossier
        draft.save(update_fields=["dossier", "updated_at"])
    return dossier


def _owned(token: str, personal_id: str, *, lock: bool) -> SubmissionDraft:
    drafts = SubmissionDraft.objects.select_related("procedure")
    if lock:
        drafts = drafts.select_for_update(of=("self",))
    draft = drafts.filter(token=token, personal_id=personal_id).first()
    if draft is None:
        raise NotFound("Không tìm thấy bản nháp.", code="draft_not_found")
    return draft


def _editable(token: str, personal_id: str, at: datetime) -> SubmissionDraft:
    draft = _owned(token, personal_id, lock=True)
    if draft.dossier_id is not None:
        raise Conflict("Bản nháp đã được nộp thành hồ sơ.", code="draft_submitted")
    if draft.renewed_as_id is not None or draft.expires_at <= at:
        raise DraftExpired(expired_at=draft.expires_at.isoformat())
    return draft


def _components(procedure: Procedure) -> dict[str, Component]:
    """The papers of an online dossier of `procedure` (not the desk's paper forms)."""
    version = procedure.current_version
    if version is None:
        return {}
    return {c.code: c for c in version.components.order_by("position") if c.applies_to(ChannelKind.ONLINE)}


def _kept(data: dict[str, Any]) -> dict[str, str]:
    return {name: str(data.get(name) or "") for name in DRAFT_FIELDS}


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        raise InvalidInput("Ngày sinh không hợp lệ.", code="invalid_birth_date", field="birth_date") from None
