"""`core.inserts` on the reception's own tables: rows read back as written, keys, links by instance,
conflicts skipped, nothing written by a failed batch, and the round trips a batch costs."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.inserts import row_build, rows_insert, rows_insert_batch
from motcua.dossiers.models import (
    Document,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierStep,
    PersonalDataStoreItem,
    StoreItemKind,
)
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import PERSONAL_ID, World
from motcua.org.models import Agency

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 3, 2, 9, 12, 5, 123456, tzinfo=HCM)


def _dossier(world: World, code: str = "H38.1-260302-0001") -> Dossier:
    return Dossier(
        code=code,
        procedure=world.procedure,
        version=world.procedure.current_version,
        channel="direct",
        status=Status.ACCEPTED,
        sub_state=SubState.RECEIVED,
        receiving_center=world.center,
        handling_agency=world.subject_agency,
        subject_unit_id=world.subject_code,
        return_place="desk",
        applicant_name="Lê Thị Ánh",
        applicant_personal_id=PERSONAL_ID,
        applicant_birth_date=date(1990, 2, 28),
        applicant_address="Số 5, đường Hoàng Liên; 'ngõ' \"3\" 100%",
        received_at=AT,
        clock_started_at=AT,
        due_at=AT + timedelta(days=7),
        paused_total=timedelta(days=1, hours=2, microseconds=7),
        tracking_salt="s" * 32,
        created_by=world.staff["reception"],
    )


def _document(name: str) -> Document:
    return Document.objects.create(sha256=name * 64, size=10, content_type="application/pdf")


def _batch(batched: bool) -> AbstractContextManager[None]:
    return rows_insert_batch() if batched else nullcontext()


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "batched"])
def test_rows_read_back_exactly_as_written(world: World, batched: bool) -> None:
    dossier = _dossier(world)
    step = DossierStep(
        dossier=dossier, order=1, name="Thẩm định", role="specialist", budget_days=Decimal("0.25"), due_at=AT
    )
    event = DossierEvent(
        dossier=dossier,
        seq=1,
        action="receive",
        to_status=Status.ACCEPTED,
        to_sub_state=SubState.RECEIVED,
        actor_username="system",
        at=AT,
        payload={"tên": "Ánh", "n": [1, 2.5, None], "ok": True, "sub": {"a": "b"}},
        prev_hash="0" * 64,
        hash="a" * 64,
    )

    with _batch(batched):
        rows_insert([dossier])
        rows_insert([step])
        rows_insert([event])

    written: list[Model] = [dossier, step, event]
    for obj in written:
        stored = type(obj)._default_manager.get(pk=obj.pk)
        for field in type(obj)._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(obj, field.attname), field.name
        assert not obj._state.adding


def test_a_batch_writes_at_the_end_and_links_rows_by_instance(world: World) -> None:
    scan = _document("b")
    dossier = _dossier(world)
    components = [DossierComponent(dossier=dossier, code=code, name=code.upper()) for code in ("a", "b")]
    links = [DossierComponent.documents.through(dossiercomponent=c, document=scan) for c in components]

    with rows_insert_batch():
        rows_insert([dossier])
        rows_insert(components)
        rows_insert(links, ignore_conflicts=True)
        assert dossier.pk is None
        assert not Dossier.objects.exists()

    assert dossier.pk is not None
    assert [c.dossier_id for c in components] == [dossier.pk, dossier.pk]
    assert [list(c.documents.all()) for c in components] == [[scan], [scan]]


def test_a_failed_batch_writes_nothing(world: World) -> None:
    dossier = _dossier(world)

    def fail_in_batch() -> None:
        with rows_insert_batch():
            rows_insert([dossier])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_in_batch()

    assert not Dossier.objects.exists()
    assert dossier.pk is None
    rows_insert([_dossier(world, code="H38.1-260302-0002")])  # the next insert is not held back
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "batched"])
def test_conflicting_rows_are_skipped_without_a_key(world: World, batched: bool) -> None:
    scan = _document("c")
    dossier = _dossier(world)
    rows_insert([dossier])

    def item() -> PersonalDataStoreItem:
        return PersonalDataStoreItem(
            personal_id=PERSONAL_ID,
            document=scan,
            kind=StoreItemKind.DIGITIZED_COMPONENT,
            name="Tờ khai",
            dossier=dossier,
        )

    first, again = item(), item()
    rows_insert([first], ignore_conflicts=True)
    with _batch(batched):
        rows_insert([again], ignore_conflicts=True)

    assert PersonalDataStoreItem.objects.count() == 1
    assert first.pk is None
    assert again.pk is None


def test_a_batch_costs_one_round_trip_on_postgresql_whatever_the_tables(world: World) -> None:
    def write(code: str) -> Dossier:
        dossier = _dossier(world, code=code)
        steps = [DossierStep(dossier=dossier, order=n, name=f"B{n}", role="specialist", budget_days=1) for n in (1, 2)]
        event = DossierEvent(dossier=dossier, seq=1, action="receive", to_status=2, to_sub_state="received", at=AT)
        with rows_insert_batch():
            rows_insert([dossier])
            rows_insert(steps)
            rows_insert([event])
        return dossier

    write("H38.1-260302-0001")  # as in a running server: the key sequences are looked up
    with CaptureQueriesContext(connection) as queries:
        dossier = write("H38.1-260302-0002")

    # PostgreSQL: the keys drawn and the three INSERTs in one query; elsewhere one INSERT per table.
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert DossierStep.objects.filter(dossier=dossier).count() == 2


def test_one_column_may_link_to_saved_rows_and_rows_of_the_batch(world: World) -> None:
    saved = _dossier(world)
    rows_insert([saved])
    pending = _dossier(world, code="H38.1-260302-0002")
    components = [DossierComponent(dossier=d, code="a", name="A") for d in (saved, pending)]

    with rows_insert_batch():
        rows_insert([pending])
        rows_insert(components)

    assert [c.dossier_id for c in components] == [saved.pk, pending.pk]
    assert sorted(DossierComponent.objects.values_list("dossier_id", flat=True)) == sorted([saved.pk, pending.pk])


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "batched"])
def test_a_link_to_a_row_never_written_is_refused(world: World, batched: bool) -> None:
    never_written = _dossier(world)

    def insert() -> None:
        with _batch(batched):
            rows_insert([DossierComponent(dossier=never_written, code="a", name="A")])

    with pytest.raises(ValueError, match="unsaved related object 'dossier'"):
        insert()

    assert not DossierComponent.objects.exists()


def _fields(obj: Model) -> dict[str, object]:
    return {name: value for name, value in vars(obj).items() if name != "_state"}


def test_row_build_makes_the_instance_the_model_makes(world: World) -> None:
    """Every field, links by instance (saved or not) and by column, defaults, and the related instances
    cached as `Model.__init__` caches them."""
    dossier = _dossier(world)
    values = {name: getattr(dossier, name) for name in ("code", "procedure", "receiving_center", "created_by")}
    values |= {"subject_unit_id": world.subject_code, "received_at": AT, "tracking_salt": "t" * 32}
    step_values = {"dossier": dossier, "order": 2, "name": "Thẩm định", "role": "specialist", "budget_days": 3}

    for model, given in [(Dossier, values), (DossierStep, step_values)]:
        built, made = row_build(model, **given), model(**given)

        assert _fields(built) == _fields(made)
        assert built._state.fields_cache == made._state.fields_cache
        assert built._state.adding
        assert built.pk is None
    assert row_build(DossierStep, **step_values).dossier is dossier  # an unsaved dossier, linked by instance


def test_row_build_refuses_unknown_fields(world: World) -> None:
    with pytest.raises(TypeError, match="applicant"):
        row_build(DossierStep, order=1, applicant="Lê Thị Ánh")
    with pytest.raises(TypeError, match=r"twice \['dossier'\]"):
        row_build(DossierStep, dossier=None, dossier_id=1)


def test_row_build_leaves_models_with_init_signals_to_django(world: World) -> None:
    seen: list[Model] = []

    def record(sender: type[Model], instance: Model, **kwargs: object) -> None:
        seen.append(instance)

    post_init.connect(record, sender=DossierStep)
    try:
        step = row_build(DossierStep, order=1, name="Thẩm định")
    finally:
        post_init.disconnect(record, sender=DossierStep)

    assert seen == [step]


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "batched"])
def test_times_set_at_saving_are_set(world: World, batched: bool) -> None:
    """`auto_now_add` and `auto_now` stamp the row as `save()` does; the other fields are written as given."""
    before = timezone.now()
    parent = world.subject_agency
    agency = Agency(code=f"{parent.code}.9", name="Phòng Tư pháp", kind=parent.kind, province=parent.province)

    with _batch(batched):
        rows_insert([agency])

    stored = Agency.objects.get(pk=agency.pk)
    assert stored.created_at >= before
    assert stored.updated_at >= before
    assert (stored.code, stored.name, stored.province_id) == (agency.code, "Phòng Tư pháp", parent.province_id)
