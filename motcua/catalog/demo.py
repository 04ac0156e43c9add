"""The demo: the province's organization (`org.demo`), the shipped national catalog, and who is
competent for what. Idempotent: a re-run writes nothing and prints the same summary.

The `motcua demo` command (app `motcua.demo`, above every other app) runs this, then seeds the queues.

Sector assignments: each field goes to the body its procedures' ministry maps to in the province
(`MINISTRY_AGENCY`: bo-tu-phap → Sở Tư pháp, bo-cong-an → Công an tỉnh, …), except the fields named
in `FIELD_AGENCY` (land → Văn phòng Đăng ký đất đai, tax → Thuế, social insurance → BHXH, …). A field
shared by several ministries follows the ministry with most of its procedures. Police fields send
their commune-level procedures to the commune police rather than the commune People's Committee.
"""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from motcua.catalog.competence import delegation_create, sector_assignment_set
from motcua.catalog.data import DATA_DIR
from motcua.catalog.models import Delegation, DelegationKind, Field, Procedure, SectorAssignment
from motcua.catalog.services.imports import import_procedure_files
from motcua.org.demo import (
    COMMUNE_COUNTERS,
    DEMO_PASSWORD,
    PROVINCIAL_AGENCIES,
    PROVINCIAL_COUNTERS,
    DemoOrganization,
    agency_code,
    demo_organization_seed,
)
from motcua.org.models import Agency, AgencyKind, Province, Role

#: Ministry (`Procedure.ministry_slug`) → key of the provincial body (`org.demo.PROVINCIAL_AGENCIES`).
MINISTRY_AGENCY = {
    "bo-cong-an": "police",
    "bo-nong-nghiep-mt": "agriculture",
    "bo-tai-chinh": "finance",
    "bo-tu-phap": "justice",
    "bo-xay-dung": "construction",
    "ngan-hang-nha-nuoc": "state_bank",
    "toa-an-nhan-dan": "court",
}

#: Fields handled by a body other than their ministry's department.
FIELD_AGENCY = {
    "Đất đai": "land_office",
    "Thuế": "tax",
    "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước": "tax",
    "Tài chính đất đai": "tax",
    "Chi trả các chế độ BHXH": "social_insurance",
    "Cấp sổ BHXH, thẻ BHYT": "social_insurance",
    "Thu BHXH, BHYT, BHTN, BH tai nạn lao động, BNN": "social_insurance",
    "Thực hiện chính sách BHXH": "social_insurance",
    "Thực hiện chính sách BHYT": "social_insurance",
    "Hải quan": "customs",
    "Kho bạc Nhà nước": "treasury",
    "Thi hành án dân sự": "civil_judgment",
    "Quản lý nhà nước về khu công nghiệp, khu kinh tế": "economic_zone",
    "Nông nghiệp": "agriculture",
    "Giám định tư pháp": "justice",
    "Khoa học và Công nghệ": "science",
    "Khoa học công nghệ": "science",
    "Thi đua khen thưởng": "home_affairs",
    "Thi đua – Khen thưởng": "home_affairs",
}

#: Sample delegation: a provincial housing procedure (chuyển đổi công năng nhà ở không thuộc tài sản
#: công) decentralized to communes for a pilot period. Marked as an illustration: not a real decision.
SAMPLE_DELEGATION_PROCEDURE = "1.013769"
SAMPLE_DELEGATION_NUMBER = "MINH-HOA-01/QĐ-UBND"
SAMPLE_DELEGATION_PERIOD = (date(2025, 7, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class DemoSummary:
    organization: DemoOrganization
    procedures: int
    fields: int
    assigned_fields: int
    delegations: int


def demo_seed(*, province_code: str) -> DemoSummary:
    """Seed the whole demo for `province_code` (each step in its own transaction)."""
    organization = demo_organization_seed(province_code=province_code)
    import_procedure_files([DATA_DIR])
    competence_demo_seed(province=organization.province)
    province = organization.province
    return DemoSummary(
        organization=organization,
        procedures=Procedure.objects.count(),
        fields=Field.objects.count(),
        assigned_fields=SectorAssignment.objects.filter(province=province, field__isnull=False).count(),
        delegations=Delegation.objects.filter(province=province).count(),
    )


@transaction.atomic
def competence_demo_seed(*, province: Province) -> None:
    """Assign every field of the catalog to a body of the demo province, and record the sample delegation."""
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    for field, key in _field_agency_keys().items():
        sector_assignment_set(
            province=province,
            field=field,
            agency=agencies[agency_code(province.code, key)],
            commune_agency_kind=AgencyKind.POLICE if key == "police" else AgencyKind.COMMUNE_COMMITTEE,
        )
    _sample_delegation(province, agencies)


def _field_agency_keys() -> dict[Field, str]:
    majority: dict[int, Tally[str]] = {}
    rows = (
        Procedure.objects.filter(field__isnull=False)
        .exclude(ministry_slug="")
        .values_list("field_id", "ministry_slug")
        .annotate(n=Count("id"))
        .order_by()
    )
    for field_id, slug, count in rows:
        majority.setdefault(field_id, Tally())[slug] += count
    keys: dict[Field, str] = {}
    for field in Field.objects.order_by("name"):
        key = FIELD_AGENCY.get(field.name)
        if key is None and field.pk in majority:
            # Most procedures first, then the slug, so ties resolve the same way on every run.
            slug = min(majority[field.pk].items(), key=lambda item: (-item[1], item[0]))[0]
            key = MINISTRY_AGENCY.get(slug)
        if key is not None:
            keys[field] = key
    return keys


def _sample_delegation(province: Province, agencies: dict[str, Agency]) -> None:
    if Delegation.objects.filter(province=province, decision_number=SAMPLE_DELEGATION_NUMBER).exists():
        return
    procedure = Procedure.objects.filter(code=SAMPLE_DELEGATION_PROCEDURE).first()
    if procedure is None:
        return
    valid_from, valid_to = SAMPLE_DELEGATION_PERIOD
    delegation_create(
        province=province,
        kind=DelegationKind.DECENTRALIZATION,
        procedure=procedure,
        from_agency=agencies[agency_code(province.code, "construction")],
        valid_from=valid_from,
        valid_to=valid_to,
        decision_number=SAMPLE_DELEGATION_NUMBER,
        decision_date=valid_from,
        note="Bản ghi minh họa của dữ liệu demo (thí điểm phân cấp cho UBND cấp xã), không phải quyết định thật.",
    )


def demo_summary_text(summary: DemoSummary) -> str:
    """What `motcua demo` prints: the same text on every run over the same data."""
    org = summary.organization
    province = org.province
    justice = agency_code(province.code, "justice")
    handling_bodies = sum(1 for spec in PROVINCIAL_AGENCIES if spec.handles)
    lines = [
        f"Dữ liệu demo: {province.name} (mã {province.code})",
        f"  Đơn vị hành chính cấp xã: {org.units}; cơ quan: {org.agencies}; trung tâm: {org.centers} "
        f"(tỉnh {PROVINCIAL_COUNTERS} quầy, xã/phường {COMMUNE_COUNTERS} quầy; tổng {org.counters} quầy)",
        f"  Thủ tục: {summary.procedures}; lĩnh vực: {summary.fields} "
        f"(đã giao cơ quan giải quyết: {summary.assigned_fields}); phân cấp, ủy quyền: {summary.delegations}",
        "",
        f"Tài khoản demo ({org.staff} tài khoản), mật khẩu chung: {DEMO_PASSWORD}",
        f"  {Role.SYSTEM_ADMIN.label:<32} admin  (trang quản trị /admin/)",
        f"  {Role.SUPERVISOR.label:<32} supervisor",
    ]
    for role in (Role.RECEPTION, Role.CENTER_ADMIN, Role.SPECIALIST, Role.LEADER, Role.CLERK):
        lines.append(f"  {role.label:<32} {role}.province, {role}.02647, ... ({role}.<mã xã, phường>)")
    lines += [
        f"  Cán bộ xử lý của {handling_bodies} sở, ngành: specialist.{justice}, leader.{justice}, clerk.{justice}, ...",
        "",
        "Mã truy cập API: motcua create-token USERNAME, rồi gửi 'Authorization: Bearer <mã>'.",
    ]
    return "\n".join(lines)
