"""Mẫu 07, the register of a field and period, within the actor's scope; PDF and XLSX."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from motcua.catalog.tests.factories import FieldFactory
from motcua.dossiers.forms.register import register_rows
from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World, receive
from motcua.dossiers.tests.forms.helpers import pdf_text

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def field_code(world: World) -> str:
    field = FieldFactory.create(name="Hộ tịch", code="ho-tich")
    world.procedure.field = field
    world.procedure.save(update_fields=["field"])
    return field.code


def test_rows_of_the_period_in_reception_order_within_scope(world: World, field_code: str) -> None:
    march = [receive(world, received_at=datetime(2026, 3, day, 9, tzinfo=HCM)) for day in (3, 2)]
    receive(world, received_at=datetime(2026, 4, 1, 9, tzinfo=HCM))
    returned = DossierFactory.create(world=world, returned=True, received_at=datetime(2026, 3, 5, 8, tzinfo=HCM))

    register = register_rows(
        actor=world.staff["reception"], field_code=field_code, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )

    assert [row.code for row in register.rows] == [march[1].code, march[0].code, returned.code]
    assert [row.number for row in register.rows] == [1, 2, 3]
    last = register.rows[-1]
    assert (last.received, last.due, last.returned) == ("08:00 05/03/2026", "08:00 12/03/2026", "14:00 05/03/2026")
    assert last.delivery == "Tại bộ phận một cửa nơi nộp hồ sơ"
    assert DossierAccessLog.objects.filter(actor=world.staff["reception"], purpose="mau07").count() == 3
    other = register_rows(
        actor=world.staff["other_reception"], field_code=field_code, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert other.rows == []
    elsewhere = register_rows(
        actor=world.staff["reception"],
        field_code=FieldFactory.create().code,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    assert elsewhere.rows == []


def test_pdf_and_xlsx_through_the_api(world: World, field_code: str) -> None:
    dossier = receive(world, received_at=datetime(2026, 3, 2, 9, tzinfo=HCM))
    client = StaffClient(world.staff["specialist"])
    query = {"field": field_code, "from": "2026-03-01", "to": "2026-03-31"}

    pdf = client.get("/api/v1/registers/mau07", **query)
    xlsx = client.get("/api/v1/registers/mau07", **query, format="xlsx")

    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(pdf.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Hộ tịch" in text
    assert dossier.code in text
    assert "Nguyễn Văn An" in text
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="mau07-ho-tich-20260301-20260331.xlsx"'
    rows = list(load_workbook(io.BytesIO(xlsx.content), read_only=True).active.values)
    assert rows[1][:2] == ("STT", "Mã hồ sơ")
    assert rows[2][:4] == (1, dossier.code, world.procedure.name, "Nguyễn Văn An")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, "invalid_period"),
        ({"from": "0001-01-01", "to": "2026-03-01"}, "invalid_period"),
        ({"from": "2026-03-01", "to": "9999-12-31"}, "invalid_period"),
        ({"from": "2026-03-01", "to": "2026-03-31", "field": "khong-co"}, "unknown_field"),
        ({"from": "2026-03-01", "to": "2026-03-31", "format": "docx"}, "invalid_format"),
        ({"from": "2026-03-01"}, "invalid_input"),
    ],
)
def test_bad_register_requests(world: World, query: dict[str, str], code: str) -> None:
    response = StaffClient(world.staff["reception"]).get("/api/v1/registers/mau07", **query)

    assert (response.status_code, response.json()["error"]["code"]) == (422, code)
