"""Online submission (nộp hồ sơ trực tuyến): `/nop-truc-tuyen/<procedure>/` starts or resumes the signed-in
citizen's draft, `/nop-truc-tuyen/<procedure>/<draft>/` saves, uploads and submits it, and
`/nop-truc-tuyen/da-nop/<draft>/` confirms with the dossier code and tracking link.

Every POST first saves what was typed, then stores each file, then (on "Nộp hồ sơ") submits: a refused
file or a failed check is a message beside the form, and nothing typed or uploaded is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import ChannelKind, Procedure
from motcua.catalog.selectors import procedure_get
from motcua.citizens.models import Citizen
from motcua.citizens.session import current_citizen
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.draft_selectors import citizen_store, draft_documents, draft_get, draft_latest
from motcua.dossiers.filetypes import RefusedFile
from motcua.dossiers.models import SubmissionDraft
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.documents import max_upload_bytes
from motcua.dossiers.services.drafts import (
    DraftExpired,
    draft_attach,
    draft_create,
    draft_detach,
    draft_renew,
    draft_save,
    draft_submit,
)
from motcua.dossiers.services.tracking import tracking_url
from motcua.org.models import ServiceCenter
from motcua.org.selectors import units_of_province
from motcua.portal.forms_public import SubmissionForm
from motcua.workcal.legal import online_acceptance_deadline


def _messages(code: str, name: str = "") -> str:
    """Service error codes in the citizen's language (the services speak Vietnamese to the API)."""
    mb = max_upload_bytes() // (1024 * 1024)
    known = {
        "file_too_large": _("Tệp “%(name)s” lớn hơn %(mb)s MB nên không được nhận. Các thông tin khác đã được lưu."),
        "unsupported_file_type": _(
            "Tệp “%(name)s” không phải PDF, JPEG, PNG hoặc TIFF (kiểm tra theo nội dung tệp, không theo tên tệp) nên không được nhận. Các thông tin khác đã được lưu."
        ),
        "empty_file": _("Tệp “%(name)s” rỗng."),
        "missing_components": _("Hồ sơ còn thiếu giấy tờ bắt buộc: hãy tải lên hoặc chọn từ kho dữ liệu."),
        "invalid_personal_id": _("Số định danh cá nhân không hợp lệ."),
        "applicant_name_required": _("Vui lòng nhập họ và tên."),
        "not_boundary_free": _(
            "Thủ tục này không tiếp nhận phi địa giới: hãy chọn trung tâm của xã, phường nơi phát sinh thủ tục."
        ),
        "channel_not_offered": _("Thủ tục này không nhận hồ sơ trực tuyến."),
    }
    message = known.get(code, _("Không nộp được hồ sơ: %(reason)s"))
    return message % {"name": name, "mb": mb, "reason": code}


def _file_message(error: DomainError, name: str) -> str:
    """A refused upload: the page's own wording where it has one, else the document service's reason."""
    if isinstance(error, RefusedFile) and error.code != "unsupported_file_type":
        return _("Tệp “%(name)s” không được nhận: %(reason)s Các thông tin khác đã được lưu.") % {
            "name": name,
            "reason": error.message,
        }
    return _messages(error.code, name)


def _local(at: datetime) -> str:
    return dateformat.format(timezone.localtime(at), "H:i d/m/Y")


def _online_procedure(code: str) -> Procedure | None:
    try:
        procedure = procedure_get(code=code)
    except NotFound:
        return None
    version = procedure.current_version
    if version is None or not version.channels.filter(kind=ChannelKind.ONLINE).exists():
        return None
    return procedure


def _choices() -> dict[str, list[tuple[str, str]]]:
    centers = ServiceCenter.objects.filter(province_id=settings.MOTCUA_PROVINCE, is_active=True).order_by("name")
    return {
        "units": [(u.code, u.name) for u in units_of_province(settings.MOTCUA_PROVINCE).order_by("name")],
        "centers": [(c.code, c.name) for c in centers],
    }


def _form(
    procedure: Procedure, citizen: Citizen, data: Any = None, files: Any = None, initial: dict[str, Any] | None = None
) -> SubmissionForm:
    version = procedure.current_version
    # An online dossier: the papers for the desk or the post only (their paper forms) are not asked for.
    components = (
        [c for c in version.components.order_by("position") if c.applies_to(ChannelKind.ONLINE)] if version else []
    )
    return SubmissionForm(
        data,
        files,
        initial=initial,
        components=components,
        store=citizen_store(personal_id=citizen.personal_id, procedure=procedure),
        **_choices(),
    )


def _initial(citizen: Citizen, draft: SubmissionDraft | None) -> dict[str, Any]:
    profile = {
        "full_name": citizen.full_name,
        "birth_date": citizen.birth_date.isoformat() if citizen.birth_date else "",
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
        "return_place": "desk",
    }
    typed = {k: v for k, v in (draft.data if draft else {}).items() if v}
    reused = {}
    if draft is not None:
        version = draft.procedure.current_version
        codes = (
            [c.code for c in version.components.order_by("position") if c.applies_to(ChannelKind.ONLINE)]
            if version
            else []
        )
        reused = {f"reuse_{i}": [str(x) for x in draft.store_items.get(code, [])] for i, code in enumerate(codes)}
    return {**profile, **typed, **reused}


def _render(
    request: HttpRequest,
    procedure: Procedure,
    citizen: Citizen,
    form: SubmissionForm,
    draft: SubmissionDraft | None,
    *,
    notice: str = "",
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    response = render(
        request,
        "portal/submission.html",
        {
            "procedure": procedure,
            "citizen": citizen,
            "form": form,
            "draft": draft,
            "documents": draft_documents(draft) if draft else {},
            "notice": notice,
            "errors": errors or [],
            "max_mb": max_upload_bytes() // (1024 * 1024),
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _sign_in_page(request: HttpRequest, procedure: Procedure) -> HttpResponse:
    next_url = request.get_full_path()
    return render(request, "portal/submission_sign_in.html", {"procedure": procedure, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def submission_start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _online_procedure(code)
    if procedure is None:
        return render(request, "portal/submission_unavailable.html", {"code": code}, status=404)
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in_page(request, procedure)
    if request.method == "GET":
        draft = draft_latest(personal_id=citizen.personal_id, procedure=procedure)
        if draft is not None:
            return redirect("portal:submission_draft", code=procedure.code, token=draft.token)
        return _render(request, procedure, citizen, _form(procedure, citizen, initial=_initial(citizen, None)), None)
    form = _form(procedure, citizen, request.POST, request.FILES)
    # Citizens sign in only through the OIDC provider (VNeID): TaiKhoanDuocXacThucVoiVNeID.
    draft = draft_create(
        personal_id=citizen.personal_id, procedure_code=procedure.code, data=form.typed(), vneid_verified=True
    )
    return _handle_post(request, procedure, citizen, draft)


@never_cache
@require_http_methods(["GET", "POST"])
def submission_draft(request: HttpRequest, code: str, token: str) -> HttpResponse:
    procedure = _online_procedure(code)
    citizen = current_citizen(request)
    if procedure is None:
        return render(request, "portal/submission_unavailable.html", {"code": code}, status=404)
    if citizen is None:
        return _sign_in_page(request, procedure)
    try:
        draft = draft_get(token=token, personal_id=citizen.personal_id)
    except NotFound:
        return render(request, "portal/submission_unavailable.html", {"code": code, "draft": True}, status=404)
    if draft.dossier_id is not None:
        return redirect("portal:submission_done", token=draft.token)
    if draft.renewed_as_id is not None or draft.expires_at <= timezone.now():
        return _renewed(request, procedure, citizen, draft)
    if request.method == "GET":
        notice = _("Đã lưu bản nháp. Bạn có thể quay lại nộp tiếp trước %(date)s.") % {"date": _local(draft.expires_at)}
        form = _form(procedure, citizen, initial=_initial(citizen, draft))
        return _render(request, procedure, citizen, form, draft, notice=notice if "saved" in request.GET else "")
    return _handle_post(request, procedure, citizen, draft)


def _renewed(request: HttpRequest, procedure: Procedure, citizen: Citizen, expired: SubmissionDraft) -> HttpResponse:
    """An expired draft is carried into a new one, and the citizen told so; a POST's typed data is kept too."""
    draft = draft_renew(token=expired.token, personal_id=citizen.personal_id)
    notice = _(
        "Bản nháp lưu trước đây đã hết hạn lúc %(expired)s. Toàn bộ thông tin và tệp đã khai được chép sang bản nháp mới, giữ đến %(until)s. Vui lòng kiểm tra lại rồi nộp."
    ) % {"expired": _local(expired.expires_at), "until": _local(draft.expires_at)}
    if request.method == "POST":
        form = _form(procedure, citizen, request.POST, request.FILES)
        draft = draft_save(
            token=draft.token, personal_id=citizen.personal_id, data=form.typed(), store_items=form.reused()
        )
        form = _form(procedure, citizen, initial=_initial(citizen, draft))
        return _render(request, procedure, citizen, form, draft, errors=[notice], status=409)
    form = _form(procedure, citizen, initial=_initial(citizen, draft))
    return _render(request, procedure, citizen, form, draft, errors=[notice])


def _handle_post(request: HttpRequest, procedure: Procedure, citizen: Citizen, draft: SubmissionDraft) -> HttpResponse:
    form = _form(procedure, citizen, request.POST, request.FILES)
    valid = form.is_valid()
    errors: list[str] = []
    try:
        draft = draft_save(
            token=draft.token, personal_id=citizen.personal_id, data=form.typed(), store_items=form.reused()
        )
        for index, component in enumerate(form.components):
            remove = f"{component.code}:"
            if request.POST.get("remove", "").startswith(remove):
                draft = draft_detach(
                    token=draft.token,
                    personal_id=citizen.personal_id,
                    component=component.code,
                    sha256=request.POST["remove"].removeprefix(remove),
                )
            upload = request.FILES.get(f"file_{index}")
            if upload is None:
                continue
            try:
                draft = draft_attach(
                    token=draft.token,
                    personal_id=citizen.personal_id,
                    component=component.code,
                    chunks=upload.chunks(),
                    name=upload.name or "",
                )
            except DomainError as error:
                message = _file_message(error, upload.name or "")
                form.add_error(f"file_{index}", message)
                errors.append(message)
                valid = False
        if request.POST.get("action") == "submit" and valid:
            draft_submit(token=draft.token, personal_id=citizen.personal_id)
            return redirect("portal:submission_done", token=draft.token)
    except DraftExpired:
        return _renewed(request, procedure, citizen, draft)
    except DomainError as error:
        if error.code == "draft_submitted":
            # A double click: the first click submitted; answer with its confirmation.
            return redirect("portal:submission_done", token=draft.token)
        errors.append(_messages(error.code))
        valid = False
    if errors or not valid:
        return _render(request, procedure, citizen, form, draft, errors=errors, status=400)
    return redirect(f"{reverse('portal:submission_draft', args=[procedure.code, draft.token])}?saved=1")


@never_cache
@require_GET
def submission_done(request: HttpRequest, token: str) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is None:
        return redirect(f"{reverse('citizens:sign_in')}?next={request.path}")
    try:
        draft = draft_get(token=token, personal_id=citizen.personal_id)
    except NotFound:
        return render(request, "portal/submission_unavailable.html", {"draft": True}, status=404)
    dossier = draft.dossier
    if dossier is None:
        return redirect("portal:submission_draft", code=draft.procedure.code, token=draft.token)
    calendar = deadlines.calendar_for(dossier.receiving_center.province_id)
    return render(
        request,
        "portal/submission_done.html",
        {
            "dossier": dossier,
            "procedure": draft.procedure,
            "tracking_url": tracking_url(dossier),
            "acceptance_due": online_acceptance_deadline(dossier.received_at, calendar),
        },
    )
