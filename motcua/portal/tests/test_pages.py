"""Public pages without a browser: status, the no-JS GET form, bad input as a message, the procedure
page's sections, the checklist PDF's text, and page weight (HTML plus linked CSS/JS under 100 KB)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from motcua.catalog.models import Component, Procedure
from motcua.catalog.tests.search_support import fresh_search_index, import_sample

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_search_index", "sample")]
__all__ = ["fresh_search_index"]

PAGE_BUDGET = 100 * 1024
_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="/static/([^"]+)"')


@pytest.fixture
def sample(tmp_path: Path) -> None:
    import_sample(tmp_path)


def html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def page_weight(client: Client, url: str) -> int:
    """Bytes of the rendered page plus the stylesheets and scripts it links (fonts aside)."""
    body = html(client, url)
    total = len(body.encode())
    for asset in set(_ASSET.findall(body)):
        found = finders.find(asset)
        assert isinstance(found, str), asset
        total += Path(found).stat().st_size
    return total


@pytest.mark.parametrize("url", ["/", "/tra-cuu/", "/kiosk/", "/thu-tuc/1.001193/"])
def test_pages_answer_with_lang_and_skip_link(client: Client, url: str) -> None:
    body = html(client, url)
    assert '<html lang="vi">' in body
    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main">' in body


def test_search_form_is_a_plain_get_form_that_works_without_js(client: Client) -> None:
    body = html(client, "/tra-cuu/")
    assert re.search(r'<form class="search" method="get" action="/tra-cuu/"', body)
    assert '<label for="id_q">' in body
    assert "<script" not in body

    results = html(client, "/tra-cuu/?q=lam+giay+khai+sinh")
    first = re.search(r'<ol class="results">\s*<li><a href="(/thu-tuc/[^"]+/)"', results)
    assert first is not None
    assert first.group(1) == "/thu-tuc/1.001193/"
    assert 'value="lam giay khai sinh"' in results  # what was typed stays in the box


def test_filters_narrow_the_results(client: Client) -> None:
    everything = html(client, "/tra-cuu/?q=giấy+phép+lái+xe")
    assert "/thu-tuc/3.000346/" in everything
    communes = html(client, "/tra-cuu/?q=giấy+phép+lái+xe&level=commune")
    assert "/thu-tuc/3.000346/" not in communes


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Vui lòng nhập nội dung cần tìm."),
        ("x" * 201, "Nội dung tìm kiếm dài quá 200 ký tự."),
    ],
)
def test_bad_query_is_a_message_beside_the_form(client: Client, query: str, message: str) -> None:
    for url in ("/tra-cuu/", "/kiosk/"):
        body = html(client, f"{url}?q={query}")
        assert message in body
        assert 'aria-invalid="true"' in body


def test_unknown_filter_value_is_a_message(client: Client) -> None:
    body = html(client, "/tra-cuu/?q=khai+sinh&level=galaxy")
    assert re.search(r'<p class="field-error" role="alert">Cấp thực hiện: [^<]+</p>', body)


def test_kiosk_offers_topics_then_results_linking_back_to_the_kiosk(client: Client) -> None:
    start = html(client, "/kiosk/")
    assert 'class="topic"' in start
    results = html(client, "/kiosk/?q=chung+thuc+ban+sao")
    assert '/thu-tuc/2.000815/?from=kiosk"' in results
    page = html(client, "/thu-tuc/2.000815/?from=kiosk")
    assert 'href="/kiosk/"' in page


def test_procedure_page_shows_what_a_citizen_needs(client: Client) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    body = html(client, "/thu-tuc/1.001193/")
    assert procedure.name in body
    with_form = Component.objects.exclude(form_name="").select_related("version__procedure").first()
    assert with_form is not None
    form_page = html(client, f"/thu-tuc/{with_form.version.procedure.code}/")
    assert escape(with_form.form_name) in form_page  # form template names
    for heading in ("Giấy tờ cần chuẩn bị", "Cách nộp, thời hạn và lệ phí", "Nộp hồ sơ ở đâu", "Căn cứ pháp lý"):
        assert heading in body
    assert "bất kỳ Trung tâm Phục vụ hành chính công" in body  # boundary-free
    assert 'href="/thu-tuc/1.001193/danh-muc.pdf"' in body


def test_ministry_procedure_is_not_offered_at_any_center(client: Client) -> None:
    body = html(client, "/thu-tuc/3.000346/")
    assert "bất kỳ Trung tâm Phục vụ hành chính công" not in body


@pytest.mark.parametrize("code", ["9.999999", "không-có", "1.001193x", "%3Cscript%3E"])
def test_unknown_or_malformed_code_is_a_friendly_404(client: Client, code: str) -> None:
    body = html(client, f"/thu-tuc/{code}/", status=404)
    assert "Không tìm thấy thủ tục" in body
    assert html(client, f"/thu-tuc/{code}/danh-muc.pdf", status=404)


def test_checklist_pdf_lists_code_and_components(client: Client) -> None:
    response = client.get("/thu-tuc/1.001193/danh-muc.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "1.001193" in flat
    assert "Thủ tục đăng ký khai sinh" in flat  # Vietnamese survives (a system font with the marks)
    procedure = Procedure.objects.get(code="1.001193")
    for component in Component.objects.filter(version=procedure.current_version, required=True):
        assert " ".join(component.name.split())[:30] in flat


@pytest.mark.parametrize(
    "url", ["/kiosk/", "/kiosk/?q=lam+giay+khai+sinh", "/tra-cuu/?q=chung+thuc", "/thu-tuc/1.001193/"]
)
def test_page_weight_under_100_kb(client: Client, url: str) -> None:
    assert page_weight(client, url) < PAGE_BUDGET


def test_english_interface(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = html(client, "/tra-cuu/")
    assert '<html lang="en">' in body
    assert "Search administrative procedures" in body
    assert "What do you need to do?" in body
