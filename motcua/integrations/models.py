"""The signed exchange log (X-Road style) and the payments the gateway confirms."""

from __future__ import annotations

from django.db import models


class Direction(models.TextChoices):
    REQUEST = "request", "Yêu cầu"
    RESPONSE = "response", "Trả lời"
    CALLBACK = "callback", "Gọi lại từ đối tác"


class ExchangeRecord(models.Model):
    """One message to or from a partner: time, correlation id, content hash, the partner key's signature,
    and the hash chain (`prev_hash` → `hash`) that `motcua exchange-verify` recomputes. Reads of personal
    data say who read it and why (`actor`, `purpose`)."""

    seq = models.PositiveBigIntegerField(unique=True, verbose_name="thứ tự")
    at = models.DateTimeField(verbose_name="thời điểm")
    partner = models.CharField(max_length=30, verbose_name="đối tác")
    correlation_id = models.CharField(max_length=64, db_index=True, verbose_name="mã tương quan")
    direction = models.CharField(max_length=10, choices=Direction.choices, verbose_name="chiều")
    method = models.CharField(max_length=10, verbose_name="phương thức")
    url = models.CharField(max_length=500, verbose_name="địa chỉ")
    status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="mã HTTP")
    body = models.TextField(blank=True, verbose_name="nội dung")
    body_sha256 = models.CharField(max_length=64, verbose_name="băm nội dung")
    personal_data = models.BooleanField(default=False, verbose_name="có dữ liệu cá nhân")
    actor = models.CharField(max_length=150, blank=True, verbose_name="người yêu cầu")
    purpose = models.CharField(max_length=200, blank=True, verbose_name="mục đích")
    signature = models.CharField(max_length=64, verbose_name="chữ ký (HMAC-SHA256)")
    prev_hash = models.CharField(max_length=64, verbose_name="băm trước")
    hash = models.CharField(max_length=64, verbose_name="băm")

    class Meta:
        verbose_name = "nhật ký trao đổi"
        verbose_name_plural = "nhật ký trao đổi"

    def __str__(self) -> str:
        return f"{self.seq} {self.partner} {self.direction} {self.correlation_id}"


class ExchangeChainHead(models.Model):
    """The single row locked while appending, so concurrent workers extend one chain."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "đầu chuỗi nhật ký trao đổi"
        verbose_name_plural = "đầu chuỗi nhật ký trao đổi"

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class PaymentState(models.TextChoices):
    REQUESTED = "requested", "Chờ thanh toán"
    PAID = "paid", "Đã thanh toán"


class Payment(models.Model):
    """A financial obligation of a dossier (from the tax authority) and its payment through the gateway."""

    reference = models.CharField(max_length=64, unique=True, verbose_name="mã thanh toán")
    dossier_code = models.CharField(max_length=60, db_index=True, verbose_name="mã hồ sơ")
    amount = models.PositiveBigIntegerField(verbose_name="số tiền (đồng)")
    state = models.CharField(
        max_length=10, choices=PaymentState.choices, default=PaymentState.REQUESTED, verbose_name="trạng thái"
    )
    transaction_id = models.CharField(max_length=64, blank=True, verbose_name="mã giao dịch")
    created_at = models.DateTimeField(verbose_name="tạo lúc")
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name="thanh toán lúc")

    class Meta:
        verbose_name = "thanh toán"
        verbose_name_plural = "thanh toán"

    def __str__(self) -> str:
        return f"{self.reference} {self.dossier_code} {self.amount}"


class ShipmentState(models.TextChoices):
    BOOKED = "booked", "Đã nhận gửi"
    DELIVERED = "delivered", "Đã phát"


class Shipment(models.Model):
    """A pickup the public post booked for a dossier (the paper dossier or the result), found again by
    its tracking number when the post's delivery notice comes."""

    tracking_number = models.CharField(max_length=50, unique=True, verbose_name="số vận đơn")
    dossier_code = models.CharField(max_length=60, db_index=True, verbose_name="mã hồ sơ")
    carries = models.CharField(max_length=10, verbose_name="gửi")
    state = models.CharField(
        max_length=10, choices=ShipmentState.choices, default=ShipmentState.BOOKED, verbose_name="trạng thái"
    )
    booked_at = models.DateTimeField(verbose_name="nhận gửi lúc")
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name="phát lúc")

    class Meta:
        verbose_name = "bưu gửi"
        verbose_name_plural = "bưu gửi"

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.dossier_code} {self.carries}"
