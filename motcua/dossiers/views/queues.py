"""Work queues: the specialist's inbox, the leader's approval queue, the clerk's and the desk's queues."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.core.errors import NotFound
from motcua.dossiers.selectors import WORK_QUEUES, dossier_work_queue
from motcua.dossiers.services.access import access_log_record
from motcua.dossiers.views.common import is_htmx, staff_page
from motcua.org.models import Role, StaffUser

PAGE_SIZE = 50


@staff_page
def home(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    """Each role starts on its queue; the desk on its reception page; roles without dossiers to work on
    on their own pages (by URL name: the apps above this one are not imported)."""
    if actor.role == Role.RECEPTION:
        return redirect("dossiers:reception")
    if actor.role == Role.SUPERVISOR:
        return redirect("reports:index766")
    if actor.role == Role.CENTER_ADMIN and actor.center is not None:
        return redirect("queueing:statistics", center_code=actor.center.code)
    if actor.role == Role.SYSTEM_ADMIN:
        return redirect("admin:index")
    queue = WORK_QUEUES.get(Role(actor.role))
    if queue is None:
        raise NotFound("Vai trò này không có hàng hồ sơ chờ xử lý.", code="no_work_queue")
    return redirect("dossiers:queue", slug=queue.slug)


@staff_page
def queue(request: HttpRequest, actor: StaffUser, slug: str) -> HttpResponse:
    work, rows, next_cursor = dossier_work_queue(actor, cursor=request.GET.get("sau") or None, limit=PAGE_SIZE)
    if work.slug != slug:
        raise NotFound("Hàng hồ sơ này không dành cho vai trò của bạn.", code="not_your_queue")
    access_log_record(actor=actor, dossiers=[row.dossier for row in rows], purpose="queue")
    context = {"queue": work, "rows": rows, "next_cursor": next_cursor}
    template = "dossiers/staff/_queue_rows.html" if is_htmx(request) else "dossiers/staff/queue.html"
    return render(request, template, context)
