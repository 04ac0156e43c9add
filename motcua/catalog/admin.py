"""Admin of the catalog: procedures (content read-only, flags editable), versions, internal workflows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from motcua.catalog import admin_competence  # noqa: F401 - registers the competence admin
from motcua.catalog.models import (
    Component,
    Field,
    LegalBasis,
    Level,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    WorkflowStep,
    WorkflowTemplate,
)
from motcua.catalog.services.workflow import check_step_budgets, workflow_template_mark_edited
from motcua.core.errors import InvalidInput


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class LevelFilter(admin.SimpleListFilter):
    title = "cấp thực hiện"
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Level.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(levels_index__contains=f"|{value}|") if value else queryset


class VersionInline(ReadOnlyInline):
    model = ProcedureVersion
    fk_name = "procedure"
    fields = ["number", "effective_from", "effective_to", "source", "decision_number"]
    readonly_fields = ["number", "effective_from", "effective_to", "source", "decision_number"]
    ordering = ["-number"]
    verbose_name_plural = "các phiên bản (chỉ xem)"


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The content comes from the national database; officers set the online level, the
    boundary-free flag (the province's own lists) and the supplement rules of the decree."""

    list_display = ["code", "name", "level", "field", "online_level", "boundary_free", "processing_time_text"]
    list_filter = [LevelFilter, "online_level", "boundary_free", "supplement_rule", "field"]
    search_fields = ["code", "name"]
    list_select_related = ["field"]
    list_per_page = 50
    readonly_fields = [
        "code",
        "name",
        "levels",
        "level",
        "field",
        "processing_time_amount",
        "processing_time_unit",
        "processing_time_text",
        "ministry_slug",
        "source_url",
        "current_version",
    ]
    fields = ["online_level", "boundary_free", "supplement_rule", "supplement_close_days", *readonly_fields]
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ChannelInline(ReadOnlyInline):
    model = ProcedureChannel
    fields = ["kind", "time_amount", "time_unit", "time_text", "fee_amount", "fee_currency", "fee_text"]
    readonly_fields = ["kind", "time_amount", "time_unit", "time_text", "fee_amount", "fee_currency", "fee_text"]
    show_change_link = False


class ComponentInline(ReadOnlyInline):
    model = Component
    fields = ["code", "name", "form_name", "count", "copy_kind", "required"]
    readonly_fields = ["code", "name", "form_name", "count", "copy_kind", "required"]
    show_change_link = False


class LegalBasisInline(ReadOnlyInline):
    model = LegalBasis
    fields = ["number", "title", "year"]
    readonly_fields = ["number", "title", "year"]
    show_change_link = False


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Versions are history: a dossier keeps the version it was received under, so nothing is edited."""

    list_display = ["procedure", "number", "effective_from", "effective_to", "source"]
    list_filter = ["source"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure"]
    inlines = [ChannelInline, ComponentInline, LegalBasisInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        budgets = [
            form.cleaned_data["budget_days"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("budget_days")
        ]
        template: WorkflowTemplate = self.instance
        try:
            check_step_budgets(limit_days=template.limit_days, budgets=budgets)
        except InvalidInput as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


class StepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkflowStep
    formset = StepFormSet
    extra = 0
    fields = ["order", "name", "role", "unit_kind", "budget_days", "output"]
    ordering = ["order"]


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Quy trình nội bộ: steps must add up to the legal limit (checked when saving)."""

    list_display = ["procedure", "limit_days", "limit_basis", "is_default", "needs_review"]
    list_filter = ["is_default", "needs_review"]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    readonly_fields = ["procedure", "limit_days", "limit_basis", "is_default", "needs_review"]
    inlines = [StepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        workflow_template_mark_edited(template=form.instance)
