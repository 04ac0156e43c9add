"""The search form of the portal and the kiosk: a plain GET form, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Level, OnlineLevel
from motcua.catalog.search import MAX_QUERY_LENGTH, SearchFilters, search_fields


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Bạn cần làm thủ tục gì?"),
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "required": _("Vui lòng nhập nội dung cần tìm."),
            "max_length": _("Nội dung tìm kiếm dài quá %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": _("Ví dụ: làm giấy khai sinh, sổ đỏ")}
        ),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    # The model labels are plain Vietnamese; translated here, where they are shown.
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả")), *((v, _(n)) for v, n in Level.choices)]
    )
    online_level = forms.ChoiceField(
        label=_("Dịch vụ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả")), *((v, _(n)) for v, n in OnlineLevel.choices)],
    )

    def __init__(self, *args: Any, with_filters: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_filters:
            self.fields["field"].choices = [("", _("Tất cả")), *search_fields()]  # type: ignore[attr-defined]
        else:
            # The home page and the kiosk offer one box; their field list would cost an index load.
            for name in ("field", "level", "online_level"):
                del self.fields[name]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            field=data.get("field") or None,
            level=data.get("level") or None,
            online_level=data.get("online_level") or None,
        )
