"""Demo organization of a province: agencies with electronic identifiers, service centers with
counters, and one staff account per role and scope. Idempotent: a re-run writes nothing.

Agency codes (mã định danh điện tử, Decision 20/2020/QĐ-TTg; domain.md §2), for level-1 code `H38`:

| code | body |
|---|---|
| `H38` | UBND tỉnh (legacy QCVN 102 form `000.00.00.H38`) |
| `H38.001`–`H38.014` | Văn phòng UBND tỉnh, sở and provincial bodies (legacy `000.00.NN.H38`) |
| `H38.001.01` | Trung tâm Phục vụ hành chính công tỉnh, under Văn phòng UBND tỉnh (`000.01.01.H38`) |
| `H38.006.01`, `H38.006.02`… | Văn phòng Đăng ký đất đai and its branches, under Sở NN&MT (`000.0N.06.H38`) |
| `H38.101`–`H38.199` | UBND of each commune and ward, in the order of the units' statistics codes |
| `H38.201`–`H38.208` | central bodies on the territory: tax, social insurance, police, court, … |
| `H38.203.01`–`H38.203.99` | commune police (Công an xã, phường), same order as the communes |

Every handling body stays within three groups, so dossier codes keep the shape of Circular 03/2025
Art. 13 (`H38.101-260115-0001`); that is why land branches are numbered beside the land office rather
than under it. Sector bodies and commune bodies have no legacy code (the legacy scheme numbered
communes under districts, which no longer exist). The real list comes from Sở KH&CN; names of central
bodies whose post-2025 name is unconfirmed are kept generic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from motcua.core.errors import InvalidInput
from motcua.core.reference_cache import reference_changed
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Counter,
    Province,
    Role,
    ServiceCenter,
    StaffUser,
)
from motcua.org.services import units_load
from motcua.org.upsert import UpsertCount, upsert

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - the documented password of the demo accounts

#: Level-1 electronic identifiers observed on provincial portals (domain.md §2).
PROVINCE_AGENCY_PREFIX = {"15": "H38", "19": "H55", "38": "H56"}

PROVINCIAL_COUNTERS = 12
COMMUNE_COUNTERS = 3
COMMUNE_NUMBERS = range(101, 200)


@dataclass(frozen=True)
class AgencySpec:
    """A provincial body of the demo: `key` names it in code, `suffix` follows the level-1 code."""

    key: str
    suffix: str
    name: str  # "{p}" is replaced by the province's name, e.g. "tỉnh Lào Cai"
    kind: AgencyKind
    parent: str | None = None  # key of the parent body; None for central bodies on the territory
    legacy: str = ""  # legacy code without the level-1 part, e.g. "000.00.03"
    handles: bool = True  # gets its own specialist/leader/clerk accounts


_D = AgencyKind.DEPARTMENT
PROVINCIAL_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "committee", "", "Ủy ban nhân dân {p}", AgencyKind.PROVINCE_COMMITTEE, legacy="000.00.00", handles=False
    ),
    AgencySpec("office", ".001", "Văn phòng Ủy ban nhân dân {p}", _D, "committee", "000.00.01"),
    AgencySpec("home_affairs", ".002", "Sở Nội vụ {p}", _D, "committee", "000.00.02"),
    AgencySpec("justice", ".003", "Sở Tư pháp {p}", _D, "committee", "000.00.03"),
    AgencySpec("finance", ".004", "Sở Tài chính {p}", _D, "committee", "000.00.04"),
    AgencySpec("construction", ".005", "Sở Xây dựng {p}", _D, "committee", "000.00.05"),
    AgencySpec("agriculture", ".006", "Sở Nông nghiệp và Môi trường {p}", _D, "committee", "000.00.06"),
    AgencySpec("industry", ".007", "Sở Công Thương {p}", _D, "committee", "000.00.07"),
    AgencySpec("health", ".008", "Sở Y tế {p}", _D, "committee", "000.00.08"),
    AgencySpec("education", ".009", "Sở Giáo dục và Đào tạo {p}", _D, "committee", "000.00.09"),
    AgencySpec("culture", ".010", "Sở Văn hóa, Thể thao và Du lịch {p}", _D, "committee", "000.00.10"),
    AgencySpec("science", ".011", "Sở Khoa học và Công nghệ {p}", _D, "committee", "000.00.11"),
    AgencySpec("ethnic", ".012", "Sở Dân tộc và Tôn giáo {p}", _D, "committee", "000.00.12"),
    AgencySpec("inspectorate", ".013", "Thanh tra {p}", _D, "committee", "000.00.13"),
    AgencySpec("economic_zone", ".014", "Ban Quản lý Khu kinh tế {p}", _D, "committee", "000.00.14"),
    AgencySpec(
        "center",
        ".001.01",
        "Trung tâm Phục vụ hành chính công {p}",
        AgencyKind.SERVICE_CENTER,
        "office",
        "000.01.01",
        handles=False,
    ),
    AgencySpec(
        "land_office", ".006.01", "Văn phòng Đăng ký đất đai {p}", AgencyKind.LAND_OFFICE, "agriculture", "000.01.06"
    ),
    AgencySpec(
        "land_branch_1",
        ".006.02",
        "Chi nhánh Văn phòng Đăng ký đất đai khu vực 1, {p}",
        AgencyKind.LAND_BRANCH,
        "land_office",
        "000.02.06",
    ),
    AgencySpec(
        "land_branch_2",
        ".006.03",
        "Chi nhánh Văn phòng Đăng ký đất đai khu vực 2, {p}",
        AgencyKind.LAND_BRANCH,
        "land_office",
        "000.03.06",
    ),
    AgencySpec(
        "land_branch_3",
        ".006.04",
        "Chi nhánh Văn phòng Đăng ký đất đai khu vực 3, {p}",
        AgencyKind.LAND_BRANCH,
        "land_office",
        "000.04.06",
    ),
    AgencySpec("tax", ".201", "Thuế {p}", AgencyKind.TAX),
    AgencySpec("social_insurance", ".202", "Bảo hiểm xã hội {p}", AgencyKind.SOCIAL_INSURANCE),
    AgencySpec("police", ".203", "Công an {p}", AgencyKind.POLICE),
    AgencySpec("court", ".204", "Tòa án nhân dân {p}", AgencyKind.OTHER),
    AgencySpec("state_bank", ".205", "Ngân hàng Nhà nước, chi nhánh khu vực phụ trách {p}", AgencyKind.OTHER),
    AgencySpec("civil_judgment", ".206", "Thi hành án dân sự {p}", AgencyKind.OTHER),
    AgencySpec("customs", ".207", "Hải quan khu vực phụ trách {p}", AgencyKind.OTHER),
    AgencySpec("treasury", ".208", "Kho bạc Nhà nước khu vực phụ trách {p}", AgencyKind.OTHER),
)
_SPECS = {spec.key: spec for spec in PROVINCIAL_AGENCIES}
POLICE_SUFFIX = _SPECS["police"].suffix

_AGENCY_FIELDS = ("legacy_code", "name", "kind", "province_id", "unit_id", "parent_id", "is_active")
_CENTER_FIELDS = ("name", "province_id", "unit_id", "agency_id", "is_active")
_STAFF_FIELDS = ("role", "center_id", "agency_id", "province_id", "first_name", "last_name", "is_staff", "is_superuser")

#: Roles with one account per center (province and every unit), in the order the summary lists them.
SCOPED_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.CENTER_ADMIN)
HANDLING_ROLES = (Role.SPECIALIST, Role.LEADER, Role.CLERK)


@dataclass(frozen=True)
class DemoOrganization:
    province: Province
    units: int
    agencies: int
    centers: int
    counters: int
    staff: int
    changes: UpsertCount


def agency_prefix(province_code: str) -> str:
    """Level-1 electronic identifier of the province's People's Committee."""
    try:
        return PROVINCE_AGENCY_PREFIX[province_code]
    except KeyError:
        raise InvalidInput(
            f"Chưa có mã định danh cấp 1 của tỉnh mã '{province_code}' cho dữ liệu demo.",
            code="demo_province_unsupported",
            province=province_code,
        ) from None


def agency_code(province_code: str, key: str) -> str:
    """Code of a provincial body of the demo by its key (`justice` → `H38.003`)."""
    return agency_prefix(province_code) + _SPECS[key].suffix


def commune_committee_code(prefix: str, index: int) -> str:
    return f"{prefix}.{COMMUNE_NUMBERS[index]}"


def commune_police_code(prefix: str, index: int) -> str:
    return f"{prefix}{POLICE_SUFFIX}.{index + 1:02d}"


@transaction.atomic
def demo_organization_seed(*, province_code: str) -> DemoOrganization:
    """Create (or complete) the demo organization of `province_code`: see the module docstring."""
    changes = UpsertCount()
    units_result = units_load()
    changes += UpsertCount(units_result.created, units_result.updated)
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise InvalidInput(f"Không có tỉnh mã '{province_code}'.", code="unknown_province", province=province_code)
    prefix = agency_prefix(province_code)
    units = list(AdministrativeUnit.objects.filter(province=province).order_by("code"))
    if len(units) > len(COMMUNE_NUMBERS):
        raise InvalidInput("Tỉnh có quá nhiều đơn vị cấp xã cho sơ đồ mã demo.", code="demo_province_unsupported")

    changes += _seed_agencies(province, prefix, units)
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    changes += _seed_centers(province, prefix, units, agencies)
    centers = {c.code: c for c in ServiceCenter.objects.filter(province=province)}
    changes += _seed_counters(centers.values())
    changes += _seed_staff(province, prefix, units, agencies, centers)

    return DemoOrganization(
        province=province,
        units=len(units),
        agencies=len(agencies),
        centers=len(centers),
        counters=Counter.objects.filter(center__province=province).count(),
        staff=StaffUser.objects.filter(username__in=_usernames(prefix, units)).count(),
        changes=changes,
    )


def _seed_agencies(province: Province, prefix: str, units: list[AdministrativeUnit]) -> UpsertCount:
    place = province.name[:1].lower() + province.name[1:]  # "Tỉnh Lào Cai" → "tỉnh Lào Cai"
    changes = UpsertCount()
    # Parents before children: each pass can resolve the parent ids created by the previous one.
    passes: list[list[tuple[Agency, str | None]]] = [[], [], [], []]
    for spec in PROVINCIAL_AGENCIES:
        depth = _depth(spec)
        agency = Agency(
            code=prefix + spec.suffix,
            legacy_code=f"{spec.legacy}.{prefix}" if spec.legacy else "",
            name=spec.name.format(p=place),
            kind=spec.kind,
            province=province,
            is_active=True,
        )
        passes[depth].append((agency, prefix + _SPECS[spec.parent].suffix if spec.parent else None))
    for index, unit in enumerate(units):
        committee = Agency(
            code=commune_committee_code(prefix, index),
            name=f"Ủy ban nhân dân {_lower_type(unit.name)}",
            kind=AgencyKind.COMMUNE_COMMITTEE,
            province=province,
            unit=unit,
            is_active=True,
        )
        police = Agency(
            code=commune_police_code(prefix, index),
            name=f"Công an {_lower_type(unit.name)}",
            kind=AgencyKind.POLICE,
            province=province,
            unit=unit,
            is_active=True,
        )
        passes[1].append((committee, prefix))
        passes[1].append((police, prefix + POLICE_SUFFIX))
    for rows in passes:
        parents = {a.code: a.pk for a in Agency.objects.filter(code__in={p for _, p in rows if p})}
        for agency, parent_code in rows:
            agency.parent_id = parents[parent_code] if parent_code else None
        changes += upsert(Agency, [a for a, _ in rows], key="code", fields=_AGENCY_FIELDS)
    return changes


def _depth(spec: AgencySpec) -> int:
    return 0 if spec.parent is None else 1 + _depth(_SPECS[spec.parent])


def _seed_centers(
    province: Province, prefix: str, units: list[AdministrativeUnit], agencies: dict[str, Agency]
) -> UpsertCount:
    place = province.name[:1].lower() + province.name[1:]
    rows = [
        ServiceCenter(
            code=ServiceCenter.PROVINCIAL_CODE,
            name=f"Trung tâm Phục vụ hành chính công {place}",
            province=province,
            agency=agencies[prefix + _SPECS["center"].suffix],
            is_active=True,
        )
    ]
    rows += [
        ServiceCenter(
            code=unit.code,
            name=f"Trung tâm Phục vụ hành chính công {_lower_type(unit.name)}",
            province=province,
            unit=unit,
            agency=agencies[commune_committee_code(prefix, index)],
            is_active=True,
        )
        for index, unit in enumerate(units)
    ]
    return upsert(ServiceCenter, rows, key="code", fields=_CENTER_FIELDS)


def _seed_counters(centers: Iterable[ServiceCenter]) -> UpsertCount:
    existing = set(Counter.objects.filter(center__in=list(centers)).values_list("center_id", "number"))
    new = [
        Counter(center=center, number=number, name=f"Quầy số {number}")
        for center in centers
        for number in range(1, (PROVINCIAL_COUNTERS if center.is_provincial else COMMUNE_COUNTERS) + 1)
        if (center.pk, number) not in existing
    ]
    Counter.objects.bulk_create(new, batch_size=500)
    if new:
        reference_changed()  # bulk: no save signal
    return UpsertCount(created=len(new))


@dataclass(frozen=True)
class _Account:
    username: str
    role: Role
    center_code: str | None = None
    agency_code: str | None = None


def _accounts(prefix: str, units: list[AdministrativeUnit]) -> list[_Account]:
    """The demo accounts: `admin`, `supervisor`, `<role>.province`, `<role>.<unit code>` for every
    unit, and `<role>.<agency code>` (specialist, leader, clerk) for every provincial handling body."""
    accounts = [_Account("admin", Role.SYSTEM_ADMIN), _Account("supervisor", Role.SUPERVISOR)]
    scopes = [(ServiceCenter.PROVINCIAL_CODE, prefix)]
    scopes += [(unit.code, commune_committee_code(prefix, index)) for index, unit in enumerate(units)]
    for center_code, committee_code in scopes:
        for role in SCOPED_ROLES:
            if role in HANDLING_ROLES:
                accounts.append(_Account(f"{role}.{center_code}", role, agency_code=committee_code))
            else:
                accounts.append(_Account(f"{role}.{center_code}", role, center_code=center_code))
    for spec in PROVINCIAL_AGENCIES:
        if spec.handles:
            code = prefix + spec.suffix
            accounts += [_Account(f"{role}.{code}", role, agency_code=code) for role in HANDLING_ROLES]
    return accounts


def _usernames(prefix: str, units: list[AdministrativeUnit]) -> list[str]:
    return [account.username for account in _accounts(prefix, units)]


def _seed_staff(
    province: Province,
    prefix: str,
    units: list[AdministrativeUnit],
    agencies: dict[str, Agency],
    centers: dict[str, ServiceCenter],
) -> UpsertCount:
    accounts = _accounts(prefix, units)
    existing = set(
        StaffUser.objects.filter(username__in=[a.username for a in accounts]).values_list("username", flat=True)
    )
    # One PBKDF2 hash shared by every new account (hashing ~600 would take minutes), and none when
    # there is no new account. Existing accounts keep their password: a re-run does not undo a change.
    encoded = make_password(DEMO_PASSWORD) if len(existing) < len(accounts) else ""
    rows = []
    for account in accounts:
        center = centers[account.center_code] if account.center_code else None
        agency = agencies[account.agency_code] if account.agency_code else None
        rows.append(
            StaffUser(
                username=account.username,
                password=encoded,
                role=account.role,
                center=center,
                agency=agency,
                province=None if account.role == Role.SYSTEM_ADMIN else province,
                first_name=account.role.label,
                last_name=(center or agency or province).name if account.role != Role.SYSTEM_ADMIN else "",
                is_staff=account.role == Role.SYSTEM_ADMIN,
                is_superuser=account.role == Role.SYSTEM_ADMIN,
                is_active=True,
            )
        )
    return upsert(StaffUser, rows, key="username", fields=_STAFF_FIELDS)


def _lower_type(unit_name: str) -> str:
    """ "Phường Lào Cai" → "phường Lào Cai", as a unit's name reads inside a body's name."""
    return unit_name[:1].lower() + unit_name[1:]
