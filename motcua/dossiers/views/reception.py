"""The reception desk: find the procedure, fill in the applicant, tick and scan components, receive."""

from __future__ import annotations

from uuid import uuid4

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.catalog.models import ChannelKind
from motcua.catalog.selectors import procedure_get
from motcua.core.errors import DomainError, PermissionDenied
from motcua.dossiers.selectors import procedures_for_desk
from motcua.dossiers.services.reception import ApplicantData, dossier_receive
from motcua.dossiers.views.common import is_htmx, staff_page
from motcua.dossiers.views.inputs import FiledComponent, ReceptionForm, filed_components
from motcua.org.models import Role, StaffUser
from motcua.org.selectors import units_of_province


@staff_page
def reception(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    if actor.role != Role.RECEPTION or actor.center is None:
        raise PermissionDenied("Chỉ công chức một cửa được tiếp nhận hồ sơ.", code="not_receiving_desk")
    query = request.GET.get("q", "").strip()
    matches = procedures_for_desk(query)
    if is_htmx(request) and "q" in request.GET:
        return render(request, "dossiers/staff/_procedure_matches.html", {"matches": matches, "query": query})
    code = request.POST.get("procedure") or request.GET.get("thu-tuc", "")
    procedure = procedure_get(code=code) if code else None
    version = procedure.current_version if procedure else None
    # The desk files paper dossiers (direct or by post): the online-only e-forms are not listed.
    components = (
        [c for c in version.components.all() if c.applies_to(ChannelKind.DIRECT) or c.applies_to(ChannelKind.POST)]
        if version
        else []
    )
    units = units_of_province(actor.center.province_id)
    filed: list[FiledComponent] = []
    form = ReceptionForm(units=units, initial={"idempotency_key": uuid4().hex})
    if request.method == "POST" and procedure is not None:
        form = ReceptionForm(request.POST, units=units)
        filed = filed_components(actor, request, components)
        if form.is_valid() and not any(item.errors for item in filed):
            data = form.cleaned_data
            try:
                dossier = dossier_receive(
                    actor=actor,
                    procedure_code=procedure.code,
                    receiving_center=actor.center.code,
                    channel=data["channel"],
                    applicant=ApplicantData(
                        full_name=data["full_name"],
                        personal_id=data["personal_id"],
                        birth_date=data["birth_date"],
                        phone=data["phone"],
                        email=data["email"],
                        address=data["address"],
                        address_unit=data["subject_unit"].code,
                    ),
                    subject_unit=data["subject_unit"].code,
                    components=[item.as_service_input() for item in filed if item.ticked],
                    return_place=data["return_place"],
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as error:
                form.add_service_error(error)
            else:
                return redirect(reverse("dossiers:dossier", args=[dossier.code]) + "?moi=1")
    context = {
        "query": query,
        "matches": matches,
        "procedure": procedure,
        "filed": filed or [FiledComponent(component) for component in components],
        "form": form,
    }
    status = 422 if form.errors or any(item.errors for item in filed) else 200
    return render(request, "dossiers/staff/reception.html", context, status=status)
