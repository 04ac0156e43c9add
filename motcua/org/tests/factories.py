# mypy: disallow-untyped-calls=False
"""Factories of the organization, with traits for agency kinds and staff roles."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from factory.declarations import LazyAttribute, LazyFunction, SelfAttribute, Sequence, SubFactory, Trait
from factory.django import DjangoModelFactory

from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Province, Role, ServiceCenter, StaffUser


class ProvinceFactory(DjangoModelFactory[Province]):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "15"
    name = "Tỉnh Lào Cai"
    type = "tỉnh"


class UnitFactory(DjangoModelFactory[AdministrativeUnit]):
    class Meta:
        model = AdministrativeUnit

    # 9xxxx: outside the codes of the real list, so factories and `units_load` never collide.
    code = Sequence(lambda n: f"{90000 + n:05d}")
    name = Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    type = "xã"
    province = SubFactory(ProvinceFactory)


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    code = Sequence(lambda n: f"H38.9{n:02d}")
    name = Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    province = SubFactory(ProvinceFactory)

    class Params:
        department = Trait(kind=AgencyKind.DEPARTMENT)
        commune_committee = Trait(
            kind=AgencyKind.COMMUNE_COMMITTEE,
            unit=SubFactory(UnitFactory, province=SelfAttribute("..province")),
            name=LazyAttribute(lambda o: f"Ủy ban nhân dân {o.unit.name}"),
        )
        commune_police = Trait(
            kind=AgencyKind.POLICE,
            unit=SubFactory(UnitFactory, province=SelfAttribute("..province")),
            name=LazyAttribute(lambda o: f"Công an {o.unit.name}"),
        )
        province_committee = Trait(kind=AgencyKind.PROVINCE_COMMITTEE, name="Ủy ban nhân dân tỉnh")


class ServiceCenterFactory(DjangoModelFactory[ServiceCenter]):
    """A commune center (code = its unit's code); `provincial=True` gives the provincial one."""

    class Meta:
        model = ServiceCenter

    province = SubFactory(ProvinceFactory)
    unit = SubFactory(UnitFactory, province=SelfAttribute("..province"))
    code = LazyAttribute(lambda o: o.unit.code if o.unit else ServiceCenter.PROVINCIAL_CODE)
    name = LazyAttribute(lambda o: f"Trung tâm Phục vụ hành chính công {o.unit.name if o.unit else 'tỉnh'}")
    agency = SubFactory(
        AgencyFactory,
        province=SelfAttribute("..province"),
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=SelfAttribute("..unit"),
    )

    class Params:
        provincial = Trait(
            unit=None,
            agency=SubFactory(AgencyFactory, province=SelfAttribute("..province"), kind=AgencyKind.SERVICE_CENTER),
        )


class StaffUserFactory(DjangoModelFactory[StaffUser]):
    """A reception officer by default; one trait per role sets the matching scope."""

    class Meta:
        model = StaffUser
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"canbo{n}")
    # Unusable password: hashing one per test user would dominate test time; set one where a test logs in.
    password = LazyFunction(lambda: make_password(None))
    role = Role.RECEPTION
    center = SubFactory(ServiceCenterFactory)
    province = SubFactory(ProvinceFactory)

    class Params:
        reception = Trait(role=Role.RECEPTION)
        center_admin = Trait(role=Role.CENTER_ADMIN)
        specialist = Trait(role=Role.SPECIALIST, center=None, agency=SubFactory(AgencyFactory))
        leader = Trait(role=Role.LEADER, center=None, agency=SubFactory(AgencyFactory))
        clerk = Trait(role=Role.CLERK, center=None, agency=SubFactory(AgencyFactory))
        supervisor = Trait(role=Role.SUPERVISOR, center=None)
        system_admin = Trait(role=Role.SYSTEM_ADMIN, center=None, province=None, is_staff=True, is_superuser=True)
