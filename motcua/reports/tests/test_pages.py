# mypy: disallow-untyped-calls=False
"""Dashboards under /bao-cao/: sign-in and scopes, SVG charts, page size, XLSX of every table, the PDF."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import World
from motcua.org.models import StaffUser
from motcua.reports.refresh import reports_refresh
from motcua.reports.tests.golden import build_golden

PAGES = ["", "ton-dong/", "den-han/", "thoi-gian/", "lien-thong/", "lay-so/"]
MAX_PAGE = 100_000


def signed_in(user: StaffUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_sign_in_required(client: Client) -> None:
    reply = client.get("/bao-cao/")
    assert reply.status_code == 302
    assert "/can-bo/dang-nhap/" in reply["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_supervisor_sees_the_province_each_page_under_100_kb(world: World, path: str) -> None:
    build_golden(world)
    client = signed_in(world.staff["supervisor"])
    reply = client.get(f"/bao-cao/{path}", {"ky": "2026-03"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert len(reply.content) < MAX_PAGE
    assert "Tỉnh Lào Cai" in html
    # The supervisor may pick any unit of the province.
    assert f'<option value="{world.subject_code}"' in html
    unit = client.get(f"/bao-cao/{path}", {"ky": "2026-03", "don-vi": world.subject_code})
    assert unit.status_code == 200


@pytest.mark.django_db
def test_766_page_shows_formulas_and_an_svg_chart(world: World) -> None:
    build_golden(world)
    html = signed_in(world.staff["supervisor"]).get("/bao-cao/", {"ky": "2026-03"}).content.decode()
    assert "<svg" in html
    assert 'role="img"' in html
    assert "§4.6: quá hạn khi kết thúc sau hẹn trả" in html  # index 2.1's formula beside its figure
    assert "<td>10</td>" in html  # its score (golden: 10.00)
    assert "<script" not in html.split("</head>")[1]  # no chart library: the SVG is in the page


@pytest.mark.django_db
def test_unit_staff_see_only_their_unit(world: World) -> None:
    build_golden(world)
    client = signed_in(world.staff["specialist"])
    own = client.get("/bao-cao/den-han/")
    assert own.status_code == 200
    assert "<select" not in own.content.decode().split('class="inline report-filter"')[1].split("</form>")[0]
    assert client.get("/bao-cao/", {"don-vi": str(world.other_agency.unit_id)}).status_code == 403
    assert client.get("/bao-cao/", {"don-vi": world.subject_agency.province_id}).status_code == 403
    assert client.get("/bao-cao/", {"ky": "2026-13"}).status_code == 422


@pytest.mark.django_db
def test_deadline_lists_per_unit_and_officer(world: World) -> None:
    build_golden(world)
    html = signed_in(world.staff["supervisor"]).get("/bao-cao/den-han/").content.decode()
    # C and D of the golden fixture are open and long past their due time; F waits for a supplement.
    codes = {d.code: d for d in Dossier.objects.all()}
    c = next(code for code, d in codes.items() if d.status == Status.IN_PROGRESS)
    assert c in html
    assert "Chưa phân công" in html  # nobody holds the golden dossiers' current step


@pytest.mark.django_db
def test_long_lists_are_cut_on_the_page_and_whole_in_the_xlsx(world: World) -> None:
    build_golden(world)
    template = Dossier.objects.filter(status=Status.IN_PROGRESS).first()
    assert template is not None
    clones = []
    for n in range(120):
        template.pk = None
        template.code = f"X-{n:04d}"
        template.due_at = timezone.now() - timedelta(days=1, minutes=n)
        template.sub_state = SubState.IN_HANDLING
        clones.append(Dossier(**{f.attname: getattr(template, f.attname) for f in Dossier._meta.concrete_fields}))
    Dossier.objects.bulk_create(clones)
    reports_refresh(full=True)  # the clones carry the template's update time, behind the watermark
    client = signed_in(world.staff["supervisor"])
    reply = client.get("/bao-cao/den-han/")
    assert len(reply.content) < MAX_PAGE
    # 120 clones + C and D of the golden fixture (B's result waits at the desk: handled, not late now).
    assert "Hiển thị 50 trên 122 dòng" in reply.content.decode()
    book = load_workbook(BytesIO(client.get("/bao-cao/den-han/", {"format": "xlsx"}).content))
    listed = book["Hồ sơ quá hạn và sắp đến hạn"]
    codes = [row[0] for row in listed.iter_rows(values_only=True) if str(row[0]).startswith("X-")]
    assert len(codes) == 120


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_exports_its_tables_as_xlsx(world: World, path: str) -> None:
    build_golden(world)
    reply = signed_in(world.staff["supervisor"]).get(f"/bao-cao/{path}", {"ky": "2026-03", "format": "xlsx"})
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(reply.content))
    assert book.sheetnames
    for sheet in book.worksheets:
        assert sheet["A1"].value  # the table's title


@pytest.mark.django_db
def test_766_xlsx_holds_the_golden_figures(world: World) -> None:
    build_golden(world)
    reply = signed_in(world.staff["supervisor"]).get("/bao-cao/", {"ky": "2026-03", "format": "xlsx"})
    book = load_workbook(BytesIO(reply.content))
    assert book.sheetnames == ["Bộ chỉ số 766- Tỉnh Lào Cai", "Theo đơn vị", "Theo thủ tục"]
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert rows["2.1"][2:6] == (3, 6, 50.0, 10.0)  # numerator, denominator, rate %, score
    assert rows["1.1"][5:8] == (None, 0, 6)  # N/A: no score, adds nothing to the countable maximum of 6
    assert "N/A" in rows["1.1"][9]
    assert rows["Tổng"][5:7] == (37.19, 66.0)


@pytest.mark.django_db
def test_periodic_pdf_for_the_province(world: World) -> None:
    build_golden(world)
    reply = signed_in(world.staff["supervisor"]).get("/bao-cao/bao-cao-dinh-ky.pdf", {"ky": "2026-03"})
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(reply.content)).pages)
    assert "Báo cáo định kỳ" in text
    assert "Tháng 03/2026" in text
    assert "Hồ sơ đúng hạn" in text
    assert "37,19" in text or "37.19" in text  # the 766 total of the golden fixture
    assert signed_in(world.staff["specialist"]).get("/bao-cao/bao-cao-dinh-ky.pdf").status_code == 403


@pytest.mark.django_db
def test_english_pages_and_exports(world: World) -> None:
    build_golden(world)
    client = signed_in(world.staff["supervisor"])
    client.cookies["django_language"] = "en"
    html = client.get("/bao-cao/den-han/").content.decode()
    assert "Early warning: dossiers likely to be late" in html
    assert "Not assigned yet (" in html
    book = load_workbook(BytesIO(client.get("/bao-cao/", {"ky": "2026-03", "format": "xlsx"}).content))
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert rows["2.1"][1] == "Dossiers on time"
    assert rows["Total"][5] == 37.19
