# mypy: disallow-untyped-calls=False
"""Must-show 3: the broker detector finds the planted brokers in a generated data set and no one else."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.tests.factories import World, receive
from motcua.org.tests.factories import StaffUserFactory
from motcua.reports.brokers import brokers_detect, shared_contacts_refresh
from motcua.reports.models import SharedContact
from motcua.reports.refresh import reports_refresh

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 1, tzinfo=TZ)


def _generate(world: World) -> None:
    """600 ordinary applicants (households of 1–4 sharing a phone and an address), one broker phone used
    by 9 unrelated people, one broker address by 12, and supplement loops: one officer loops 6 of 8
    dossiers, two honest officers loop 2 of 40 and 4 of 40."""
    rng = random.Random(766)
    template = receive(world, received_at=START + timedelta(hours=8))
    rows: list[Dossier] = []

    def add(personal_id: str, phone: str, address: str) -> Dossier:
        dossier = Dossier.objects.get(pk=template.pk)
        dossier.pk = None
        dossier.code = f"T-{len(rows):06d}"
        dossier.applicant_personal_id, dossier.applicant_phone, dossier.applicant_address = personal_id, phone, address
        dossier.received_at = START + timedelta(days=rng.randrange(28), hours=8)
        rows.append(dossier)
        return dossier

    person = 0
    for household in range(180):
        for _ in range(rng.randint(1, 4)):
            person += 1
            add(f"0101900{person:05d}", f"09{household:08d}", f"Số {household} đường Hoàng Liên")
    for i in range(9):
        add(f"0151950{i:05d}", "0988000111", f"Thôn {i}, xã Cốc San")
    for i in range(12):
        add(f"0151960{i:05d}", f"0977{i:06d}", "Ki-ốt 3 chợ Cốc Lếu")
    Dossier.objects.bulk_create(rows)
    saved = list(Dossier.objects.filter(code__startswith="T-").order_by("code"))
    officers = {
        "looper": (StaffUserFactory.create(specialist=True, agency=world.subject_agency, username="looper"), 8, 6),
        "fair_a": (StaffUserFactory.create(specialist=True, agency=world.subject_agency, username="fair_a"), 40, 2),
        "fair_b": (StaffUserFactory.create(specialist=True, agency=world.subject_agency, username="fair_b"), 40, 4),
    }
    requests, cursor = [], 0
    for officer, asked, looped in officers.values():
        for n, dossier in enumerate(saved[cursor : cursor + asked]):
            for round_ in range(1, 3 if n < looped else 2):
                requests.append(
                    SupplementRequest(dossier=dossier, round=round_, requested_at=dossier.received_at,
                                      requested_by=officer, reason="Thiếu giấy tờ")
                )  # fmt: skip
        cursor += asked
    SupplementRequest.objects.bulk_create(requests)


@pytest.mark.django_db
def test_planted_brokers_and_no_one_else(world: World) -> None:
    _generate(world)
    reports_refresh()
    found = brokers_detect(province=world.subject_agency.province_id, start=START, end=START + timedelta(days=31))
    assert sorted((s.label, s.value, s.applicants) for s in found) == [
        ("Cán bộ yêu cầu bổ sung nhiều lần", "looper", 8),
        ("Số điện thoại", "0988000111", 9),
        ("Địa chỉ", "Ki-ốt 3 chợ Cốc Lếu", 12),
    ]
    looper = next(s for s in found if s.value == "looper")
    assert looper.dossiers == 6
    assert len(looper.evidence) == 5
    assert all(code.startswith("T-") for s in found for code in s.evidence)


def _kept() -> set[tuple[str, str]]:
    return set(SharedContact.objects.values_list("field", "value"))


@pytest.mark.django_db
def test_shared_contacts_kept_by_the_refresh_equal_a_full_recount(world: World) -> None:
    """The refresh recounts only the values of changed dossiers and those kept: after a broker's phone
    reaches the minimum, a dossier moves off it and an address is anonymized, the table equals a recount
    of every value."""
    _generate(world)
    reports_refresh()
    assert _kept() == {("applicant_phone", "0988000111"), ("applicant_address", "Ki-ốt 3 chợ Cốc Lếu")}
    shared_contacts_refresh()
    assert _kept() == {("applicant_phone", "0988000111"), ("applicant_address", "Ki-ốt 3 chợ Cốc Lếu")}

    # Household 7's phone reaches 6 applicants; the broker phone falls to 5; the broker address is erased
    # from 3 of its 12 dossiers (10 is the minimum for an address).
    newcomers = list(Dossier.objects.filter(code__startswith="T-").exclude(applicant_phone="0900000007")[:6])
    for n, dossier in enumerate(newcomers):
        Dossier.objects.filter(pk=dossier.pk).update(
            applicant_phone="0900000007",
            applicant_personal_id=f"0151970{n:05d}",
            updated_at=dossier.updated_at + timedelta(days=400),
        )
    broker = Dossier.objects.filter(applicant_phone="0988000111").order_by("pk")
    for dossier in broker[:4]:
        Dossier.objects.filter(pk=dossier.pk).update(
            applicant_phone="0911111111", updated_at=dossier.updated_at + timedelta(days=400)
        )
    for dossier in Dossier.objects.filter(applicant_address="Ki-ốt 3 chợ Cốc Lếu").order_by("pk")[:3]:
        Dossier.objects.filter(pk=dossier.pk).update(
            applicant_address="", updated_at=dossier.updated_at + timedelta(days=400)
        )
    reports_refresh()
    incremental = _kept()
    shared_contacts_refresh()
    assert incremental == _kept() == {("applicant_phone", "0900000007")}
