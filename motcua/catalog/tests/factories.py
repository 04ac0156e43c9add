# mypy: disallow-untyped-calls=False
"""Factories of the catalog, with traits (`ProcedureFactory(commune=True)`, `ChannelFactory(free=True)`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory, Trait
from factory.django import DjangoModelFactory

from motcua.catalog.models import (
    ChannelKind,
    Component,
    CopyKind,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    TimeUnit,
    VersionSource,
)


class FieldFactory(DjangoModelFactory[Field]):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"linh-vuc-{n}")
    name = Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(DjangoModelFactory[Procedure]):
    class Meta:
        model = Procedure

    code = Sequence(lambda n: f"9.{n:06d}")
    name = Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    levels = LazyFunction(lambda: [Level.PROVINCE])
    level = LazyAttribute(lambda o: o.levels[0] if o.levels else "")
    levels_index = LazyAttribute(lambda o: "".join(f"|{v}" for v in o.levels) + "|" if o.levels else "")
    field = SubFactory(FieldFactory)
    online_level = OnlineLevel.PARTIAL
    boundary_free = True
    processing_time_amount = Decimal(5)
    processing_time_unit = TimeUnit.WORKING_DAYS

    class Params:
        commune = Trait(levels=[Level.COMMUNE])
        ministry = Trait(levels=[Level.MINISTRY], boundary_free=False)
        offline = Trait(online_level=OnlineLevel.NONE)


class ProcedureVersionFactory(DjangoModelFactory[ProcedureVersion]):
    class Meta:
        model = ProcedureVersion

    procedure = SubFactory(ProcedureFactory)
    number = 1
    effective_from = LazyFunction(timezone.now)
    source = VersionSource.PORTAL
    content_hash = Sequence(lambda n: f"{n:064x}")
    name = LazyAttribute(lambda o: o.procedure.name)
    levels = LazyAttribute(lambda o: list(o.procedure.levels))


class ChannelFactory(DjangoModelFactory[ProcedureChannel]):
    class Meta:
        model = ProcedureChannel

    version = SubFactory(ProcedureVersionFactory)
    position = Sequence(lambda n: n + 1)
    kind = ChannelKind.DIRECT
    time_amount = Decimal(5)
    time_unit = TimeUnit.WORKING_DAYS
    time_text = "5 Ngày làm việc"
    fee_amount = Decimal(50000)
    fee_currency = "VND"
    fee_text = "50,000 Việt Nam Đồng"

    class Params:
        free = Trait(fee_amount=Decimal(0), fee_currency="", fee_text="Miễn phí")
        online = Trait(kind=ChannelKind.ONLINE)


class ComponentFactory(DjangoModelFactory[Component]):
    class Meta:
        model = Component

    version = SubFactory(ProcedureVersionFactory)
    position = Sequence(lambda n: n + 1)
    code = Sequence(lambda n: f"giay-to-{n}")
    name = Sequence(lambda n: f"Giấy tờ {n}")
    count = 1
    copy_kind = CopyKind.ORIGINAL


def procedure_with_version(**kwargs: object) -> Procedure:
    """A procedure with a current version that has a 5-working-day direct channel."""
    procedure = ProcedureFactory.create(**kwargs)
    version = ProcedureVersionFactory.create(procedure=procedure)
    ChannelFactory.create(version=version, position=1)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return procedure
