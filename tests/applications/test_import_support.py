"""What the import stands on: the Excel helpers (formula injection, content check) and the thread backend."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from medtalent.core import excel

# ---------------------------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+8613800000000", "'+8613800000000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("王晓明", "王晓明"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value, written):
    assert excel.neutralise(value) == written


def test_exported_rows_never_hold_a_formula():
    workbook = Workbook()
    excel.append_row(workbook.active, ["=cmd|' /C calc'!A0", "+1", "-1", "@x", "正常", 7])

    sheet = load_workbook(io.BytesIO(excel.workbook_bytes(workbook))).active

    assert [c.value for c in sheet[1]] == ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@x", "正常", 7]
    assert [c.data_type for c in sheet[1]] == ["s", "s", "s", "s", "s", "n"]


def test_workbook_response_is_a_download_with_a_chinese_name():
    response = excel.workbook_response(Workbook(), "导入问题.xlsx")

    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E5%AF%BC%E5%85%A5%E9%97%AE%E9%A2%98.xlsx"
    assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------------------------- content check


def _zip(parts: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_check_xlsx_accepts_a_workbook_and_leaves_the_file_at_its_start():
    file = io.BytesIO(excel.workbook_bytes(Workbook()))
    file.seek(10)

    assert excel.check_xlsx(file) is True
    assert file.tell() == 0


@pytest.mark.parametrize(
    "file",
    [
        io.BytesIO(b"name,id\n"),
        io.BytesIO(b"PK\x03\x04broken"),
        _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"wordprocessingml"}),
        _zip({"xl/workbook.xml": b"<w/>", "[Content_Types].xml": b"spreadsheetml", "xl/vbaProject.bin": b"macro"}),
    ],
    ids=["csv", "broken zip", "docx", "xlsm"],
)
def test_check_xlsx_refuses_what_is_not_an_xlsx(file):
    assert excel.check_xlsx(file) is False


def test_check_xlsx_refuses_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(excel, "XLSX_MAX_UNPACKED_BYTES", 1000)
    file = _zip({"xl/workbook.xml": b"0" * 2000, "[Content_Types].xml": b"spreadsheetml"})

    assert excel.check_xlsx(file) is False
