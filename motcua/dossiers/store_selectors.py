"""The applicant's personal data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân; Decree 45/2020
Art. 16 as amended; domain.md §6): what it offers for a new dossier, and the items a dossier refers to.

Papers digitised for an earlier dossier (and results issued to the person) are kept by personal ID; at
the next reception the desk sees which of them fit the procedure's components, so the citizen is not
asked to file them again. A stored paper fits a component with the same code, or whose name names the
same paper ("Giấy chứng sinh" fits "Bản sao Giấy chứng sinh; trường hợp không có…").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.catalog.importers.parsing import slugify_vi
from motcua.catalog.models import Component, Procedure
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.dossiers.identity import parse_personal_id
from motcua.dossiers.models import PersonalDataStoreItem
from motcua.dossiers.services.access import access_log_record
from motcua.org.models import Role, StaffUser

#: Words naming the copy rather than the paper: "Bản sao có chứng thực Giấy khai sinh" is a birth certificate.
_COPY_PREFIXES = ("ban-sao-co-chung-thuc-", "ban-sao-", "ban-chinh-", "ban-chup-")


@dataclass(frozen=True)
class StoreOffer:
    item: PersonalDataStoreItem
    #: Codes of the procedure's components this paper can fill.
    fits: list[str]


def applicant_store_offers(*, actor: StaffUser, personal_id: str, procedure_code: str | None) -> list[StoreOffer]:
    """The store of `personal_id`, newest first, each item with the components of `procedure_code` it
    fits. For the reception desk only; the read is logged on the dossiers the items came from."""
    if actor.role != Role.RECEPTION or not actor.is_active:
        raise PermissionDenied("Chỉ bộ phận một cửa tra cứu kho dữ liệu của công dân.", code="store_not_permitted")
    parse_personal_id(personal_id)
    components = _components(procedure_code) if procedure_code else []
    items = list(
        PersonalDataStoreItem.objects.filter(personal_id=personal_id)
        .select_related("document", "dossier")
        .order_by("-created_at", "-id")
    )
    access_log_record(actor=actor, dossiers={item.dossier_id: item.dossier for item in items}.values(), purpose="store")
    return [
        StoreOffer(item, [c.code for c in components if fits(item.component_code, item.name, c.code, c.name)])
        for item in items
    ]


def store_items_for(*, personal_id: str, item_ids: Iterable[int]) -> dict[int, PersonalDataStoreItem]:
    """The store items a new dossier refers to; each must be in the applicant's own store."""
    wanted = set(item_ids)
    if not wanted:
        return {}
    found = {
        item.pk: item
        for item in PersonalDataStoreItem.objects.filter(pk__in=wanted, personal_id=personal_id).select_related(
            "document"
        )
    }
    if wanted - found.keys():
        raise InvalidInput(
            "Giấy tờ không có trong kho dữ liệu của chủ hồ sơ.",
            code="unknown_store_items",
            items=sorted(wanted - found.keys()),
        )
    return found


def fits(item_code: str, item_name: str, component_code: str, component_name: str) -> bool:
    if item_code and item_code == component_code:
        return True
    a, b = _paper_key(item_name), _paper_key(component_name)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    # The same paper, or a name of three words or more continued by the other ("giay-chung-sinh" and
    # "giay-chung-sinh-theo-mau"); a bare "Tờ khai" names a different form in every procedure.
    return longer == shorter or (shorter.count("-") >= 2 and longer.startswith(shorter + "-"))


def _paper_key(name: str) -> str:
    head = name.split(";")[0].split("(")[0].split(",")[0]
    key = slugify_vi(head)
    for prefix in _COPY_PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


def _components(procedure_code: str) -> list[Component]:
    procedure = Procedure.objects.filter(code=procedure_code).select_related("current_version").first()
    if procedure is None or procedure.current_version is None:
        raise InvalidInput(f"Không có thủ tục mã '{procedure_code}'.", code="unknown_procedure")
    return list(procedure.current_version.components.order_by("position"))
