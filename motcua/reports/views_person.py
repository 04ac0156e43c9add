"""`/bao-cao/du-lieu-ca-nhan/`: a supervisor downloads everything held about one person (JSON), the page form
of `motcua person-export` (see `reports.person_export`, which checks the role and logs the export)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, PermissionDenied
from motcua.dossiers.views.common import staff_page
from motcua.org.models import StaffUser
from motcua.reports.person_export import person_export
from motcua.reports.selectors import is_supervisor


@require_http_methods(["GET", "POST"])
@staff_page
def person_export_page(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    if not is_supervisor(actor):
        raise PermissionDenied(
            "Chỉ cán bộ giám sát cấp tỉnh được xuất dữ liệu cá nhân.", code="person_export_not_allowed"
        )
    error = ""
    personal_id = ""
    if request.method == "POST":
        # POST: the personal ID stays out of URLs, browser history and server logs.
        personal_id = request.POST.get("personal_id", "").strip()
        try:
            export = person_export(actor=actor, personal_id=personal_id)
        except DomainError as refused:
            error = refused.message
        else:
            body = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
            response["Cache-Control"] = "private, no-store"
            return response
    context = {"error": error, "personal_id": personal_id}
    return render(request, "reports/person_export.html", context, status=422 if error else 200)
