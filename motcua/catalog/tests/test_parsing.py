"""The portal's flattened tables, on snippets taken from the national data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.importers.parsing import (
    component_channels,
    is_situational,
    parse_channels,
    parse_components,
    parse_document_number,
    parse_legal_bases,
    parse_result,
    slugify_vi,
)
from motcua.catalog.importers.records import parse_levels

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def test_channels_with_units_fees_and_descriptions() -> None:
    text = (
        HEADER + "Trực tuyến2 Ngày làm việcMiễn phíTrong thời hạn 02 ngày làm việc kể từ ngày nhận hồ sơ."
        "Dịch vụ bưu chính2 Ngày làm việc100,000 Việt Nam ĐồngTrực tiếp30 NgàyKhông có thông tin"
    )
    result = parse_channels(text)

    assert [c.kind for c in result.items] == ["online", "post", "direct"]
    online, post, direct = result.items
    assert (online.time_amount, online.time_unit) == (Decimal(2), "working_days")
    assert online.fee_amount == 0
    assert online.description == "Trong thời hạn 02 ngày làm việc kể từ ngày nhận hồ sơ."
    assert (post.fee_amount, post.fee_currency) == (Decimal(100000), "VND")
    assert (direct.time_amount, direct.time_unit, direct.fee_amount) == (Decimal(30), "days", None)
    assert result.problems == []


def test_channel_names_inside_descriptions_do_not_start_rows() -> None:
    text = (
        HEADER + "Trực tiếp10 NgàyKhông có thông tinTrực tiếp tại cơ quan Công an cấp huyện nơi thường trú."
        "Trực tiếp10 NgàyKhông có thông tin- Trực tuyến: nộp hồ sơ qua Cổng."
    )
    result = parse_channels(text)

    assert len(result.items) == 2
    assert result.items[0].description == "Trực tiếp tại cơ quan Công an cấp huyện nơi thường trú."


def test_fee_note_in_parentheses_and_usd() -> None:
    text = HEADER + "Trực tuyến5 Ngày làm việc25 USD(Phí thẩm định: 25 USD/hồ sơ)Nộp qua Cổng DVC."
    channel = parse_channels(text).items[0]

    assert (channel.fee_amount, channel.fee_currency) == (Decimal(25), "USD")
    assert channel.fee_text == "25 USD(Phí thẩm định: 25 USD/hồ sơ)"
    assert channel.description == "Nộp qua Cổng DVC."


def test_empty_unit_cell_glues_the_time_to_the_fee_in_thousands() -> None:
    text = HEADER + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp2 GiờMiễn phí"
    result = parse_channels(text)

    online, direct = result.items
    assert online.time_amount == 1
    assert online.fee_amount == Decimal(20000)
    assert (direct.time_amount, direct.time_unit) == (Decimal(2), "hours")
    assert any("thousands" in note for note in result.notes)


def test_bare_number_takes_the_unit_the_steps_use_or_working_days() -> None:
    text = HEADER + "Trực tuyến1Miễn phíTrực tiếp1Miễn phí"

    stated = parse_channels(text, context="Trong thời hạn 01 ngày làm việc, cơ quan trả kết quả.")
    assumed = parse_channels(text)

    assert stated.items[0].time_unit == "working_days"
    assert "taken from the text" in stated.notes[0]
    assert (assumed.items[0].time_amount, assumed.items[0].time_unit) == (Decimal(1), "working_days")
    assert "assumed" in assumed.notes[0]


def test_time_limit_read_from_the_description_when_the_cell_is_empty() -> None:
    text = HEADER + "Trực tuyếnKhông có thông tinMiễn phí- 08 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ"
    channel = parse_channels(text).items[0]

    assert (channel.time_amount, channel.time_unit, channel.time_text) == (
        Decimal(8),
        "working_days",
        "Không có thông tin",
    )


def test_unparsed_time_is_kept_as_text_and_reported() -> None:
    text = HEADER + "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng dịch vụ công quốc gia"
    result = parse_channels(text)

    assert result.items[0].time_amount is None
    assert result.items[0].time_text == "Không phải trả kết quả cho người nộp thuế"
    assert result.problems == ["channels: time limit not parsed ('Không phải trả kết quả cho người nộp thuế')"]


def test_channels_without_the_table_header_are_a_problem() -> None:
    assert parse_channels("Nộp trực tiếp").problems == ["channels: table header not found"]


def test_components_with_forms_counts_copies_and_captions() -> None:
    text = (
        "a) Đối với cá nhân:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "- Văn bản đề nghị gia hạn giấy phép theo Mẫu 02 Phụ lục I Nghị định số 23/2026/NĐ-CP.Mau02.docx1 bản chính"
        "Văn bản xác nhận của cơ quan có thẩm quyền0 bản chính,1 bản sao"
        "- Giấy tờ phải xuất trình:0 bản chính"
        "Biên bản tổ chức đối thoại (nếu có)2 bản chính,1 bản sao"
    )
    result = parse_components(text)

    first, second, third = result.items
    assert first.name == "Văn bản đề nghị gia hạn giấy phép theo Mẫu 02 Phụ lục I Nghị định số 23/2026/NĐ-CP."
    assert first.form_name == "Mau02.docx"
    assert (first.count, first.copy_kind, first.group) == (1, "original", "a) Đối với cá nhân:")
    assert (second.count, second.copy_kind) == (1, "copy")
    assert third.group == "Giấy tờ phải xuất trình:"
    assert (third.count, third.required) == (2, False)
    assert first.code.startswith("van-ban-de-nghi-gia-han-giay-phep")
    assert result.problems == []


def test_component_codes_are_unique_within_the_procedure() -> None:
    text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chínhTờ khai1 bản sao"

    assert [c.code for c in parse_components(text).items] == ["to-khai", "to-khai-2"]


def test_vietnamese_slug_keeps_d() -> None:
    assert slugify_vi("Đơn đề nghị cấp Giấy phép") == "don-de-nghi-cap-giay-phep"


def test_legal_bases_split_titles_from_glued_numbers() -> None:
    text = (
        "Tên văn bản pháp lýMã văn bản"
        "Hướng dẫn xử lý khiếu nại trong công an nhân dân68/2013/TT-BCA"
        "Luật Khiếu nại  năm 201102/2011/QH13"
        "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP"
        "Quyết định về cơ chế một cửa19/2018/QĐ-TTg"
    )
    result = parse_legal_bases(text)

    assert [(b.number, b.year) for b in result.items] == [
        ("68/2013/TT-BCA", 2013),
        ("02/2011/QH13", 2011),
        ("05/2012/NĐ-CP", 2012),
        ("19/2018/QĐ-TTg", 2018),
    ]
    assert result.items[1].title == "Luật Khiếu nại  năm 2011"
    assert result.items[2].title == "Nghị định 05/2012/NĐ-CP"
    assert result.problems == []


def test_document_number_is_cut_where_the_next_title_starts() -> None:
    assert parse_document_number("123/2015/NĐ-CPLuật Đất đai") == ("123/2015/NĐ-CP", 2015, "NĐ-CP")
    assert parse_document_number("Thông tư 80/2021/TT-BTCNghị định") == ("80/2021/TT-BTC", 2021, "TT-BTC")
    assert parse_document_number("không có số") is None


def test_result_text_and_code_without_page_furniture() -> None:
    text = (
        "Quyết định giải quyết khiếu nại lần 1, lần 2Mã: KQ.G01.00262Từ khóaKhông có thông tin"
        "Mô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phố"
    )
    result = parse_result(text)

    assert result.code == "KQ.G01.00262"
    assert result.text == "Quyết định giải quyết khiếu nại lần 1, lần 2"


def test_levels_map_portal_labels_to_stable_values() -> None:
    assert parse_levels("Cấp tỉnh, Cấp bộ, Cấp xã") == (["ministry", "province", "commune"], [])
    assert parse_levels("Cấp huyện") == ([], ["Cấp huyện"])


@pytest.mark.parametrize(
    ("name", "group", "required"),
    [
        ("Tờ khai đăng ký khai sinh", "Giấy tờ phải nộp:", True),
        ("Đơn đề nghị", "a) Đối với cá nhân:", True),
        ("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", "", False),
        ("Nếu ủy quyền: văn bản ủy quyền", "", False),
        ("Văn bản ủy quyền trong trường hợp ủy quyền thực hiện", "", False),
        ("Biên bản đối thoại (nếu có)", "", False),
        ("Giấy chứng sinh", "b) Trường hợp khai sinh cho trẻ sinh ra ở nước ngoài:", False),
        ("Giấy xác nhận", "+ Đối với trường hợp người nước ngoài:", False),
        ("Giấy chứng sinh; trường hợp không có thì nộp văn bản xác nhận", "Giấy tờ phải nộp:", True),
        ("Nếucó là một từ lạ", "", True),
    ],
)
def test_situational_components_are_not_required(name: str, group: str, required: bool) -> None:
    assert is_situational(name, group) is not required


@pytest.mark.parametrize(
    ("name", "channels"),
    [
        # 1.001193, birth registration: the paper form at the desk or by post, the e-form online.
        (
            "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp "
            "hoặc gửi hồ sơ qua hệ thống bưu chính);",
            ["direct", "post"],
        ),
        (
            "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn "
            "trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)",
            ["online"],
        ),
        (
            "Tờ khai đăng ký khai tử theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);",
            ["direct"],
        ),
        # Every channel wants the photo, in one form or another: no limit.
        (
            "Hai (02) ảnh màu (nếu nộp theo hình thức trực tiếp hoặc qua bưu chính), 01 tệp ảnh (nếu nộp theo "
            "hình thức trực tuyến), cỡ 4cm x 6cm",
            [],
        ),
        # A mention of a channel outside a condition on how the dossier is filed is no limit.
        ("Giấy tờ của chủ xe: đăng nhập trên Cổng dịch vụ công (trực tuyến) bằng tài khoản định danh", []),
        ("Giấy chứng sinh", []),
    ],
)
def test_components_limited_to_channels_by_their_wording(name: str, channels: list[str]) -> None:
    assert component_channels(name) == channels
