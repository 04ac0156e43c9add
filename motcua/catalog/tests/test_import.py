"""The importer: idempotent re-imports, versions on change, all-or-nothing validation, XLSX lists."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.data import LIST_FILES, PORTAL_FILE
from motcua.catalog.importers.records import ImportFileError
from motcua.catalog.models import (
    Component,
    OnlineLevel,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    VersionSource,
    WorkflowTemplate,
)
from motcua.catalog.services.imports import import_procedure_files

pytestmark = pytest.mark.django_db

SAMPLE_SIZE = 40


def portal_records(count: int = SAMPLE_SIZE) -> list[dict[str, Any]]:
    with gzip.open(PORTAL_FILE, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(count), lines, strict=False)]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách TTHC"
    sheet.append(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nDANH SÁCH THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def db_state() -> tuple[int, int, int, int]:
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Component.objects.count(),
        WorkflowTemplate.objects.count(),
    )


def test_import_twice_creates_once_then_leaves_everything_unchanged(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "portal.jsonl.gz", portal_records())

    first = import_procedure_files([path])
    state = db_state()
    second = import_procedure_files([path])

    assert (first.created, first.new_versions, first.unchanged) == (SAMPLE_SIZE, 0, 0)
    assert (second.created, second.new_versions, second.unchanged) == (0, 0, SAMPLE_SIZE)
    assert db_state() == state
    assert state[0] == state[1] == state[3] == SAMPLE_SIZE


def test_imported_procedure_has_parsed_content_and_a_default_workflow(tmp_path: Path) -> None:
    import_procedure_files([write_jsonl(tmp_path / "portal.jsonl", portal_records())])

    procedure = Procedure.objects.select_related("current_version", "field").get(code="1.000178")
    version = procedure.current_version
    assert version is not None
    assert procedure.levels == ["ministry"]
    assert procedure.field is not None
    assert procedure.field.name == "Khiếu nại, tố cáo"
    assert procedure.boundary_free is False
    assert version.result_code == "KQ.G01.00262"
    assert {b.number for b in version.legal_bases.all()} >= {"68/2013/TT-BCA", "02/2011/QH13"}
    limit = version.time_limit("direct")
    assert limit is not None
    assert (limit.amount, limit.unit) == (Decimal(60), "working_days")
    assert version.time_limit("online") is None
    steps = list(procedure.workflow.steps.all())
    assert sum(s.budget_days for s in steps) == procedure.workflow.limit_days == 60
    assert [s.role for s in steps] == ["reception", "specialist", "leader", "clerk"]


def test_province_and_commune_procedures_are_boundary_free(tmp_path: Path) -> None:
    records = portal_records()
    records[0]["cap_thuc_hien"] = "Cấp bộ, Cấp xã"
    records[1]["cap_thuc_hien"] = "Cấp bộ"
    import_procedure_files([write_jsonl(tmp_path / "portal.jsonl", records)])

    flags = dict(
        Procedure.objects.filter(code__in=[records[0]["ma_thu_tuc"], records[1]["ma_thu_tuc"]]).values_list(
            "code", "boundary_free"
        )
    )
    assert flags == {records[0]["ma_thu_tuc"]: True, records[1]["ma_thu_tuc"]: False}


def test_changed_record_makes_a_new_version_and_closes_the_old_one(tmp_path: Path) -> None:
    records = portal_records()
    path = write_jsonl(tmp_path / "portal.jsonl", records)
    import_procedure_files([path])
    code = records[0]["ma_thu_tuc"]
    Procedure.objects.filter(code=code).update(online_level=OnlineLevel.FULL)  # an officer's edit

    records[0]["cach_thuc_thuc_hien"] = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việcMiễn phí"
    report = import_procedure_files([write_jsonl(path, records)])

    assert (report.created, report.new_versions, report.unchanged) == (0, 1, SAMPLE_SIZE - 1)
    procedure = Procedure.objects.get(code=code)
    old, new = ProcedureVersion.objects.filter(procedure=procedure).order_by("number")
    assert procedure.current_version_id == new.pk
    assert (old.number, new.number) == (1, 2)
    assert old.effective_to == new.effective_from
    assert new.effective_to is None
    assert procedure.processing_time_amount == 7
    assert procedure.online_level == OnlineLevel.FULL
    assert procedure.workflow.limit_days == 7
    assert sum(s.budget_days for s in procedure.workflow.steps.all()) == 7
    assert ProcedureChannel.objects.filter(version=old).count() > 0  # the old version keeps its content


def _assert_refused(paths: list[Path], location: str, reason: str) -> None:
    before = db_state()
    with pytest.raises(ImportFileError) as caught:
        import_procedure_files(paths)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(location) and reason in p for p in problems), problems
    assert db_state() == before


def test_truncated_gzip_is_refused_naming_the_line(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", portal_records(5))
    full = gzip.compress(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in portal_records()))
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(full[: len(full) // 2])

    _assert_refused([good, broken], f"{broken}:", "gzip")
    assert Procedure.objects.count() == 0


def test_bad_json_line_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "portal.jsonl", portal_records(5))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:50]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    _assert_refused([path], f"{path}:3", "JSON")


def test_unknown_level_is_refused_naming_the_line(tmp_path: Path) -> None:
    records = portal_records(5)
    records[3]["cap_thuc_hien"] = "Cấp tỉnh, Cấp huyện"

    _assert_refused([write_jsonl(tmp_path / "portal.jsonl", records)], f"{tmp_path / 'portal.jsonl'}:4", "Cấp huyện")


def test_duplicate_code_is_refused_naming_both_lines(tmp_path: Path) -> None:
    records = portal_records(5)
    records.append(dict(records[1]))
    path = write_jsonl(tmp_path / "portal.jsonl", records)

    _assert_refused([path], f"{path}:6", f"trùng với dòng {path}:2")


def test_refused_file_leaves_a_populated_database_unchanged(tmp_path: Path) -> None:
    records = portal_records()
    import_procedure_files([write_jsonl(tmp_path / "v1.jsonl", records)])
    records[0]["ten_thu_tuc"] = "Tên mới"
    records[5]["cap_thuc_hien"] = "Cấp thôn"

    _assert_refused([write_jsonl(tmp_path / "v2.jsonl", records)], f"{tmp_path / 'v2.jsonl'}:6", "Cấp thôn")
    assert Procedure.objects.get(code=records[0]["ma_thu_tuc"]).name != "Tên mới"


def test_xlsx_list_creates_procedures_it_alone_names(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "danh-sach.xlsx",
        [("2.999001", "Thủ tục địa phương", "UBND tỉnh Lào Cai", "Sở Tư pháp\nUBND cấp xã", "Hộ tịch")],
    )

    report = import_procedure_files([path])

    procedure = Procedure.objects.select_related("current_version", "field").get(code="2.999001")
    assert report.created == 1
    assert procedure.field is not None
    assert procedure.field.name == "Hộ tịch"
    assert procedure.current_version is not None
    assert procedure.current_version.source == VersionSource.LIST
    assert procedure.current_version.implementing_body == "Sở Tư pháp\nUBND cấp xã"
    assert procedure.workflow.needs_review is True


def test_xlsx_list_does_not_replace_portal_detail(tmp_path: Path) -> None:
    records = portal_records(3)
    portal = write_jsonl(tmp_path / "portal.jsonl", records)
    listed = write_xlsx(
        tmp_path / "list.xlsx",
        [(r["ma_thu_tuc"], "Tên rút gọn", "Bộ", "", r["linh_vuc"]) for r in records],
    )
    import_procedure_files([portal])

    report = import_procedure_files([listed])
    together = import_procedure_files([listed, portal])

    assert (report.list_rows_kept_portal, report.new_versions) == (3, 0)
    assert (together.list_rows_kept_portal, together.unchanged) == (3, 3)
    assert ProcedureVersion.objects.count() == 3
    assert set(Procedure.objects.values_list("name", flat=True)) == {r["ten_thu_tuc"] for r in records}


def test_xlsx_with_a_bad_code_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [("1.000001", "Một", "", "", "A"), ("abc", "Hai", "", "", "B")])

    _assert_refused([path], f"{path}:4", "mã thủ tục không hợp lệ")


def test_shipped_lists_import(tmp_path: Path) -> None:
    report = import_procedure_files(LIST_FILES[-1:])  # the People's Court list: 3 rows

    assert report.created == 3


def test_command_writes_a_json_report_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "portal.jsonl", portal_records())
    report_file = tmp_path / "report.json"

    call_command("import_procedures", str(tmp_path), "--report", str(report_file))

    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["created"] == SAMPLE_SIZE
    assert report["files"] == [str(path)]
    assert "Tạo mới: 40" in capsys.readouterr().out


def test_command_reports_bad_lines_and_quiet_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ma_thu_tuc": "1.000001"\n', encoding="utf-8")

    with pytest.raises(CommandError, match=f"{path}:1: dòng JSON không hợp lệ"):
        call_command("import_procedures", str(path), "--quiet")
    call_command("import_procedures", str(write_jsonl(tmp_path / "ok.jsonl", portal_records(2))), "--quiet")
    assert capsys.readouterr().out == ""
