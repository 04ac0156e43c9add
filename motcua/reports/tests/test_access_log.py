# mypy: disallow-untyped-calls=False
"""The supervisor's review of the staff read-access log: filters, pages, XLSX, and nobody else."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.tests.factories import DossierFactory, World
from motcua.org.models import StaffUser
from motcua.org.tests.factories import ProvinceFactory, StaffUserFactory
from motcua.reports.views_access import PAGE_SIZE

URL = "/bao-cao/nhat-ky-truy-cap/"


def signed_in(user: StaffUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reads(world: World) -> tuple[str, str]:
    """Two dossiers read by their officers: the specialist opens the first, reception lists both."""
    first = DossierFactory.create(world=world, handling=True)
    second = DossierFactory.create(world=world)
    signed_in(world.staff["specialist"]).get(f"/can-bo/ho-so/{first.code}/")
    signed_in(world.staff["reception"]).get(f"/can-bo/ho-so/{second.code}/")
    return first.code, second.code


@pytest.mark.django_db
def test_supervisor_sees_every_read_with_officer_and_screen(world: World, reads: tuple[str, str]) -> None:
    first, second = reads
    reply = signed_in(world.staff["supervisor"]).get(URL)

    assert reply.status_code == 200
    html = reply.content.decode()
    assert "Nhật ký truy cập dữ liệu cá nhân" in html
    assert world.staff["specialist"].username in html
    assert world.staff["reception"].username in html
    assert first in html
    assert second in html
    assert "Trang hồ sơ" in html


@pytest.mark.django_db
def test_filters_by_officer_dossier_and_period(world: World, reads: tuple[str, str]) -> None:
    first, second = reads
    client = signed_in(world.staff["supervisor"])
    specialist = world.staff["specialist"].username

    by_officer = client.get(URL, {"can-bo": specialist}).content.decode()
    assert first in by_officer
    assert second not in by_officer

    by_dossier = client.get(URL, {"ho-so": second}).content.decode()
    assert second in by_dossier
    assert first not in by_dossier

    today = timezone.localdate()
    assert first in client.get(URL, {"tu": today.isoformat(), "den": today.isoformat()}).content.decode()
    yesterday = (today - timedelta(days=1)).isoformat()
    past = client.get(URL, {"tu": yesterday, "den": yesterday}).content.decode()
    assert first not in past
    assert "Không có lượt truy cập nào khớp bộ lọc." in past

    bad = client.get(URL, {"tu": "hôm qua"})
    assert bad.status_code == 422
    assert "Ngày không hợp lệ" in bad.content.decode()


@pytest.mark.django_db
def test_paginated_newest_first(world: World) -> None:
    dossier = DossierFactory.create(world=world)
    start = timezone.now() - timedelta(days=1)
    DossierAccessLog.objects.bulk_create(
        DossierAccessLog(
            dossier=dossier, actor=world.staff["reception"], at=start + timedelta(seconds=i), purpose="page"
        )
        for i in range(PAGE_SIZE + 5)
    )
    client = signed_in(world.staff["supervisor"])

    first = client.get(URL)
    first_rows = first.content.decode().count("<tr><td>")
    assert first_rows == PAGE_SIZE
    cursor = first.context["next_cursor"]
    assert cursor
    second = client.get(URL, {"sau": cursor})
    assert second.content.decode().count("<tr><td>") == 5
    assert second.context["next_cursor"] is None
    # Newest first: the first page starts with the last read, the second ends with the first one.
    assert first.context["rows"][0][0] == timezone.localtime(start + timedelta(seconds=PAGE_SIZE + 4)).strftime(
        "%d/%m/%Y %H:%M:%S"
    )
    assert second.context["rows"][-1][0] == timezone.localtime(start).strftime("%d/%m/%Y %H:%M:%S")


@pytest.mark.django_db
def test_xlsx_export_has_every_filtered_row(world: World, reads: tuple[str, str]) -> None:
    first, _ = reads
    reply = signed_in(world.staff["supervisor"]).get(
        URL, {"can-bo": world.staff["specialist"].username, "format": "xlsx"}
    )

    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(reply.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(["Thời điểm", "Tài khoản", "Họ tên cán bộ", "Vai trò", "Mã hồ sơ", "Màn hình"])
    data = rows[header + 1 :]
    assert data
    assert all(row[1] == world.staff["specialist"].username for row in data)
    assert {row[4] for row in data} == {first}


@pytest.mark.django_db
def test_another_provinces_supervisor_sees_none_of_it(world: World, reads: tuple[str, str]) -> None:
    first, _ = reads
    other = StaffUserFactory.create(
        supervisor=True, province=ProvinceFactory.create(code="01", name="Thành phố Hà Nội")
    )

    reply = signed_in(other).get(URL)

    assert reply.status_code == 200
    assert first not in reply.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["reception", "other_reception", "specialist", "leader", "clerk", "other_specialist", "admin"]
)
def test_nobody_else(world: World, reads: tuple[str, str], role: str) -> None:
    client = signed_in(world.staff[role])
    for query in ({}, {"format": "xlsx"}):
        reply = client.get(URL, query)
        assert reply.status_code == 403
        assert "Chỉ cán bộ giám sát cấp tỉnh" in reply.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    reply = client.get(URL)
    assert reply.status_code == 302
    assert "/can-bo/dang-nhap/" in reply["Location"]
