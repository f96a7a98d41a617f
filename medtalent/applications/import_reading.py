"""Reading an uploaded sheet of the bulk import: the header matched to the template's columns
(`import_columns`), every cell parsed into a value or a problem, the problems kept by row and column.

No writes and no queries but the file: checking the rows against the database and writing them is `imports`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from medtalent.applications import import_checks
from medtalent.applications.import_columns import (
    APPLICATION,
    BOOL,
    CHOICE,
    CHOICES,
    CODE,
    COLUMN_ORDER,
    COLUMNS,
    DATE,
    EMAIL,
    ID,
    INT,
    LANGUAGE,
    NO_WORDS,
    PERSON,
    PHONE,
    SHEET_DATA,
    TEXT,
    YES_WORDS,
    CodeMap,
    Column,
    match_key,
)
from medtalent.applications.models import ImportJob
from medtalent.codes.idnumber import normalise_id_number, validate_id_number
from medtalent.people.facts_check import language_result_problems
from medtalent.people.models import Person

logger = logging.getLogger(__name__)

MAX_ROWS = import_checks.MAX_ROWS  # data rows per file (the upload refuses more: import_checks)
MAX_PROBLEMS = 2_000  # problems kept per job; a file with more is listed up to here, with a count of the rest
EARLIEST_DATE = dt.date(1900, 1, 1)


class _Formula(str):
    """A cell holding a formula (its text, e.g. "=A1+B1"): never imported."""


@dataclass
class ParsedRow:
    row: int
    id_number: str
    person: dict[str, Any]
    application: dict[str, Any]
    language: dict[str, Any] = field(default_factory=dict)  # one language result: test, score, level, taken_on
    ok: bool = True  # False when a cell of the row has a problem (the row is still checked against the database)
    existing: Person | None = None


class Problems:
    """The problems of a file, by row and column, up to MAX_PROBLEMS."""

    def __init__(self, letters: dict[str, str] | None = None):
        self.items: list[dict] = []
        self.dropped = 0
        self.letters = letters or {}

    def add(self, row: int | None, column: str, message: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        letter = self.letters.get(column, "")
        self.items.append(
            {"row": row, "column": column, "cell": f"{letter}{row}" if letter and row else "", "message": message}
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_list(self) -> list[dict]:
        # By row, then in the template's column order (several problems of one cell keep their order).
        items = sorted(self.items, key=lambda p: (p["row"] or 0, COLUMN_ORDER.get(p["column"], len(COLUMNS))))
        if self.dropped:
            items.append(
                {
                    "row": None,
                    "column": "",
                    "cell": "",
                    # Translators: 中文：另有%(count)d个问题未列出，请先改正以上问题后重新上传。
                    "message": ngettext(
                        "%(count)d more problem is not listed; fix these first and upload again.",
                        "%(count)d more problems are not listed; fix these first and upload again.",
                        self.dropped,
                    )
                    % {"count": self.dropped},
                }
            )
        return items


def read_sheet(job: ImportJob) -> tuple[list[str], list[tuple[int, list]]]:
    """The header and the non-empty rows (Excel row number, values); formula cells become `_Formula`.

    Reading stops after MAX_ROWS + 1 rows of data, and after MAX_BLANK_ROWS empty rows in a row: the rest of
    such a sheet is formatting down to row 1,048,576 (the upload refuses these files; this guards any other)."""
    with job.file.open("rb") as file:
        workbook = load_workbook(file, read_only=True, data_only=False)
        try:
            sheet = workbook[SHEET_DATA] if SHEET_DATA in workbook.sheetnames else workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers store a wrong size; read every row there is
            header: list[str] = []
            rows: list[tuple[int, list]] = []
            blank_run = 0
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values = [
                    _Formula(cell.value) if getattr(cell, "data_type", None) == "f" else cell.value for cell in cells
                ]
                if number == 1:
                    header = ["" if v is None else str(v) for v in values]
                    continue
                if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                    blank_run = 0
                    rows.append((number, values))
                    if len(rows) > MAX_ROWS:
                        break
                else:
                    blank_run += 1
                    if blank_run > import_checks.MAX_BLANK_ROWS:
                        logger.warning("Import job %s: stopped reading at row %s, after empty rows", job.pk, number)
                        break
        finally:
            workbook.close()
    return header, rows


QUOTED_MAX = 50  # characters of a cell repeated in a problem: the problem names the cell, not its whole text


def _quoted(text: str) -> str:
    return text if len(text) <= QUOTED_MAX else text[: QUOTED_MAX - 1] + "…"


def _header_key(text: str) -> str:
    return match_key(text).rstrip("*").replace("(", "（").replace(")", "）")


def match_header(header: list[str]) -> tuple[dict[str, int], Problems]:
    """Column header → position in the file; problems for missing required or repeated columns."""
    wanted = {_header_key(c.header): c.header for c in COLUMNS}
    index: dict[str, int] = {}
    letters: dict[str, str] = {}
    problems = Problems()
    for position, text in enumerate(header):
        name = wanted.get(_header_key(text))
        if name is None:
            continue
        if name in index:
            problems.letters = letters
            # Translators: 中文：此列出现了两次（第%(first)s列和第%(second)s列），请删去一列。
            problems.add(
                1,
                name,
                _("This column appears twice (columns %(first)s and %(second)s): delete one.")
                % {"first": letters[name], "second": get_column_letter(position + 1)},
            )
            continue
        index[name] = position
        letters[name] = get_column_letter(position + 1)
    for column in COLUMNS:
        if column.required and column.header not in index:
            # Translators: 中文：缺少此必填列，请使用本平台下载的模板。
            problems.add(1, column.header, _("This required column is missing: use the template from MedTalent."))
    problems.letters = letters
    return index, problems


def sheet_problems(header: list[str], rows: list[tuple[int, list]]) -> tuple[dict[str, int], Problems]:
    """The header matched (`match_header`), then the file as a whole: no rows, or more than MAX_ROWS."""
    index, problems = match_header(header)
    if not problems and not rows:
        # Translators: 中文：文件中没有数据行。
        problems.add(None, "", _("The file has no rows of applicants."))
    if not problems and len(rows) > MAX_ROWS:
        # Translators: 中文：文件超过%(max)d行（一次最多导入的行数），请分成几个文件。
        problems.add(
            None, "", _("The file has more than %(max)d rows: split it into several files.") % {"max": MAX_ROWS}
        )
    return index, problems


def parse_row(
    number: int, values: list, index: dict[str, int], maps: dict[str, CodeMap], problems: Problems, today: dt.date
) -> ParsedRow | None:
    before = len(problems.items) + problems.dropped
    person: dict[str, Any] = {}
    application: dict[str, Any] = {}
    language: dict[str, Any] = {}
    targets = {PERSON: person, APPLICATION: application, LANGUAGE: language}
    id_result = None
    for column in COLUMNS:
        position = index.get(column.header)
        raw = values[position] if position is not None and position < len(values) else None
        if isinstance(raw, _Formula):
            # Translators: 中文：此单元格是公式，请直接填写内容本身。
            problems.add(number, column.header, _("This cell holds a formula: type the value itself."))
            continue
        if _is_blank(raw):
            if column.required:
                # Translators: 中文：必填，不能为空。
                problems.add(number, column.header, _("Required: this cell is empty."))
            continue
        if column.kind == ID:
            value, messages = _parse_id(raw, today)
            if not messages:
                id_result = value
                value = value.normalised
        else:
            value, messages = PARSERS[column.kind](column, raw, maps, today)
        for message in messages:
            problems.add(number, column.header, message)
        if not messages:
            targets[column.target][column.field] = value
    _check_language(number, language, problems, today)
    if id_result is not None:
        born = person.get("birth_date")
        if born is not None and id_result.birth_date and born != id_result.birth_date:
            problems.add(
                number,
                "出生日期",
                # Translators: 中文：与身份证号中的出生日期（%(date)s）不一致。
                _("Does not match the date of birth in the ID number (%(date)s).")
                % {"date": id_result.birth_date.isoformat()},
            )
        sex_code = maps["sex"].code_of.get(person.get("sex"))
        if sex_code in ("1", "2") and id_result.sex and sex_code != id_result.sex:
            problems.add(
                number,
                "性别",
                # Translators: 中文：与身份证号中的性别（%(sex)s）不一致。
                _("Does not match the sex in the ID number (%(sex)s).")
                % {"sex": maps["sex"].label_of_code.get(id_result.sex, id_result.sex)},
            )
    if id_result is None:
        return None
    ok = len(problems.items) + problems.dropped == before
    return ParsedRow(
        row=number, id_number=person["id_number"], person=person, application=application, language=language, ok=ok
    )


LANGUAGE_HEADERS = {c.field: c.header for c in COLUMNS if c.target == LANGUAGE}


def _check_language(number: int, language: dict[str, Any], problems: Problems, today: dt.date) -> None:
    """A language result filled in (any of its cells): the test named, a score or a level, the score a number on
    the test's scale (`people.facts_check`). Each problem under its column."""
    if not language:
        return
    found = language_result_problems(
        test=language.get("test", ""),
        score=language.get("score", ""),
        level=language.get("level", ""),
        taken_on=language.get("taken_on"),
        on=today,
    )
    for name, message in found.items():
        problems.add(number, LANGUAGE_HEADERS.get(name, LANGUAGE_HEADERS["test"]), message)
    if found:
        language.clear()


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_text(raw) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return unicodedata.normalize("NFC", str(raw)).strip()


def _parse_id(raw, today: dt.date):
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Translators: 中文：身份证号被Excel存成了数字，末尾几位可能已丢失：请把该列设为文本后重新填写。
        return None, [
            _(
                "Excel stored the ID number as a number, so its last digits may already be lost: set the column to text and enter the number again."
            )
        ]
    result = validate_id_number(normalise_id_number(raw), today=today)
    return result, [message for _part, message in result.errors]


def _parse_text(column: Column, raw, maps, today):
    value = _as_text(raw)
    if column.max_length and len(value) > column.max_length:
        # Translators: 中文：过长：最多%(max)d个字，现有%(count)d个字。
        return None, [
            _("Too long: at most %(max)d characters, this has %(count)d.")
            % {"max": column.max_length, "count": len(value)}
        ]
    return value, []


def _parse_code(column: Column, raw, maps, today):
    text = _as_text(raw)
    pk = maps[column.table].by_text.get(match_key(text))
    if pk is None:
        # Translators: 中文：“%(value)s”不是可选项，请从下拉列表中选择。
        return None, [
            _("“%(value)s” is not one of the choices: pick one from the drop-down list.") % {"value": _quoted(text)}
        ]
    return pk, []


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),  # year and month: the first of the month
)


def _parse_date(column: Column, raw, maps, today):
    value = None
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif not isinstance(raw, bool):
        text = re.sub(r"\s+", "", _as_text(raw))
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                year, month, day = (int(g) for g in (*match.groups(), 1)[:3])
                try:
                    value = dt.date(year, month, day)
                except ValueError:
                    value = None
                break
    if value is None:
        # Translators: 中文：“%(value)s”不是有效的日期，请按2024-07-01的格式填写。
        return None, [_("“%(value)s” is not a date: write it as 2024-07-01.") % {"value": _quoted(_as_text(raw))}]
    if not EARLIEST_DATE <= value <= today:
        # Translators: 中文：日期%(date)s不在1900年至今天之间。
        return None, [_("The date %(date)s is not between 1900 and today.") % {"date": value.isoformat()}]
    return value, []


def _parse_choice(column: Column, raw, maps, today):
    text = match_key(_as_text(raw)).lower()
    for value, name in CHOICES[column.table].items():
        if text in (match_key(name).lower(), match_key(str(value)).lower()):
            return str(value), []
    return None, [
        # Translators: 中文：“%(value)s”不是可选项，请从下拉列表中选择。
        _("“%(value)s” is not one of the choices: pick one from the drop-down list.")
        % {"value": _quoted(_as_text(raw))}
    ]


def _parse_bool(column: Column, raw, maps, today):
    if isinstance(raw, bool):
        return raw, []
    text = _as_text(raw).lower()
    if text in YES_WORDS:
        return True, []
    if text in NO_WORDS:
        return False, []
    yes, no = column.yes_no
    # Translators: 中文：请填写“%(yes)s”或“%(no)s”。
    return None, [_("Write “%(yes)s” or “%(no)s”.") % {"yes": yes, "no": no}]


def _parse_int(column: Column, raw, maps, today):
    low, high = column.bounds
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\d+", raw.strip()):
        value = int(raw.strip())
    if value is None or not low <= value <= high:
        # Translators: 中文：请填写%(low)d至%(high)d之间的整数。
        return None, [_("Write a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}]
    return value, []


def _parse_phone(column: Column, raw, maps, today):
    text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", _as_text(raw)))
    text = re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)
    if not re.fullmatch(r"1[3-9]\d{9}", text):
        # Translators: 中文：请填写11位手机号码。
        return None, [_("Write an 11-digit mobile number.")]
    return text, []


def _parse_email(column: Column, raw, maps, today):
    text = _as_text(raw)
    try:
        validate_email(text)
    except ValidationError:
        # Translators: 中文：电子邮箱格式不正确。
        return None, [_("This is not a valid email address.")]
    if len(text) > 254:
        return None, [_("This is not a valid email address.")]
    return text, []


PARSERS = {
    TEXT: _parse_text,
    CODE: _parse_code,
    CHOICE: _parse_choice,
    DATE: _parse_date,
    BOOL: _parse_bool,
    INT: _parse_int,
    PHONE: _parse_phone,
    EMAIL: _parse_email,
}
