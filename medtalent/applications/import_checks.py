"""The cheap checks of an uploaded workbook, before it is stored: is it small enough to import?

A workbook is a zip; its data sheet is one XML part in it. A file of 7.5 MB can unpack to 100 MB of empty
rows (Excel writes every row a user once formatted, down to row 1,048,576), which the background import
would walk for tens of seconds. So the upload:

1. looks at the zip's directory (no unpacking): a part that unpacks to more than `MAX_COMPRESSION_RATIO`
   times its packed size is a zip bomb, not a sheet of applicants;
2. finds the data sheet as the import reads it (the sheet named `import_columns.SHEET_DATA`, else the first worksheet,
   through `xl/workbook.xml` and its relationships);
3. streams that sheet's XML (`iterparse` on the zip member, at most `MAX_SHEET_BYTES` of it, never all of
   it in memory), counting the rows that hold a value and those that do not, and stops as soon as there
   are more than `MAX_ROWS` rows of applicants, or more than `MAX_BLANK_ROWS` empty rows ("mostly blank"),
   or the sheet is larger than `MAX_SHEET_BYTES`.

A file this module cannot make sense of (a broken zip, a sheet that is not XML) is let through: the
background import reports it as unreadable, with the same bounds (`import_reading.read_sheet`).
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError

logger = logging.getLogger(__name__)

MAX_ROWS = 10_000  # rows of applicants per file; the background import reads no more either
# Empty rows a file may hold besides its data (rows with no value, or missing between two rows). A filled-in
# template has up to TEMPLATE_ROWS = 5,000 formatted empty rows below the data, Excel a few hundred more where a
# user formatted a block; a file with more than this many is "mostly blank" and refused. The background import
# stops after this many empty rows in a row.
MAX_BLANK_ROWS = 20_000
# The data sheet's XML, unpacked, at most: MAX_ROWS rows (and the header) of SHEET_COLUMNS cells of
# BYTES_PER_CELL bytes each. The template has 26 columns and a unit may add a few; openpyxl and Excel write a
# cell in 30 to 60 bytes, a cell of text holds it inline (UTF-8, 3 bytes a Chinese character) or in the shared
# strings. A real file of 10,000 applicants with a few hundred characters of study plan is about 28 MB.
SHEET_COLUMNS = 32
BYTES_PER_CELL = 256
MAX_SHEET_BYTES = (MAX_ROWS + 1) * SHEET_COLUMNS * BYTES_PER_CELL  # 78 MB
# Packed parts of a workbook unpack to 5 to 30 times their size (XML compresses well; empty rows a bit better).
# A part larger than RATIO_MIN_BYTES that unpacks to more than MAX_COMPRESSION_RATIO times its size is a zip
# bomb. Empty rows alone do not reach it (about 30 times): the row count below finds them.
MAX_COMPRESSION_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
# workbook.xml and its relationships list the sheets: a few KB.
MAX_INDEX_BYTES = 1024 * 1024

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OK, TOO_MANY_ROWS, MOSTLY_BLANK, TOO_LARGE = "ok", "too_many_rows", "mostly_blank", "too_large"


@dataclass
class SheetScan:
    """What the stream of the data sheet showed, up to where it stopped."""

    outcome: str = OK
    data_rows: int = 0  # rows below the header with at least one value
    blank_rows: int = 0  # rows below the header with none, including rows missing between two rows
    last_row: int = 0  # Excel number of the last row read
    dimension_rows: int = 0  # the last row the sheet claims to use (<dimension ref="A1:Z1048576">), 0 if none

    @property
    def empty_rows_estimate(self) -> int:
        """The empty rows of the whole sheet: those read, and those the sheet's dimension says lie beyond where
        the scan stopped (taken as empty too: the scan stops in a run of empty rows)."""
        return self.blank_rows + max(0, self.dimension_rows - self.last_row)


class _SheetTooLarge(Exception):
    pass


class _Budget:
    """A file-like view of `raw` that gives at most `limit` bytes, then raises `_SheetTooLarge`."""

    def __init__(self, raw: IO[bytes], limit: int):
        self.raw = raw
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(65536 if size is None or size < 0 else size)
        self.left -= len(data)
        if self.left < 0:
            raise _SheetTooLarge
        return data


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_index(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > MAX_INDEX_BYTES:
        raise ValueError(f"{name} is too large to be a workbook's index")
    return ElementTree.fromstring(archive.read(name))


def data_sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str:
    """The zip member of the sheet the import reads: `sheet_name`, else the first worksheet (as openpyxl's
    `workbook.worksheets[0]`). KeyError, ValueError or ParseError when the workbook does not say."""
    workbook = _read_index(archive, "xl/workbook.xml")
    rels = _read_index(archive, "xl/_rels/workbook.xml.rels")
    targets = {
        rel.get("Id"): (rel.get("Target") or "", rel.get("Type") or "")
        for rel in rels.iter()
        if _local(rel.tag) == "Relationship"
    }
    worksheets = []  # (name, member) in the workbook's order, chart sheets left out
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        target, kind = targets.get(sheet.get(RELATIONSHIP_ID), ("", ""))
        if target and kind.endswith("/worksheet"):
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            worksheets.append((sheet.get("name"), member))
    if not worksheets:
        raise KeyError("the workbook lists no worksheet")
    return next((member for name, member in worksheets if name == sheet_name), worksheets[0][1])


def scan_sheet(stream: IO[bytes], *, max_rows: int, max_blank_rows: int, max_bytes: int) -> SheetScan:
    """Count the sheet's rows with and without a value, reading its XML as a stream, up to the first limit
    passed. Row 1 is the header (as the import reads it) and is not counted. ParseError if it is not XML."""
    scan = SheetScan()
    has_value = False
    try:
        for _event, element in ElementTree.iterparse(_Budget(stream, max_bytes), events=("end",)):
            tag = _local(element.tag)
            # A cell's value, its inline text, its formula. (A shared string is counted by its index: one that is
            # only spaces counts as a value here, as blank in the import. Nothing the template produces.)
            if tag in ("v", "t", "f"):
                if element.text and not element.text.isspace():
                    has_value = True
            elif tag == "row":
                number = _row_number(element.get("r"), scan.last_row)
                if number > 1:
                    scan.blank_rows += max(0, number - max(scan.last_row, 1) - 1)  # rows not written at all
                    if has_value:
                        scan.data_rows += 1
                    else:
                        scan.blank_rows += 1
                scan.last_row = max(number, scan.last_row)
                has_value = False
                element.clear()  # the cells of a row read are dropped: memory stays that of one row
                if scan.data_rows > max_rows:
                    scan.outcome = TOO_MANY_ROWS
                    return scan
                if scan.blank_rows > max_blank_rows:
                    scan.outcome = MOSTLY_BLANK
                    return scan
            elif tag == "dimension":
                match = re.search(r"(\d+)$", element.get("ref") or "")
                scan.dimension_rows = int(match.group(1)) if match else 0
    except _SheetTooLarge:
        scan.outcome = TOO_LARGE
    return scan


def _row_number(value: str | None, previous: int) -> int:
    if value and value.isdigit():
        return int(value)
    return previous + 1  # the attribute is optional: the next row


def check_workbook_upload(file: IO[bytes], *, sheet_name: str) -> None:
    """Refuse (ApplicationError at the file field) a workbook too large to import, before it is stored.

    `file` is an open binary file already known to be an .xlsx (`core.excel.check_xlsx`); it is left at its
    start. Costs a look at the zip's directory and a read of the data sheet up to its first MAX_ROWS rows of
    applicants (about 0.6 s for a full file of 10,000, 0.1 s for a file of a million empty rows)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            _check_compression(archive)
            member = data_sheet_part(archive, sheet_name)
            with archive.open(member) as stream:
                scan = scan_sheet(stream, max_rows=MAX_ROWS, max_blank_rows=MAX_BLANK_ROWS, max_bytes=MAX_SHEET_BYTES)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError, OSError, EOFError):
        logger.info("Upload check: workbook not understood; the import will say why", exc_info=True)
        return
    finally:
        file.seek(0)
    _refuse(scan)


def _check_compression(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ApplicationError(
                # Translators: 中文：工作簿中的一部分解压后是其压缩大小的%(ratio)s倍，正常的报名表不会如此，请另存为新的工作簿（只保留数据）后重新上传。
                _(
                    "Part of the workbook unpacks to %(ratio)s times its packed size, which a sheet of applicants "
                    "never does: save your data as a new workbook and upload that."
                )
                % {"ratio": f"{info.file_size // max(info.compress_size, 1):,}"},
                field="file",
            )


def _refuse(scan: SheetScan) -> None:
    if scan.outcome == TOO_MANY_ROWS:
        raise ApplicationError(
            # Translators: 中文：工作簿中的报名人员超过%(max)s行（每个文件的上限），请分成几个文件上传。
            _(
                "The workbook has more than %(max)s rows of applicants (the limit per file): split it into several files."
            )
            % {"max": f"{MAX_ROWS:,}"},
            field="file",
        )
    if scan.outcome == MOSTLY_BLANK:
        count = scan.empty_rows_estimate
        if count > scan.blank_rows:
            # Translators: 中文：工作簿在数据之后还有%(count)s个空行：请在Excel中删除这些行（选中数据下方的各行，右键“删除”）后重新上传。
            message = _(
                "The workbook holds %(count)s empty rows after its data: delete them in Excel (select the rows "
                "below your data, Delete rows) and upload again."
            )
        else:
            # Translators: 中文：工作簿在数据之后还有超过%(count)s个空行：请在Excel中删除这些行（选中数据下方的各行，右键“删除”）后重新上传。
            message = _(
                "The workbook holds more than %(count)s empty rows after its data: delete them in Excel (select the "
                "rows below your data, Delete rows) and upload again."
            )
            count = MAX_BLANK_ROWS
        raise ApplicationError(message % {"count": f"{count:,}"}, field="file")
    if scan.outcome == TOO_LARGE:
        raise ApplicationError(
            # Translators: 中文：工作簿的数据表解压后超过%(size)s MB，超出%(max)s行报名信息所需：请删除多余的行和列，或分成几个文件上传。
            _(
                "The workbook's data sheet unpacks to more than %(size)s MB, more than %(max)s rows of applicants "
                "need: delete unused rows and columns, or split it into several files."
            )
            % {"size": MAX_SHEET_BYTES // (1024 * 1024), "max": f"{MAX_ROWS:,}"},
            field="file",
        )
