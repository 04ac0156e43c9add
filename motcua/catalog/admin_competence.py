"""Admin of competence: sector assignments and delegation records (phân cấp, ủy quyền)."""

from __future__ import annotations

from django.contrib import admin

from motcua.catalog.models import Delegation, SectorAssignment


@admin.register(SectorAssignment)
class SectorAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["field", "procedure", "agency", "commune_agency_kind", "province"]
    list_filter = ["province", "commune_agency_kind", "agency"]
    search_fields = ["field__name", "procedure__code", "procedure__name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["field", "procedure"]
    list_select_related = ["field", "procedure", "agency", "province"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["decision_number", "kind", "procedure", "field", "target", "to_agency", "valid_from", "valid_to"]
    list_filter = ["province", "kind", "target"]
    search_fields = ["decision_number", "procedure__code", "procedure__name", "field__name", "to_agency__name"]
    autocomplete_fields = ["from_agency", "to_agency"]
    raw_id_fields = ["procedure", "field"]
    list_select_related = ["procedure", "field", "to_agency"]
    date_hierarchy = "valid_from"
