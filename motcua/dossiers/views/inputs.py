"""Parsing staff forms into service arguments (Django forms: field checks and Vietnamese messages)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Component
from motcua.core.errors import DomainError
from motcua.dossiers.identity import parse_personal_id
from motcua.dossiers.models import ReturnPlace
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.reception import ComponentData
from motcua.org.models import AdministrativeUnit, StaffUser

DESK_CHANNELS = [("direct", gettext_lazy("Trực tiếp tại quầy")), ("post", gettext_lazy("Qua bưu chính công ích"))]
#: Form fields named by `InvalidInput.details["field"]` from the reception service.
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SERVICE_FIELDS = {"full_name": "full_name", "personal_id": "personal_id", "subject_unit": "subject_unit"}


class ReceptionForm(forms.Form):
    """The applicant, the place the case belongs to, and where the result goes (Mẫu 01's fields)."""

    full_name = forms.CharField(label=gettext_lazy("Họ và tên chủ hồ sơ"), max_length=150)
    personal_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        min_length=12,
        max_length=12,
        error_messages={
            "min_length": gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số."),
            "max_length": gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{12}", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=gettext_lazy("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=255, required=False)
    subject_unit = forms.ModelChoiceField(
        label=gettext_lazy("Xã, phường nơi cư trú (địa bàn giải quyết)"),
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("— chọn xã, phường —"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"), choices=DESK_CHANNELS, initial="direct", widget=forms.RadioSelect
    )
    return_place = forms.ChoiceField(
        label=gettext_lazy("Nơi nhận kết quả"),
        choices=ReturnPlace.choices,
        initial=ReturnPlace.DESK,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subject_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        personal_id = data.get("personal_id")
        if personal_id:
            try:
                # The service checks again on reception; here the officer sees the message at once.
                parse_personal_id(personal_id, birth_date=data.get("birth_date"), today=timezone.localdate())
            except DomainError as error:
                self.add_error("personal_id", error.message)
        return data

    def add_service_error(self, error: DomainError) -> None:
        """Show a refusal of the reception service beside the field it names, else above the form."""
        message = error.message
        if missing := error.details.get("components"):
            # missing_components lists the mandatory papers not filed: name them.
            message += " " + "; ".join(str(item.get("name", item)) for item in missing if isinstance(item, dict))
        self.add_error(_SERVICE_FIELDS.get(str(error.details.get("field", ""))), message)


def store_uploads(actor: StaffUser, files: list[UploadedFile]) -> tuple[list[str], list[str]]:
    """Store each file through the document service: (SHA-256 of the stored ones, messages of refused ones)."""
    stored: list[str] = []
    refused: list[str] = []
    for upload in files:
        try:
            stored.append(document_store(actor=actor, chunks=upload.chunks(), name=upload.name or "").sha256)
        except DomainError as error:
            refused.append(f"{upload.name}: {error.message}")
    return stored, refused


def action_payload(data: Any, result_documents: list[str]) -> dict[str, Any]:
    """The action's payload from its form: the fields a form of that action may carry."""
    payload: dict[str, Any] = {}
    if items := [line.strip() for line in data.get("items", "").splitlines() if line.strip()]:
        payload["items"] = items
    if working_days := data.get("working_days", "").strip():
        payload["working_days"] = working_days
    if assignee := data.get("assignee", "").strip():
        payload["assignee"] = assignee
    if result_documents:
        payload["result_documents"] = result_documents
    return payload


@dataclass
class FiledComponent:
    """One component of the procedure as the desk filled it in: ticked, its scans, refused uploads."""

    component: Component
    ticked: bool = False
    documents: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_service_input(self) -> ComponentData:
        return ComponentData(component=self.component.code, documents=list(self.documents))


def filed_components(actor: StaffUser, request: HttpRequest, components: list[Component]) -> list[FiledComponent]:
    """Ticks, scans kept from an earlier attempt (hidden SHA-256 fields, so nothing is uploaded twice)
    and new uploads (stored now) for every component of the procedure."""
    ticked = set(request.POST.getlist("component"))
    filed: list[FiledComponent] = []
    for component in components:
        kept = [sha for sha in request.POST.getlist(f"documents-{component.code}") if _SHA256.fullmatch(sha)]
        stored, refused = store_uploads(actor, request.FILES.getlist(f"files-{component.code}"))
        documents = list(dict.fromkeys(kept + stored))
        filed.append(FiledComponent(component, component.code in ticked or bool(documents), documents, refused))
    return filed
