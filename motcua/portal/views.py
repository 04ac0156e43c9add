"""Public pages: home, search, the lookup kiosk, a procedure and its printable checklist.

Thin: parse the GET form, call catalog search or selectors, render. Every page works without
JavaScript; bad input comes back as a message beside the form, never an error page.
"""

from __future__ import annotations

from typing import Any

import segno
import weasyprint
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from motcua.catalog.models import Procedure, WorkflowTemplate
from motcua.catalog.search import search_procedures
from motcua.catalog.selectors import procedure_get, procedures_list
from motcua.core.errors import DomainError, NotFound
from motcua.org.models import ServiceCenter
from motcua.portal.forms import SearchForm

PORTAL_RESULTS = 20
KIOSK_RESULTS = 8
#: Topics a kiosk offers as one-touch buttons: what most people come to a commune center for.
KIOSK_TOPICS = (
    ("Khai sinh", "đăng ký khai sinh"),
    ("Kết hôn", "đăng ký kết hôn"),
    ("Khai tử", "đăng ký khai tử"),
    ("Chứng thực bản sao", "chứng thực bản sao từ bản chính"),
    ("Thường trú, tạm trú", "đăng ký thường trú tạm trú"),
    ("Sổ đỏ, đất đai", "giấy chứng nhận quyền sử dụng đất"),
    ("Hộ kinh doanh", "đăng ký thành lập hộ kinh doanh"),
    ("Bảo hiểm xã hội", "hưởng bảo hiểm xã hội"),
)


def _search(request: HttpRequest, limit: int, *, with_filters: bool) -> dict[str, Any]:
    """The form bound to the query string, and its ranked results with their catalog rows."""
    if "q" not in request.GET:
        return {"form": SearchForm(with_filters=with_filters), "results": None}
    form = SearchForm(request.GET, with_filters=with_filters)
    results: list[Procedure] | None = None
    if form.is_valid():
        try:
            hits = search_procedures(form.cleaned_data["q"], limit=limit, filters=form.filters())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            rows = procedures_list().filter(code__in=[h.code for h in hits]).in_bulk(field_name="code")
            results = [rows[h.code] for h in hits if h.code in rows]
    return {"form": form, "results": results}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"form": SearchForm(with_filters=False)})


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/search.html", _search(request, PORTAL_RESULTS, with_filters=True))


def kiosk(request: HttpRequest) -> HttpResponse:
    context = _search(request, KIOSK_RESULTS, with_filters=False)
    context["topics"] = KIOSK_TOPICS
    return render(request, "portal/kiosk.html", context)


def _procedure_context(request: HttpRequest, code: str) -> dict[str, Any]:
    procedure = procedure_get(code=code)
    version = procedure.current_version
    workflow: WorkflowTemplate | None = getattr(procedure, "workflow", None)
    # Boundary-free procedures are received at any center of the province (phi địa giới hành chính).
    centers = (
        ServiceCenter.objects.filter(province_id=settings.MOTCUA_PROVINCE, is_active=True)
        .select_related("unit")
        .order_by("name")
        if procedure.boundary_free
        else ServiceCenter.objects.none()
    )
    page_url = request.build_absolute_uri(reverse("portal:procedure", args=[procedure.code]))
    return {
        "procedure": procedure,
        "version": version,
        "channels": list(version.channels.all()) if version else [],
        "components": list(version.components.all()) if version else [],
        "legal_bases": list(version.legal_bases.all()) if version else [],
        "workflow": workflow,
        "centers": list(centers),
        "page_url": page_url,
        "from_kiosk": request.GET.get("from") == "kiosk",
    }


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "portal/not_found.html", {"code": code, "form": SearchForm(with_filters=False)}, status=404)


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    try:
        context = _procedure_context(request, code)
    except NotFound:
        return _not_found(request, code)
    return render(request, "portal/procedure.html", context)


def checklist_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Danh mục hồ sơ: the components to bring, fees and time limit, with a QR to the procedure page."""
    try:
        context = _procedure_context(request, code)
    except NotFound:
        return _not_found(request, code)
    context["qr"] = segno.make(context["page_url"], error="m").svg_data_uri(scale=3, border=1)
    html = render_to_string("portal/checklist.html", context, request=request)
    pdf = bytes(weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"danh-muc-{context['procedure'].code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
