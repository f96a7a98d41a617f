"""The Excel files of the bulk import that MedTalent writes: the template a unit fills in, and the list of
problems of a rejected file, from the columns of `import_columns`. Reading an upload is `import_reading`, checking
and writing it `imports`."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from medtalent.applications.import_checks import MAX_ROWS
from medtalent.applications.import_columns import (
    BOOL,
    CHOICE,
    CHOICES,
    CODE,
    CODE_TABLES,
    COLUMNS,
    DATE,
    ID,
    INT,
    PHONE,
    SHEET_CODES,
    SHEET_DATA,
    SHEET_HELP,
    TEMPLATE_ROWS,
    load_code_maps,
)
from medtalent.applications.models import ImportJob
from medtalent.catalog.models import Category, Round
from medtalent.core.excel import append_row, neutralise

# ---------------------------------------------------------------------------------------------- the template


HEADER_FILL = PatternFill("solid", fgColor="0F766E")
OPTIONAL_FILL = PatternFill("solid", fgColor="CCE7E4")


def import_template(*, round_: Round, category: Category | None = None) -> Workbook:
    """The workbook a unit fills in for `round_` (and `category`)."""
    maps = load_code_maps()
    workbook = Workbook()
    data = workbook.active
    data.title = SHEET_DATA
    help_sheet = workbook.create_sheet(SHEET_HELP)
    codes = workbook.create_sheet(SHEET_CODES)

    # The hidden sheet with the code names: one column per table, then the yes/no lists.
    lists: dict[str, str] = {}
    list_columns = [(slug, maps[slug].choices) for slug in CODE_TABLES] + [
        ("是否", ["是", "否"]),
        ("有无", ["有", "无"]),
        *[(key, list(names.values())) for key, names in CHOICES.items()],
    ]
    for index, (slug, names) in enumerate(list_columns, start=1):
        letter = get_column_letter(index)
        codes.cell(row=1, column=index, value=_table_header(slug))
        for row, name in enumerate(names, start=2):
            codes.cell(row=row, column=index, value=neutralise(name))
        lists[slug] = f"'{SHEET_CODES}'!${letter}$2:${letter}${len(names) + 1}"
    codes.sheet_state = "hidden"

    last_row = TEMPLATE_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF" if column.required else "0F3D3A")
        cell.fill = HEADER_FILL if column.required else OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = data.column_dimensions[letter]
        dimension.width = column.width
        number_format = {ID: "@", DATE: "yyyy-mm-dd", PHONE: "@"}.get(column.kind)
        if number_format:
            # The column's own format (what Excel and WPS apply to a cell typed into it) and the cells'.
            dimension.number_format = number_format
            for row in range(2, last_row + 1):
                data.cell(row=row, column=index).number_format = number_format
        source = column.table if column.kind in (CODE, CHOICE) else ""
        if column.kind == BOOL:
            source = "是否" if column.yes_no == ("是", "否") else "有无"
        if source:
            validation = DataValidation(
                type="list",
                formula1=lists[source],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从下拉列表中选择",
                error=f"“{column.header}”请从下拉列表中选择。",
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            data.add_data_validation(validation)
    data.row_dimensions[1].height = 36
    data.freeze_panes = "A2"

    _write_instructions(help_sheet, round_, category)
    workbook.active = 0
    return workbook


def _table_header(slug: str) -> str:
    return next((c.header for c in COLUMNS if c.table == slug), slug)


def import_template_filename(*, round_: Round, category: Category | None = None) -> str:
    parts = ["报名导入模板", round_.code] + ([category.code] if category else [])
    return "_".join(parts) + ".xlsx"


def _write_instructions(sheet, round_: Round, category: Category | None) -> None:
    """In Chinese only, like the headers: the file's format is Chinese whatever the page's language."""
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70
    sheet.append(["报名信息批量导入说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, ["项目", round_.programme.name_zh])
    append_row(sheet, ["批次", f"{round_.name_zh}（{round_.code}）"])
    append_row(sheet, ["人才类别", category.name_zh if category else "—"])
    closes = round_.application_closes.isoformat() if round_.application_closes else "—"
    append_row(sheet, ["报名截止", closes])
    sheet.append([])
    required = "、".join(c.header for c in COLUMNS if c.required)
    for line in (
        "1. 在“报名信息”工作表中每行填写一人。第1行是表头，请勿修改表头文字；不用的选填列可以留空。",
        f"2. 必填列（深色表头）：{required}。",
        "3. “身份证号”一列已设为文本格式。请直接输入18位号码；若单元格显示为 3.30106E+17 这样的数字，"
        "说明Excel已把号码存成数字、末尾几位已丢失，须把该列设为文本后重新输入。",
        "4. 性别、民族、政治面貌、学历、学位、专业技术职务请从下拉列表中选择（列表取自国家标准代码表）。",
        "5. 日期按 2024-07-01 的格式填写；出生日期和性别须与身份证号一致。",
        "6. 上传后系统先检查全部行：只要有一行有问题，整个文件都不会导入，并按行、列列出全部问题；改正后重新上传即可。",
        "7. 已在本单位登记的人员按身份证号匹配并更新其信息；已在其他单位登记的人员不能由本单位导入。"
        "同一人在同一批次、同一类别只能有一份有效申请。",
        "8. 导入后生成的是草稿申请，须由申请人本人确认、同意隐私声明后提交，再由本单位推荐。",
        f"9. 一个文件最多 {MAX_ROWS} 行。",
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append(["列", "必填", "填写要求"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        note = column.note
        if column.max_length:
            note = "；".join(filter(None, [note, f"最多{column.max_length}字"]))
        if column.kind == INT:
            note = "；".join(filter(None, [note, f"{column.bounds[0]}至{column.bounds[1]}"]))
        sheet.append([column.header, "是" if column.required else "", note])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------------------------------- the problems


def import_errors_workbook(*, job: ImportJob) -> Workbook:
    """The problems of a rejected file as a workbook (every value neutralised: it echoes the upload)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题"
    for letter, width in zip("ABCD", (8, 22, 10, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    append_row(sheet, ["行", "列", "单元格", "问题"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for problem in job.errors:
        append_row(sheet, [problem.get("row"), problem.get("column", ""), problem.get("cell", ""), problem["message"]])
    sheet.freeze_panes = "A2"
    return workbook
