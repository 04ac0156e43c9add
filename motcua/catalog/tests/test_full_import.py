"""The shipped national data, imported whole (the slow test: about 10-20 s)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, F, Sum

from motcua.catalog.data import LIST_FILES, PORTAL_FILE
from motcua.catalog.models import Field, Procedure, WorkflowTemplate
from motcua.catalog.services.imports import import_procedure_files

pytestmark = pytest.mark.django_db

PORTAL_RECORDS = 2642


def test_full_portal_file_and_lists_import() -> None:
    report = import_procedure_files([PORTAL_FILE])

    assert report.created == PORTAL_RECORDS
    assert report.with_time >= Decimal("0.95") * PORTAL_RECORDS
    assert Field.objects.count() == 140
    assert WorkflowTemplate.objects.count() == PORTAL_RECORDS  # every procedure has a workflow
    mismatched = (
        WorkflowTemplate.objects.filter(limit_days__isnull=False)
        .annotate(total=Sum("steps__budget_days"))
        .exclude(total=F("limit_days"))
    )
    assert not mismatched.exists()
    assert not WorkflowTemplate.objects.annotate(n=Count("steps")).filter(n=0).exists()
    assert (
        Procedure.objects.filter(boundary_free=True).count()
        == Procedure.objects.filter(levels_index__regex=r"\|(province|commune)\|").count()
    )

    again = import_procedure_files([PORTAL_FILE, *LIST_FILES])

    assert (again.created, again.new_versions, again.unchanged) == (0, 0, PORTAL_RECORDS)
    assert again.list_rows_kept_portal == PORTAL_RECORDS
