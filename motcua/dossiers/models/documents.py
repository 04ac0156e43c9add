"""Stored files and the applicant's personal data store (kho dữ liệu điện tử của tổ chức, cá nhân)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from motcua.core.models import TimestampedModel


class Document(TimestampedModel):
    """A file, content-addressed by SHA-256 under `MOTCUA_DATA_DIR/documents/ab/cd/<sha256>`.

    The same bytes uploaded twice are one document; the type comes from the content, never the name.
    """

    sha256 = models.CharField(max_length=64, unique=True, verbose_name="SHA-256")
    size = models.PositiveBigIntegerField(verbose_name="kích thước (byte)")
    content_type = models.CharField(max_length=40, verbose_name="kiểu nội dung")
    pages = models.PositiveIntegerField(default=1, verbose_name="số trang")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="tải lên bởi"
    )

    class Meta:
        verbose_name = "tài liệu"
        verbose_name_plural = "tài liệu"

    def __str__(self) -> str:
        return self.sha256

    @property
    def relative_path(self) -> str:
        return f"documents/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class StoreItemKind(models.TextChoices):
    DIGITIZED_COMPONENT = "digitized_component", "Thành phần hồ sơ đã số hóa"
    RESULT = "result", "Kết quả giải quyết"


class PersonalDataStoreItem(TimestampedModel):
    """One paper in a person's data store (Decree 45/2020 Art. 16), offered again at the next dossier."""

    # Led by the unique (personal_id, document, kind) index: no index of its own.
    personal_id = models.CharField(max_length=12, verbose_name="số định danh cá nhân")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name="tài liệu")
    kind = models.CharField(max_length=20, choices=StoreItemKind.choices, verbose_name="loại")
    component_code = models.CharField(max_length=100, blank=True, verbose_name="mã thành phần")
    name = models.TextField(verbose_name="tên giấy tờ")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+", verbose_name="từ hồ sơ")

    class Meta:
        verbose_name = "giấy tờ trong kho dữ liệu"
        verbose_name_plural = "giấy tờ trong kho dữ liệu"
        constraints = [
            models.UniqueConstraint(fields=["personal_id", "document", "kind"], name="store_item_unique_document"),
        ]

    def __str__(self) -> str:
        return self.name
