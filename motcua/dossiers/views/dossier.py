"""The dossier page: summary, steps, documents, timeline, and the actions this actor may take now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from motcua.core.errors import DomainError, InvalidInput
from motcua.dossiers.forms.dossier_forms import dossier_form_render
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import (
    assignable_specialists,
    dossier_document,
    dossier_get_for_actor,
    dossier_history,
    dossier_urgency,
)
from motcua.dossiers.services.access import access_log_record
from motcua.dossiers.services.documents import document_path
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.services.workflow import dossier_actions_for, dossier_transition
from motcua.dossiers.states import Action, SubState, Transition
from motcua.dossiers.views.common import is_htmx, staff_page
from motcua.dossiers.views.inputs import action_payload, store_uploads
from motcua.dossiers.views.labels import ACTION_LABELS, event_label
from motcua.org.models import Role, StaffUser

#: Actions whose form carries more than a reason.
_RESULT_FILES = {Action.APPROVE, Action.REJECT}


@dataclass(frozen=True)
class ActionForm:
    """One button of the page and the fields its form needs."""

    action: Action
    transition: Transition
    label: StrOrPromise
    specialists: list[StaffUser]

    @property
    def result_files(self) -> bool:
        return self.action in _RESULT_FILES


@staff_page
def dossier_page(request: HttpRequest, actor: StaffUser, code: str) -> HttpResponse:
    context = _context(actor, code)
    context["new"] = request.GET.get("moi") == "1"
    return render(request, "dossiers/staff/dossier.html", context)


@require_POST
@staff_page
def dossier_action(request: HttpRequest, actor: StaffUser, code: str, action: str) -> HttpResponse:
    """Take the action; on refusal (409 and others) show the Vietnamese message beside the form, with
    what the officer typed still in it."""
    try:
        stored, refused = store_uploads(actor, request.FILES.getlist("result_files"))
        if refused:
            raise InvalidInput("; ".join(refused), code="result_file_refused")
        dossier_transition(
            actor=actor,
            dossier_code=code,
            action=action,
            reason=request.POST.get("reason", ""),
            payload=action_payload(request.POST, stored),
        )
    except DomainError as error:
        context = _context(actor, code, error=error, failed=action, posted=request.POST)
        template = "dossiers/staff/_dossier.html" if is_htmx(request) else "dossiers/staff/dossier.html"
        return render(request, template, context, status=error.status)
    done = ACTION_LABELS.get(Action(action), action)
    if is_htmx(request):
        return render(request, "dossiers/staff/_dossier.html", _context(actor, code, done=done))
    messages.success(request, str(done))
    return redirect("dossiers:dossier", code=code)


@staff_page
def dossier_form(request: HttpRequest, actor: StaffUser, code: str, form: str) -> HttpResponse:
    """A printed form (Mẫu 01 receipt, Mẫu 06 control sheet, …) as PDF, for a signed-in officer: the same
    rendering as `GET /api/v1/dossiers/{code}/forms/{form}`, which takes a token instead of a session."""
    rendered = dossier_form_render(actor=actor, dossier_code=code, form=form)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(False, rendered.filename) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
def dossier_file(request: HttpRequest, actor: StaffUser, code: str, sha256: str) -> FileResponse:
    """A filed scan or a result, only to those who may see the dossier (never from the web root)."""
    dossier = dossier_get_for_actor(actor, code)
    document = dossier_document(dossier, sha256)
    access_log_record(actor=actor, dossiers=[dossier], purpose="document")
    return FileResponse(document_path(document.sha256).open("rb"), content_type=document.content_type)


@dataclass(frozen=True)
class TimelineEntry:
    event: DossierEvent
    action: StrOrPromise
    state: StrOrPromise


def _context(actor: StaffUser, code: str, **extra: Any) -> dict[str, Any]:
    dossier = dossier_get_for_actor(actor, code)
    access_log_record(actor=actor, dossiers=[dossier], purpose="page")
    actions = _actions(actor, dossier)
    return {
        "dossier": dossier,
        "urgency": dossier_urgency(dossier, timezone.now()),
        "actions": actions,
        "error_in_form": extra.get("failed") in {item.action.value for item in actions},
        "steps": dossier.steps.select_related("assignee").order_by("order"),
        "components": dossier.components.prefetch_related("documents").order_by("pk"),
        "results": dossier.result_documents.all(),
        "timeline": [
            TimelineEntry(event, event_label(event.action), SubState(event.to_sub_state).label)
            for event in dossier_history(dossier)
        ],
        "tracking_token": tracking_token(dossier) if actor.role == Role.RECEPTION else "",
        "posted": {},
        **extra,
    }


def _actions(actor: StaffUser, dossier: Dossier) -> list[ActionForm]:
    specialists = list(assignable_specialists(dossier)) if actor.role == Role.LEADER else []
    return [
        ActionForm(action, transition, ACTION_LABELS[action], specialists if action == Action.ASSIGN else [])
        for action, transition in dossier_actions_for(actor, dossier)
    ]
