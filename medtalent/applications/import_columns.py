"""The bulk import's template, as data: its sheets, its columns (header, field, kind, whether required, the
code table feeding a drop-down, bounds) and the code tables whose names the cells hold.

`import_workbooks` builds the template from these; `import_reading` reads a filled-in sheet by them; `imports`
writes the values where the columns say.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from medtalent.codes.models import Code
from medtalent.people.enums import CefrLevel, LanguageTest

TEMPLATE_ROWS = 5_000  # rows of the template that carry the drop-downs and formats
SHEET_DATA = "报名信息"
SHEET_HELP = "填写说明"
SHEET_CODES = "代码表"

TEXT, CODE, DATE, ID, BOOL, INT, PHONE, EMAIL = "text", "code", "date", "id", "bool", "int", "phone", "email"
CHOICE = "choice"  # one of a fixed list (`CHOICES[column.table]`)
PERSON, APPLICATION, LANGUAGE = "person", "application", "language"  # LANGUAGE: one language result of the person

# The fixed lists of CHOICE columns: value → the name the template shows (the file is in Chinese).
CHOICES: dict[str, dict[str, str]] = {
    "language_test": {
        LanguageTest.IELTS: "IELTS",
        LanguageTest.TOEFL: "TOEFL",
        LanguageTest.BFT: "BFT（出国培训备选人员外语水平考试）",
        LanguageTest.CET6: "大学英语六级",
        LanguageTest.CET4: "大学英语四级",
        LanguageTest.PETS5: "全国英语等级考试五级",
        LanguageTest.TESTDAF: "TestDaF",
        LanguageTest.DELF_DALF: "DELF/DALF",
        LanguageTest.ASSESSMENT: "卫健委外语能力评估",
        LanguageTest.OTHER: "其他",
    },
    "cefr": {level: level for level in CefrLevel.values},
}


@dataclass(frozen=True)
class Column:
    header: str  # exactly as in the template (the import matches headers, not positions)
    field: str  # the Person or Application field
    kind: str
    target: str = PERSON
    required: bool = False
    table: str = ""  # code table slug, for CODE
    max_length: int = 0
    bounds: tuple[int, int] = (0, 0)  # for INT
    yes_no: tuple[str, str] = ("是", "否")  # for BOOL
    width: int = 14
    note: str = ""  # what the instructions sheet says about the column


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", TEXT, required=True, max_length=50, width=10),
    Column("性别", "sex", CODE, required=True, table="sex", width=8, note="从下拉列表选择；须与身份证号一致"),
    Column("民族", "ethnicity", CODE, table="ethnicity", width=10, note="从下拉列表选择"),
    Column("政治面貌", "political_status", CODE, table="political_status", width=14, note="从下拉列表选择"),
    Column("出生日期", "birth_date", DATE, required=True, width=12, note="如 1985-03-07；须与身份证号一致"),
    Column("身份证号", "id_number", ID, required=True, width=22, note="18位，该列为文本格式，请勿改为数字"),
    Column("籍贯", "native_place", TEXT, max_length=100, width=12),
    Column("学历", "education", CODE, required=True, table="education", width=18, note="从下拉列表选择"),
    Column("学位", "degree", CODE, table="degree", width=20, note="从下拉列表选择"),
    Column("毕业院校", "graduated_from", TEXT, max_length=100, width=18),
    Column("毕业时间", "graduated_on", DATE, width=12, note="如 2010-07-01"),
    Column("专业技术职务", "title", CODE, required=True, table="title", width=14, note="从下拉列表选择"),
    Column("取得时间", "title_obtained_on", DATE, width=12, note="取得现专业技术职务的时间，如 2018-12-31"),
    Column("是否完成住院医师规范化培训", "residency_completed", BOOL, width=14, note="填“是”或“否”"),
    Column("科室", "department", TEXT, max_length=100, width=12, note="现所在科室"),
    Column("手机", "phone", PHONE, required=True, width=14, note="11位手机号码"),
    Column("电子邮箱", "email", EMAIL, width=20),
    Column("健康状况", "health_status", TEXT, max_length=50, width=10, note="如 健康"),
    Column("行政管理年限", "admin_years", INT, bounds=(0, 60), width=10, note="整数，没有填0"),
    Column("有无带教经验", "teaching_experience", BOOL, yes_no=("有", "无"), width=10, note="填“有”或“无”"),
    Column("申请进修科室", "requested_department", TEXT, target=APPLICATION, max_length=100, width=14),
    Column("申请时长（月）", "requested_duration", INT, target=APPLICATION, bounds=(1, 60), width=10, note="整数"),
    Column("申请原因", "reason", TEXT, target=APPLICATION, max_length=2000, width=30),
    Column("研修目的", "plan_purpose", TEXT, target=APPLICATION, max_length=2000, width=30),
    Column("研修内容", "plan_content", TEXT, target=APPLICATION, max_length=2000, width=30),
    Column("预期目标", "plan_goals", TEXT, target=APPLICATION, max_length=2000, width=30),
    Column(
        "拟申请研修单位", "intended_host", TEXT, target=APPLICATION, max_length=100, width=18, note="意向进修培养单位"
    ),
    # Issue 12: the licence and one language result (after the application's columns: older files keep theirs).
    Column("执业证书编号", "licence_number", TEXT, max_length=30, width=18),
    Column("执业证书取得时间", "licence_obtained_on", DATE, width=12, note="如 2015-06-30"),
    Column(
        "外语考试", "test", CHOICE, target=LANGUAGE, table="language_test", width=16, note="从下拉列表选择；没有可留空"
    ),
    Column("外语成绩", "score", TEXT, target=LANGUAGE, max_length=20, width=10, note="如 IELTS 6.5、TOEFL 85"),
    Column("外语等级", "level", CHOICE, target=LANGUAGE, table="cefr", width=10, note="A1至C2；成绩和等级至少填一项"),
    Column("外语考试时间", "taken_on", DATE, target=LANGUAGE, width=12, note="如 2024-03-15"),
)
CODE_TABLES = ("sex", "ethnicity", "political_status", "education", "degree", "title")
# Tables whose short form is what forms usually say (男 rather than 男性, 中共党员 rather than the full name).
SHORT_NAME_TABLES = ("sex", "political_status")
COLUMN_ORDER = {c.header: position for position, c in enumerate(COLUMNS)}
PERSON_UPDATE_FIELDS = [c.field for c in COLUMNS if c.target == PERSON and c.field != "id_number"]
YES_WORDS = {"是", "有", "y", "yes", "true", "1", "√"}
NO_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×"}


# ---------------------------------------------------------------------------------------------- code tables


@dataclass
class CodeMap:
    """One code table as the template lists it and as the import reads it."""

    choices: list[str] = field(default_factory=list)  # the drop-down, in the standard's order
    by_text: dict[str, int] = field(default_factory=dict)  # label, full name, short name or code → Code pk
    code_of: dict[int, str] = field(default_factory=dict)  # Code pk → code
    label_of_code: dict[str, str] = field(default_factory=dict)  # code → label


def load_code_maps() -> dict[str, CodeMap]:
    """The code tables of the template, in force, without their grouping codes (研究生教育, 博士 …). 1 query."""
    rows = list(
        Code.objects.filter(table__slug__in=CODE_TABLES, valid_to__isnull=True)
        .order_by("table__slug", "sort", "code")
        .values_list("pk", "table__slug", "code", "name_zh", "extra", "parent_id")
    )
    parents = {parent_id for *_, parent_id in rows if parent_id}
    maps = {slug: CodeMap() for slug in CODE_TABLES}
    for pk, slug, code, name_zh, extra, _parent in rows:
        if pk in parents:
            continue
        short = (extra or {}).get("short_zh", "")
        label = short if slug in SHORT_NAME_TABLES and short else name_zh
        entry = maps[slug]
        entry.choices.append(label)
        entry.code_of[pk] = code
        entry.label_of_code[code] = label
        for text in (code, name_zh, short, label):
            if text:
                entry.by_text.setdefault(match_key(text), pk)
    return maps


def match_key(text: str) -> str:
    """A cell's or a header's text as matched: full-width forms folded (NFKC), without any white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
