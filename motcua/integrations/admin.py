"""Admin: outbound messages with the dead letters officers resend, the exchange log (read-only), payments
and postal shipments."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.core.outbox import outbox_resend
from motcua.integrations.models import ExchangeRecord, Payment, Shipment


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ("id", "partner", "kind", "dossier_code", "state", "attempts", "last_error", "created_at")
    list_filter = ("state", "partner", "kind")
    search_fields = ("dossier_code", "idempotency_key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ("resend",)

    @admin.action(description="Gửi lại các tin thất bại đã chọn")
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(state=OutboxState.DEAD).values_list("pk", flat=True))
        count = outbox_resend(message_ids=ids)
        self.message_user(request, f"Đã đưa {count} tin vào hàng đợi gửi lại.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ExchangeRecord)
class ExchangeRecordAdmin(admin.ModelAdmin[ExchangeRecord]):
    list_display = ("seq", "at", "partner", "direction", "method", "status", "correlation_id", "actor")
    list_filter = ("partner", "direction", "personal_data")
    search_fields = ("correlation_id", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExchangeRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ExchangeRecord | None = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin[Payment]):
    list_display = ("reference", "dossier_code", "amount", "state", "paid_at")
    list_filter = ("state",)
    search_fields = ("reference", "dossier_code")


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin[Shipment]):
    list_display = ("tracking_number", "dossier_code", "carries", "state", "booked_at", "delivered_at")
    list_filter = ("state", "carries")
    search_fields = ("tracking_number", "dossier_code")
