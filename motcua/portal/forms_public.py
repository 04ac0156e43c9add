"""Forms of the public dossier pages: tracking, online submission and rating. Plain HTML forms that work
without JavaScript; labels and messages translated here, where they are shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component
from motcua.dossiers.draft_selectors import CitizenStoreItem
from motcua.dossiers.models import ReturnPlace, Satisfaction
from motcua.dossiers.tracking_selectors import valid_code

CODE_EXAMPLE = "H38.12-260315-0001"


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        strip=True,
        help_text=_("In trên giấy tiếp nhận và hẹn trả kết quả, ví dụ %(example)s.") % {"example": CODE_EXAMPLE},
        error_messages={"required": _("Vui lòng nhập mã hồ sơ."), "max_length": _("Mã hồ sơ dài quá 60 ký tự.")},
    )
    phone = forms.RegexField(
        label=_("4 chữ số cuối số điện thoại đã khai khi nộp"),
        regex=r"^\d{4}$",
        max_length=4,
        strip=True,
        error_messages={
            "required": _("Vui lòng nhập 4 chữ số cuối số điện thoại."),
            "invalid": _("Nhập đúng 4 chữ số."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).upper()
        if not valid_code(code):
            raise forms.ValidationError(
                _("Mã hồ sơ không đúng định dạng. Mã có dạng %(example)s."), params={"example": CODE_EXAMPLE}
            )
        return code


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Bạn có hài lòng với việc giải quyết hồ sơ?"),
        choices=[(value, _(label)) for value, label in Satisfaction.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Góp ý dài quá 2000 ký tự.")},
    )


class SubmissionForm(forms.Form):
    """The applicant's data, where to file and collect, and one file input per component of the procedure
    (with the papers of the citizen's data store that fit it, to reuse instead of uploading)."""

    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, error_messages={"required": _("Vui lòng nhập họ và tên.")}
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ngày sinh không hợp lệ.")},
    )
    phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^\+?[0-9 .]{9,15}$",
        max_length=20,
        error_messages={"required": _("Vui lòng nhập số điện thoại."), "invalid": _("Số điện thoại không hợp lệ.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    subject_unit = forms.ChoiceField(
        label=_("Xã, phường nơi phát sinh thủ tục (nơi cư trú, nơi có đất…)"),
        error_messages={"required": _("Vui lòng chọn xã, phường.")},
    )
    receiving_center = forms.ChoiceField(
        label=_("Trung tâm tiếp nhận"), error_messages={"required": _("Vui lòng chọn trung tâm tiếp nhận.")}
    )
    return_place = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=[(value, _(label)) for value, label in ReturnPlace.choices],
        initial=ReturnPlace.DESK,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        components: list[Component],
        store: list[CitizenStoreItem],
        units: list[tuple[str, str]],
        centers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components = components
        self.offered: dict[int, set[str]] = {}
        self.fields["subject_unit"].choices = [("", _("— Chọn —")), *units]  # type: ignore[attr-defined]
        self.fields["receiving_center"].choices = [("", _("— Chọn —")), *centers]  # type: ignore[attr-defined]
        for index, component in enumerate(components):
            self.fields[f"file_{index}"] = forms.FileField(
                label=component.name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
            )
            fitting = [(str(s.item.pk), s.item.name) for s in store if component.code in s.fits]
            if fitting:
                self.offered[index] = {value for value, _name in fitting}
                self.fields[f"reuse_{index}"] = forms.MultipleChoiceField(
                    label=_("Dùng lại giấy tờ trong kho dữ liệu của bạn"),
                    choices=fitting,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )

    def component_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "index": index,
                "component": component,
                "file": self[f"file_{index}"],
                "reuse": self[f"reuse_{index}"] if f"reuse_{index}" in self.fields else None,
            }
            for index, component in enumerate(self.components)
        ]

    def typed(self) -> dict[str, str]:
        """What the citizen typed, valid or not: a draft keeps it so a refused check loses nothing."""
        return {
            name: str(self.data.get(name, "")).strip()
            for name in (
                "full_name",
                "birth_date",
                "phone",
                "email",
                "address",
                "subject_unit",
                "receiving_center",
                "return_place",
            )
        }

    def reused(self) -> dict[str, list[int]]:
        """The stored papers ticked per component, among those offered (a forged id is dropped)."""
        return {
            self.components[index].code: [int(v) for v in self.data.getlist(f"reuse_{index}") if v in offered]  # type: ignore[attr-defined]
            for index, offered in self.offered.items()
        }
