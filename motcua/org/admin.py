"""Admin of the organization: units (read-mostly), agencies, centers with counters, staff, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.core.errors import DomainError
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    ApiToken,
    Counter,
    Province,
    ServiceCenter,
    SignInEvent,
    StaffUser,
)
from motcua.org.services import api_token_create, api_tokens_revoke


class ReadMostlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Units come from the national list (`motcua load-units`): officers may fix a name, not add or delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadMostlyAdmin):
    list_display = ["code", "name", "type"]
    search_fields = ["code", "name"]
    readonly_fields = ["code"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadMostlyAdmin):
    list_display = ["code", "name", "type", "province"]
    list_filter = ["type", "province"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "province"]
    list_select_related = ["province"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind", "unit", "parent", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["code", "legacy_code", "name"]
    autocomplete_fields = ["unit", "parent"]
    list_select_related = ["unit", "parent"]


class CounterInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Counter
    extra = 0
    fields = ["number", "name", "is_active"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "unit", "agency", "is_active"]
    list_filter = ["is_active", "province"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["unit", "agency"]
    list_select_related = ["unit", "agency"]
    inlines = [CounterInline]


@admin.register(StaffUser)
class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "get_full_name", "role", "center", "agency", "province", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "province"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["center", "agency", "province"]
    autocomplete_fields = ["center", "agency"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Vai trò và phạm vi", {"fields": ("role", "center", "agency", "province")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Vai trò và phạm vi", {"fields": ("role", "center", "agency", "province")}),
    )
    actions = ["create_api_token"]

    @admin.display(description="họ tên")
    def get_full_name(self, obj: StaffUser) -> str:
        return obj.get_full_name()

    @admin.action(description="Tạo mã truy cập API (hiển thị một lần)")
    def create_api_token(self, request: HttpRequest, queryset: QuerySet[StaffUser]) -> None:
        for user in queryset:
            try:
                token = api_token_create(username=user.username, name=f"tạo bởi {request.user} qua trang quản trị")
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            # The secret is shown once here and never stored; only its hash is kept.
            self.message_user(request, f"Mã truy cập của {user.username}: {token}", messages.WARNING)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are listed by prefix only; the hash is never shown. Create them from the staff list's action
    or with `motcua create-token USERNAME`."""

    list_display = ["prefix", "user", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    list_select_related = ["user"]
    fields = ["prefix", "user", "name", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "user", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Thu hồi các mã đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = api_tokens_revoke(token_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Đã thu hồi {count} mã truy cập.", messages.SUCCESS)


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Nhật ký đăng nhập: failed sign-ins, codes and tokens, and lockouts, for supervisors to review.
    Written by the system only: nobody adds, edits or deletes a row here."""

    list_display = ["at", "kind", "username", "user", "address", "scope", "locked_until"]
    list_filter = ["kind", "scope", "at"]
    search_fields = ["username", "address", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
