"""Excel helpers shared by every download and upload (openpyxl).

- `neutralise`: a text that Excel would run as a formula (it starts with = + - @, a tab or a carriage
  return) gets a leading single quote, so a name such as ``=HYPERLINK("http://…")`` typed into a form is
  shown as text and never evaluated (CSV/formula injection, OWASP). Every value written into an exported
  workbook goes through it; `append_row` does it for a whole row.
- `workbook_response`: the HTTP download of a workbook, with a Chinese file name that every browser keeps.
- `check_xlsx`: an upload is an .xlsx by its content (a zip holding the parts of an Excel workbook, not too
  large once unpacked), whatever its name or the browser's content type say.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The parts every workbook written by Excel, WPS, LibreOffice or openpyxl holds.
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A 5,000-row sheet is a few MB unpacked; anything far larger is a zip bomb or not a sheet of applicants.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def neutralise(value: Any) -> Any:
    """The value to write into a cell: a text starting like a formula is prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def append_row(worksheet, values) -> None:
    """Append one row of values, each neutralised."""
    worksheet.append([neutralise(v) for v in values])


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(workbook, filename: str) -> HttpResponse:
    """A download of `workbook` as `filename` (UTF-8 names are sent the RFC 6266 way)."""
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def check_xlsx(file: IO[bytes]) -> bool:
    """True when `file` (an open binary file) is an .xlsx workbook by its content. Leaves it at position 0."""
    try:
        file.seek(0)
        if not zipfile.is_zipfile(file):
            return False
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if not all(part in names for part in XLSX_REQUIRED_PARTS):
                return False
            if "xl/vbaProject.bin" in names:  # a macro-enabled workbook (.xlsm) renamed
                return False
            if sum(info.file_size for info in infos) > XLSX_MAX_UNPACKED_BYTES:
                return False
            content_types = archive.read("[Content_Types].xml")
            return b"spreadsheetml" in content_types
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        file.seek(0)
