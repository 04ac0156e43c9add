"""Dashboard pages: parse the scope (`don-vi`) and period (`ky`), call the page builder, render HTML or
XLSX. Supervisors see the province and may pick any unit in it; unit staff their own unit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.dossiers.views.common import staff_page
from motcua.org.models import StaffUser
from motcua.reports import pages
from motcua.reports.exports import PDF, XLSX, page_xlsx, periodic_report_pdf
from motcua.reports.periods import Period, current_month_key, period_parse
from motcua.reports.selectors import (
    InvalidUnit,
    Scope,
    actor_province,
    is_supervisor,
    report_scope,
    scope_for_actor,
    unit_names,
)

TABS = (
    ("reports:index766", "Chỉ số 766"),
    ("reports:backlog", "Hồ sơ tồn đọng"),
    ("reports:deadlines", "Quá hạn, sắp đến hạn và cảnh báo sớm"),
    ("reports:processing", "Thời gian giải quyết"),
    ("reports:flows", "Liên thông và chuyển hồ sơ giấy"),
    ("reports:queues", "Lấy số và đánh giá"),
)


def _scope(request: HttpRequest, actor: StaffUser) -> Scope:
    return report_scope(actor, request.GET.get("don-vi") or None)


def _period(request: HttpRequest) -> Period:
    return period_parse(request.GET.get("ky") or current_month_key())


def _respond(request: HttpRequest, actor: StaffUser, page: pages.Page) -> HttpResponse:
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(page_xlsx(page), content_type=XLSX)
        period = f"-{page.period.key}" if page.period else ""
        filename = f"bao-cao-{page.slug}-{page.scope.unit or page.scope.province}{period}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    query = {"don-vi": page.scope.unit or page.scope.province}
    if page.period is not None:
        query["ky"] = page.period.key
    context = {
        "page": page,
        "tabs": TABS,
        "query": urlencode(query),
        "supervisor": is_supervisor(actor),
        "units": sorted(unit_names(page.scope.province).items()) if is_supervisor(actor) else [],
    }
    return render(request, "reports/page.html", context)


@staff_page
def index766(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    scope = _scope(request, actor)
    return _respond(request, actor, pages.index766_page(scope, _period(request), now=timezone.now()))


@staff_page
def backlog(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    return _respond(request, actor, pages.backlog_page(_scope(request, actor), now=timezone.now()))


@staff_page
def deadlines(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    export = request.GET.get("format") == "xlsx"
    return _respond(request, actor, pages.deadlines_page(_scope(request, actor), now=timezone.now(), export=export))


@staff_page
def processing(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    scope = _scope(request, actor)
    return _respond(request, actor, pages.processing_page(scope, _period(request)))


@staff_page
def flows(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    scope = _scope(request, actor)
    return _respond(request, actor, pages.flow_page(scope, _period(request), now=timezone.now()))


@staff_page
def queues(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    scope = _scope(request, actor)
    return _respond(request, actor, pages.queue_page(scope, _period(request)))


@staff_page
def periodic_pdf(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    """The province's periodic report: province scope only, so the province's supervisors (and system
    admins, who name the province with `tinh`)."""
    scope = scope_for_actor(actor, actor_province(actor) or request.GET.get("tinh", ""))
    if scope.unit is not None:
        raise InvalidUnit(unit=scope.unit)
    period = _period(request)
    report = pages.periodic_report(scope, period, now=timezone.now())
    response = HttpResponse(periodic_report_pdf(report), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="bao-cao-{scope.province}-{period.key}.pdf"'
    return response
