"""Drafts of online submissions (nộp hồ sơ trực tuyến), kept until submitted or expired."""

from __future__ import annotations

from django.db import models

from motcua.catalog.models import Procedure
from motcua.core.models import TimestampedModel

from .dossiers import Dossier


class SubmissionDraft(TimestampedModel):
    """What a signed-in citizen has typed and uploaded for one procedure, before submitting it.

    `token` names the draft in its resume address; `data` holds the form's fields as typed (so nothing is
    lost when a check fails); `files` maps component codes to uploaded documents' SHA-256 and `store_items`
    to items reused from the citizen's data store. `idempotency_key` goes to `dossier_receive`, so
    submitting twice makes one dossier. An expired draft is never submitted: it is renewed into a new one
    carrying the same content (`renewed_as`), and the citizen is told.
    """

    token = models.CharField(max_length=32, unique=True, verbose_name="mã bản nháp")
    personal_id = models.CharField(max_length=12, db_index=True, verbose_name="số định danh cá nhân")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+", verbose_name="thủ tục")
    data = models.JSONField(default=dict, blank=True, verbose_name="thông tin đã khai")
    files = models.JSONField(default=dict, blank=True, verbose_name="tệp theo thành phần")
    store_items = models.JSONField(default=dict, blank=True, verbose_name="giấy tờ dùng lại từ kho")
    vneid_verified = models.BooleanField(default=False, verbose_name="tài khoản xác thực VNeID")
    idempotency_key = models.CharField(max_length=40, unique=True, verbose_name="khóa chống gửi trùng")
    expires_at = models.DateTimeField(verbose_name="hết hạn lúc")
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="hồ sơ đã nộp"
    )
    renewed_as = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="bản nháp mới"
    )

    class Meta:
        verbose_name = "bản nháp hồ sơ trực tuyến"
        verbose_name_plural = "bản nháp hồ sơ trực tuyến"
        indexes = [models.Index(fields=["personal_id", "procedure", "-updated_at"], name="draft_citizen_procedure")]

    def __str__(self) -> str:
        return self.token
