"""`GET /reports/index766` and `/reports/brokers`: scopes, permissions and stable error codes."""

from __future__ import annotations

import pytest

from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World
from motcua.reports.tests.golden import build_golden

URL = "/api/v1/reports/index766"


@pytest.mark.django_db
def test_supervisor_sees_the_province_and_units(world: World) -> None:
    build_golden(world)
    client = StaffClient(world.staff["supervisor"])
    province = world.subject_agency.province_id
    body = client.get(URL, unit=province, period="2026-03").json()
    assert [g["max"] for g in body["groups"]] == [18, 20, 12, 22, 10, 18]
    assert body["total"]["max"] == 100
    assert body["total"]["max_counted"] == 66
    first = body["groups"][0]["indices"][0]
    assert first["code"] == "1.1"
    assert first["score"] is None
    assert first["not_available"]
    index_2_1 = body["groups"][1]["indices"][0]
    assert (index_2_1["numerator"], index_2_1["denominator"], index_2_1["score"]) == (3, 6, 10.0)
    assert "§4.6" in index_2_1["formula"]
    unit = client.get(URL, unit=world.subject_code, period="2026-Q1").json()
    assert unit["unit"] == world.subject_code


@pytest.mark.django_db
def test_unit_staff_only_their_unit(world: World) -> None:
    client = StaffClient(world.staff["specialist"])
    assert client.get(URL, unit=world.subject_code, period="2026").status_code == 200
    other = client.get(URL, unit=world.other_agency.unit_id, period="2026")
    assert other.status_code == 403
    assert client.get(URL, unit=world.subject_agency.province_id, period="2026").status_code == 403
    assert client.get(URL, unit="99999", period="2026").json()["error"]["code"] == "unit_not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "period", "code"),
    [("1", "2026", "invalid_unit"), ("abcde", "2026", "invalid_unit"), ("15", "2026-13", "invalid_period"),
     ("15", "2026-Q5", "invalid_period"), ("15", "26", "invalid_period")],
)  # fmt: skip
def test_bad_period_or_unit_is_422(world: World, unit: str, period: str, code: str) -> None:
    reply = StaffClient(world.staff["supervisor"]).get(URL, unit=unit, period=period)
    assert reply.status_code == 422
    assert reply.json()["error"]["code"] == code


@pytest.mark.django_db
def test_brokers_for_supervisors_only(world: World) -> None:
    assert StaffClient(world.staff["leader"]).get("/api/v1/reports/brokers", period="2026").status_code == 403
    reply = StaffClient(world.staff["supervisor"]).get("/api/v1/reports/brokers", period="2026")
    assert reply.status_code == 200
    assert reply.json()["items"] == []
