"""Bulk import by a unit: the template, the checks of every row, the all-or-nothing write, queries per batch."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from medtalent.accounts.enums import Role
from medtalent.applications import import_columns, import_reading, import_workbooks, imports
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application, ImportJob
from medtalent.applications.workflow import IMPORT_JOB
from medtalent.catalog.models import Category
from medtalent.codes.idnumber import check_character
from medtalent.codes.models import Code
from medtalent.core.errors import ApplicationError
from medtalent.core.excel import workbook_bytes
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import transitioned
from medtalent.people.models import Person
from medtalent.people.selectors import person_by_id_number
from tests.factories import (
    ApplicationFactory,
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoleFactory,
    RoundFactory,
    code,
)

HEADERS = [c.header for c in import_columns.COLUMNS]


# ---------------------------------------------------------------------------------------------- helpers


def id_number(birth: dt.date, sequence: int, region: str = "330106") -> str:
    """A valid ID number: odd `sequence` for a man, even for a woman."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def full_width(text: str) -> str:
    """The digits as a Chinese input method types them (０-９)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def good_row(n: int = 1, **overrides) -> dict:
    """A correct row for a man born 1985-03-15 + n days."""
    born = dt.date(1985, 3, 15) + dt.timedelta(days=n)
    row = {
        "姓名": f"导入测试{n}",
        "性别": "男",
        "民族": "汉族",
        "政治面貌": "中共党员",
        "出生日期": dt.datetime.combine(born, dt.time()),
        "身份证号": id_number(born, (2 * n + 1) % 1000),
        "籍贯": "浙江杭州",
        "学历": "硕士研究生毕业",
        "学位": "医学硕士学位",
        "毕业院校": "浙江大学",
        "毕业时间": dt.datetime(2010, 7, 1),  # noqa: DTZ001 (an Excel date cell has no time zone)
        "专业技术职务": "主治医师",
        "取得时间": dt.datetime(2016, 12, 31),  # noqa: DTZ001 (an Excel date cell has no time zone)
        "是否完成住院医师规范化培训": "是",
        # Issue 12's columns, empty unless a test fills them.
        "执业证书编号": None,
        "执业证书取得时间": None,
        "外语考试": None,
        "外语成绩": None,
        "外语等级": None,
        "外语考试时间": None,
        "科室": "心血管内科",
        "手机": "13900000000",
        "电子邮箱": f"doctor{n}@example.cn",
        "健康状况": "健康",
        "行政管理年限": 2,
        "有无带教经验": "有",
        "申请进修科室": "心脏介入",
        "申请时长（月）": 3,
        "申请原因": "学习介入技术",
        "研修目的": "掌握冠脉介入",
        "研修内容": "跟台学习",
        "预期目标": "独立完成手术",
        "拟申请研修单位": "温州医科大学附属第一医院",
    }
    row.update(overrides)
    return row


def make_xlsx(rows: list[dict], *, headers: list[str] | None = None, numeric_id_rows=(), formula_cells=()) -> bytes:
    """A filled-in file as a unit sends it: the header, then one row per dict (missing keys: empty cells)."""
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = import_columns.SHEET_DATA
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    for cell in formula_cells:
        sheet[cell] = "=1+1"
    return workbook_bytes(workbook)


def upload(content: bytes, name: str = "报名.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@dataclass
class ImportWorld:
    unit: object
    other_unit: object
    round: object
    category: object
    admin: object


@pytest.fixture
def iw(db) -> ImportWorld:
    """A hospital with its administrator, another hospital, an open round of a programme with categories."""
    today = timezone.localdate()
    unit = OrganisationFactory(name_zh="导入测试医院", region=code("region", "330106"))
    other_unit = OrganisationFactory(name_zh="另一家医院", region=code("region", "330102"))
    programme = ProgrammeFactory(owner=CommissionFactory(region=code("region", "330000")))
    round_ = RoundFactory(
        programme=programme,
        application_opens=today - dt.timedelta(days=3),
        application_closes=today + dt.timedelta(days=20),
    )
    category = Category.objects.create(programme=programme, code="import-test-leader", name_zh="领军人才")
    Category.objects.create(programme=programme, code="import-test-young", name_zh="青年人才")
    admin = RoleFactory(role=Role.UNIT_ADMIN, organisation=unit).user
    return ImportWorld(unit=unit, other_unit=other_unit, round=round_, category=category, admin=admin)


def run_import(iw: ImportWorld, content: bytes, **kwargs) -> ImportJob:
    job = imports.import_job_create(
        actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(content), **kwargs
    )
    imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def counts() -> tuple[int, int, int]:
    """People, applications and audit rows of the data (the job's own moves, pending → running → done or failed, are
    audited too: see test_the_jobs_moves_are_audited_and_announced)."""
    audits = AuditEvent.objects.exclude(action="import_job.transition")
    return Person.objects.count(), Application.objects.count(), audits.count()


def code_pk(table: str, value: str) -> int:
    return Code.objects.get(table__slug=table, code=value).pk


# ---------------------------------------------------------------------------------------------- the template


def test_template_headers_drop_downs_formats_and_sheets(iw):
    workbook = load_workbook(
        io.BytesIO(workbook_bytes(import_workbooks.import_template(round_=iw.round, category=iw.category)))
    )

    assert workbook.sheetnames == ["报名信息", "填写说明", "代码表"]
    data, help_sheet, codes = workbook["报名信息"], workbook["填写说明"], workbook["代码表"]
    assert [c.value for c in data[1]] == HEADERS
    assert HEADERS[:23] == [
        "姓名", "性别", "民族", "政治面貌", "出生日期", "身份证号", "籍贯", "学历", "学位", "毕业院校", "毕业时间",
        "专业技术职务", "取得时间", "是否完成住院医师规范化培训", "科室", "手机", "电子邮箱", "健康状况",
        "行政管理年限", "有无带教经验", "申请进修科室", "申请时长（月）", "申请原因",
    ]  # fmt: skip
    # Issue 12's columns come last: the licence and one language result.
    assert HEADERS[-7:] == [
        "拟申请研修单位",
        "执业证书编号",
        "执业证书取得时间",
        "外语考试",
        "外语成绩",
        "外语等级",
        "外语考试时间",
    ]
    assert (data["AC2"].number_format, data["AG2"].number_format) == ("yyyy-mm-dd",) * 2
    assert data.freeze_panes == "A2"
    assert workbook.active.title == "报名信息"
    assert codes.sheet_state == "hidden"
    assert help_sheet.sheet_state == "visible"
    # The ID column is text, in the column's own format and in the cells; dates are dates.
    assert data.column_dimensions["F"].number_format == "@"
    assert (data["F2"].number_format, data["F5001"].number_format) == ("@", "@")
    assert (data["E2"].number_format, data["K2"].number_format, data["M2"].number_format) == ("yyyy-mm-dd",) * 3
    # Drop-downs: a list validation per code column, pointing at the hidden sheet, over the template rows.
    validations = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert validations == {
        "B2:B5001": "'代码表'!$A$2:$A$7",
        "C2:C5001": "'代码表'!$B$2:$B$59",
        "D2:D5001": "'代码表'!$C$2:$C$14",
        "H2:H5001": "'代码表'!$D$2:$D$34",
        "I2:I5001": "'代码表'!$E$2:$E$54",
        "L2:L5001": "'代码表'!$F$2:$F$21",
        "N2:N5001": "'代码表'!$G$2:$G$3",
        "T2:T5001": "'代码表'!$H$2:$H$3",
        "AD2:AD5001": "'代码表'!$I$2:$I$11",
        "AF2:AF5001": "'代码表'!$J$2:$J$7",
    }
    assert all(v.type == "list" and v.showErrorMessage for v in data.data_validations.dataValidation)
    column = lambda letter: [c.value for c in codes[letter][1:] if c.value is not None]  # noqa: E731
    assert column("A") == ["未知", "男", "女", "女性改（变）为男性", "男性改（变）为女性", "未说明"]
    assert column("C")[:3] == ["中共党员", "中共预备党员", "共青团员"]
    assert column("C")[-1] == "群众"
    assert column("B")[:2] == ["汉族", "蒙古族"]
    # Grouping codes (研究生教育, 博士, 卫生技术人员（医师）) are not choices.
    assert ("研究生教育" in column("D"), "硕士研究生毕业" in column("D")) == (False, True)
    assert ("博士" in column("E"), "医学博士学位" in column("E")) == (False, True)
    assert column("F")[:5] == ["主任医师", "副主任医师", "主治医师", "医师", "医士"]
    assert (column("G"), column("H")) == (["是", "否"], ["有", "无"])
    help_text = [c.value for row in help_sheet.iter_rows() for c in row if c.value]
    assert help_sheet["B3"].value == f"{iw.round.name_zh}（{iw.round.code}）"
    assert help_sheet["B4"].value == "领军人才"
    assert "2. 必填列（深色表头）：姓名、性别、出生日期、身份证号、学历、专业技术职务、手机。" in help_text


def test_template_neutralises_names_that_look_like_formulas(iw):
    iw.round.programme.name_zh = '=HYPERLINK("http://evil.example","点我")'
    iw.round.programme.save(update_fields=["name_zh"])
    iw.category.name_zh = "+领军"

    workbook = import_workbooks.import_template(round_=iw.round, category=iw.category)

    assert workbook["填写说明"]["B2"].value == '\'=HYPERLINK("http://evil.example","点我")'
    assert workbook["填写说明"]["B2"].data_type == "s"
    assert workbook["填写说明"]["B4"].value == "'+领军"


def test_filled_template_imports(iw):
    """The template itself, filled in as Excel would (a text ID, real dates), goes through."""
    workbook = import_workbooks.import_template(round_=iw.round, category=iw.category)
    sheet = workbook["报名信息"]
    for position, header in enumerate(HEADERS, start=1):
        sheet.cell(row=2, column=position, value=good_row(1)[header])

    job = run_import(iw, workbook_bytes(workbook))

    assert (job.state, job.errors, job.created_count, job.total_rows) == (ImportJob.State.DONE, [], 1, 1)


# ---------------------------------------------------------------------------------------------- a good file


def test_good_file_creates_the_exact_profiles_and_drafts(iw):
    # A colleague the unit keeps the profile of (no account yet): the import updates it.
    existing = PersonFactory(
        user=None,
        employer=iw.unit,
        name="旧名字",
        id_number=good_row(2)["身份证号"],
        health_status="良好",
        cv_text="简历",
        residency_completed=True,
    )
    created_at = existing.created_at
    rows = [
        good_row(1),
        good_row(2, 性别="男性", 民族="01", 学位=None, 毕业院校=None, 是否完成住院医师规范化培训="否", 电子邮箱=None),
        good_row(3, 身份证号=full_width(good_row(3)["身份证号"]), 手机=13900000003),
    ]
    before = counts()

    job = run_import(iw, make_xlsx(rows))

    assert (job.state, job.errors, job.total_rows, job.processed_rows, job.created_count) == ("done", [], 3, 3, 3)
    assert job.finished_at is not None
    people, applications, audits = counts()
    # Audit: the import itself, and one event per person created or changed (issue 10), naming fields only.
    assert (people - before[0], applications - before[1], audits - before[2]) == (2, 3, 4)
    person_events = AuditEvent.objects.filter(action__startswith="person.import_").order_by("id")
    assert [(e.action, e.object_id, sorted(e.data)) for e in person_events][-1] == (
        "person.import_update",
        str(existing.pk),
        ["fields", "import_job"],
    )
    assert "name" in person_events.last().data["fields"]
    assert "旧名字" not in str(person_events.last().data)
    first = person_by_id_number(id_number=rows[0]["身份证号"])
    assert {
        "name": first.name,
        "sex": first.sex_id,
        "ethnicity": first.ethnicity_id,
        "political_status": first.political_status_id,
        "birth_date": first.birth_date,
        "native_place": first.native_place,
        "education": first.education_id,
        "degree": first.degree_id,
        "graduated_from": first.graduated_from,
        "graduated_on": first.graduated_on,
        "title": first.title_id,
        "title_obtained_on": first.title_obtained_on,
        "residency_completed": first.residency_completed,
        "department": first.department,
        "phone": first.phone,
        "email": first.email,
        "health_status": first.health_status,
        "admin_years": first.admin_years,
        "teaching_experience": first.teaching_experience,
        "employer": first.employer_id,
        "user": first.user_id,
    } == {
        "name": "导入测试1",
        "sex": code_pk("sex", "1"),
        "ethnicity": code_pk("ethnicity", "01"),
        "political_status": code_pk("political_status", "01"),
        "birth_date": dt.date(1985, 3, 16),
        "native_place": "浙江杭州",
        "education": code_pk("education", "14"),
        "degree": Code.objects.get(table__slug="degree", name_zh="医学硕士学位").pk,
        "graduated_from": "浙江大学",
        "graduated_on": dt.date(2010, 7, 1),
        "title": code_pk("title", "233"),
        "title_obtained_on": dt.date(2016, 12, 31),
        "residency_completed": True,
        "department": "心血管内科",
        "phone": "13900000000",
        "email": "doctor1@example.cn",
        "health_status": "健康",
        "admin_years": 2,
        "teaching_experience": True,
        "employer": iw.unit.pk,
        "user": None,
    }
    # The colleague already on the staff is updated; blank cells keep what the profile held.
    existing.refresh_from_db()
    assert (
        existing.name,
        existing.residency_completed,
        existing.health_status,
        existing.cv_text,
        existing.user_id,
        existing.created_at,
        existing.sex_id,
        existing.ethnicity_id,
    ) == ("导入测试2", False, "健康", "简历", None, created_at, code_pk("sex", "1"), code_pk("ethnicity", "01"))
    assert existing.updated_at > created_at
    assert (existing.degree_id, existing.email) == (None, "")  # it had none, the cells are empty
    third = person_by_id_number(id_number=good_row(3)["身份证号"])
    assert third.phone == "13900000003"
    drafts = sorted(
        Application.objects.filter(round=iw.round).select_related("person"), key=lambda a: a.person.id_number
    )
    assert [
        (
            a.person.id_number,
            a.state,
            a.unit_id,
            a.category_id,
            a.requested_duration,
            a.requested_duration_unit,
            a.requested_department,
            a.reason,
            a.plan_purpose,
            a.plan_content,
            a.plan_goals,
            a.intended_host,
        )
        for a in drafts
    ] == [
        (
            number,
            ApplicationState.DRAFT,
            iw.unit.pk,
            iw.category.pk,
            3,
            "month",
            "心脏介入",
            "学习介入技术",
            "掌握冠脉介入",
            "跟台学习",
            "独立完成手术",
            "温州医科大学附属第一医院",
        )
        for number in sorted(good_row(n)["身份证号"] for n in (1, 2, 3))
    ]
    audit = AuditEvent.objects.get(action="applications.import")
    assert (audit.actor_id, audit.object_type, audit.object_id, audit.data) == (
        iw.admin.pk,
        "applications.importjob",
        str(job.pk),
        {"applications": 3, "people_created": 2, "people_updated": 1, "changes_proposed": 0, "language_results": 0},
    )


def test_withdrawn_application_does_not_block_a_new_one(iw):
    person = PersonFactory(employer=iw.unit, id_number=good_row(1)["身份证号"])
    ApplicationFactory(person=person, round=iw.round, category=iw.category, state=ApplicationState.WITHDRAWN)

    job = run_import(iw, make_xlsx([good_row(1)]))

    assert (job.state, job.created_count) == ("done", 1)
    assert Application.objects.filter(person=person).count() == 2


def test_the_upload_goes_through_the_task_after_commit(iw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(make_xlsx([good_row()]))
        )
        assert ImportJob.objects.get(pk=job.pk).state == "pending"  # nothing runs before the commit

    job.refresh_from_db()
    # The task's enqueuing, then the job's two moves (running, done) announced by core.workflow after commit.
    assert (len(callbacks), job.state, job.created_count) == (3, "done", 1)


def test_the_jobs_moves_are_audited_and_announced(iw, django_capture_on_commit_callbacks):
    announced = []

    def listen(sender, machine, obj, transition, actor, **kwargs):
        announced.append((machine.name, transition.source, transition.target, actor, obj.pk))

    transitioned.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = run_import(iw, make_xlsx([good_row(1)]))
    finally:
        transitioned.disconnect(listen)

    moves = AuditEvent.objects.filter(action="import_job.transition", object_id=str(job.pk)).order_by("id")
    assert [(e.actor_id, e.from_state, e.to_state) for e in moves] == [
        (None, "pending", "running"),
        (None, "running", "done"),
    ]
    assert announced == [
        ("import_job", "pending", "running", None, job.pk),
        ("import_job", "running", "done", None, job.pk),
    ]
    assert IMPORT_JOB.table[("running", "done")].notify == ("uploader",)
    assert list(IMPORT_JOB.recipients(job, "uploader")) == [iw.admin]


def test_a_job_is_run_once(iw):
    """A second run (a task delivered twice) finds the job claimed and changes nothing."""
    job = run_import(iw, make_xlsx([good_row(1)]))
    before = counts(), AuditEvent.objects.count()

    again = imports.import_job_run(job_id=job.pk)

    assert (again.state, again.created_count) == ("done", 1)
    assert (counts(), AuditEvent.objects.count()) == before


def test_running_a_job_twice_imports_once(iw):
    job = run_import(iw, make_xlsx([good_row()]))

    imports.import_job_run(job_id=job.pk)

    assert Application.objects.filter(round=iw.round).count() == 1


# ---------------------------------------------------------------------------------------------- a bad file


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_problem(iw):
    stranger = PersonFactory(employer=iw.other_unit, id_number=good_row(7)["身份证号"])
    unattached = PersonFactory(employer=None, id_number=good_row(8)["身份证号"])
    applied = PersonFactory(employer=iw.unit, id_number=good_row(9)["身份证号"])
    ApplicationFactory(person=applied, round=iw.round, category=iw.category)
    bad_check = good_row(3)["身份证号"][:-1] + ("0" if good_row(3)["身份证号"][-1] != "0" else "1")
    rows = [
        good_row(1),  # row 2: fine
        good_row(2, 姓名=None, 性别="男的", 学历="硕士"),  # row 3
        good_row(3, 身份证号=bad_check),  # row 4
        good_row(4, 出生日期="1990-02-30", 毕业时间="去年", 手机="1380000", 电子邮箱="not-an-email"),  # row 5
        good_row(5, 出生日期=dt.datetime(1980, 1, 1), 性别="女"),  # row 6  # noqa: DTZ001 (an Excel date cell)
        good_row(6, 身份证号=330106198503210131, 行政管理年限=-1, 有无带教经验="也许"),  # row 7: numeric ID
        good_row(1, 姓名="重复的人"),  # row 8: same ID as row 2
        good_row(7),  # row 9: employed by another unit
        good_row(8),  # row 10: a profile without an employer
        good_row(9),  # row 11: already applied
        good_row(10, **{"申请时长（月）": 0, "籍贯": "浙" * 101}),  # row 12
        good_row(11),  # row 13: a formula in 申请原因
    ]
    before = counts()

    with translation.override("en"):
        job = run_import(iw, make_xlsx(rows, formula_cells=["W13"]))

    assert job.state == ImportJob.State.FAILED
    assert counts() == before
    assert Person.objects.filter(employer=iw.unit, name__startswith="导入测试").count() == 0
    for person in (stranger, unattached, applied):
        person.refresh_from_db()
    assert (stranger.employer_id, unattached.employer_id, applied.name) == (iw.other_unit.pk, None, applied.name)
    id3 = good_row(3)["身份证号"]
    assert [(p["row"], p["column"], p["cell"], p["message"]) for p in job.errors] == [
        (3, "姓名", "A3", "Required: this cell is empty."),
        (3, "性别", "B3", "“男的” is not one of the choices: pick one from the drop-down list."),
        (3, "学历", "H3", "“硕士” is not one of the choices: pick one from the drop-down list."),
        (
            4,
            "身份证号",
            "F4",
            f"The last character is a check digit: it should be {id3[-1]}, not {bad_check[-1]}. "
            "Please check the number for a typing error.",
        ),
        (5, "出生日期", "E5", "“1990-02-30” is not a date: write it as 2024-07-01."),
        (5, "毕业时间", "K5", "“去年” is not a date: write it as 2024-07-01."),
        (5, "手机", "P5", "Write an 11-digit mobile number."),
        (5, "电子邮箱", "Q5", "This is not a valid email address."),
        (6, "性别", "B6", "Does not match the sex in the ID number (男)."),
        (6, "出生日期", "E6", "Does not match the date of birth in the ID number (1985-03-20)."),
        (
            7,
            "身份证号",
            "F7",
            "Excel stored the ID number as a number, so its last digits may already be lost: "
            "set the column to text and enter the number again.",
        ),
        (7, "行政管理年限", "S7", "Write a whole number from 0 to 60."),
        (7, "有无带教经验", "T7", "Write “有” or “无”."),
        (8, "身份证号", "F8", "The same ID number is already on row 2: one row per person."),
        # Another unit's person and a profile without an employer: the same words, which confirm nothing more.
        (9, "身份证号", "F9", "This row cannot be imported for your unit (ID number not available)."),
        (10, "身份证号", "F10", "This row cannot be imported for your unit (ID number not available)."),
        (11, "身份证号", "F11", "This person already has an application for this round and category."),
        (12, "籍贯", "G12", "Too long: at most 100 characters, this has 101."),
        (12, "申请时长（月）", "V12", "Write a whole number from 1 to 60."),
        (13, "申请原因", "W13", "This cell holds a formula: type the value itself."),
    ]


def test_problem_messages_are_in_the_uploaders_language(iw, django_capture_on_commit_callbacks):
    bad = good_row(1)["身份证号"][:-1] + ("0" if good_row(1)["身份证号"][-1] != "0" else "1")
    with django_capture_on_commit_callbacks() as callbacks, translation.override("zh-hans"):
        job = imports.import_job_create(
            actor=iw.admin,
            unit=iw.unit,
            round_=iw.round,
            category=iw.category,
            upload=upload(make_xlsx([good_row(1, 身份证号=bad)])),
        )
    with translation.override("en"):
        callbacks[0]()  # the task runs later, wherever; the messages stay in the uploader's language
    job.refresh_from_db()

    assert job.errors[0]["message"].startswith("身份证号码最后一位校验码错误")


def test_a_numeric_id_cell_is_rejected_with_the_reason(iw):
    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1, 身份证号=3.30106198503161e17)]))

    assert job.errors == [
        {
            "row": 2,
            "column": "身份证号",
            "cell": "F2",
            "message": "Excel stored the ID number as a number, so its last digits may already be lost: "
            "set the column to text and enter the number again.",
        }
    ]
    assert Person.objects.filter(employer=iw.unit).count() == 0


def test_duplicate_rows_are_reported_on_each_repeat(iw):
    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1), good_row(2), good_row(1), good_row(1, 姓名="又一次")]))

    assert [(p["row"], p["message"]) for p in job.errors] == [
        (4, "The same ID number is already on row 2: one row per person."),
        (5, "The same ID number is already on row 2: one row per person."),
    ]
    assert Application.objects.filter(round=iw.round).count() == 0


def test_a_person_of_another_unit_is_an_error_and_stays_untouched(iw):
    stranger = PersonFactory(employer=iw.other_unit, name="别人家的", id_number=good_row(1)["身份证号"])

    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1), good_row(2)]))

    assert [(p["row"], p["column"]) for p in job.errors] == [(2, "身份证号")]
    stranger.refresh_from_db()
    assert (stranger.name, stranger.employer_id, Application.objects.filter(round=iw.round).count()) == (
        "别人家的",
        iw.other_unit.pk,
        0,
    )


def test_missing_required_columns_are_reported_on_the_header_row(iw):
    headers = [h for h in HEADERS if h not in ("身份证号", "手机", "电子邮箱")]

    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1)], headers=headers))

    assert [(p["row"], p["column"], p["cell"], p["message"]) for p in job.errors] == [
        (1, "身份证号", "", "This required column is missing: use the template from MedTalent."),
        (1, "手机", "", "This required column is missing: use the template from MedTalent."),
    ]
    assert job.total_rows == 0


def test_columns_in_another_order_with_extra_ones_are_read_by_header(iw):
    headers = ["序号", *reversed(HEADERS)]
    row = {**good_row(1), "序号": 1}

    job = run_import(iw, make_xlsx([row], headers=headers))

    assert (job.state, job.created_count) == ("done", 1)


def test_empty_file_and_too_many_rows(iw, monkeypatch):
    with translation.override("en"):
        empty = run_import(iw, make_xlsx([]))
        monkeypatch.setattr(import_reading, "MAX_ROWS", 2)
        large = run_import(iw, make_xlsx([good_row(1), good_row(2), good_row(3), good_row(4)]))

    assert [p["message"] for p in empty.errors] == ["The file has no rows of applicants."]
    assert [p["message"] for p in large.errors] == ["The file has more than 2 rows: split it into several files."]
    assert Application.objects.filter(round=iw.round).count() == 0


def test_problems_beyond_the_limit_are_counted(iw, monkeypatch):
    monkeypatch.setattr(import_reading, "MAX_PROBLEMS", 3)

    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(n, 手机="1") for n in range(1, 6)]))

    assert [(p["row"], p["message"]) for p in job.errors] == [
        (2, "Write an 11-digit mobile number."),
        (3, "Write an 11-digit mobile number."),
        (4, "Write an 11-digit mobile number."),
        (None, "2 more problems are not listed; fix these first and upload again."),
    ]


def test_a_broken_workbook_fails_cleanly(iw):
    content = make_xlsx([good_row(1)])
    broken = content.replace(b"worksheets/sheet1.xml", b"worksheets/sheetX.xml")

    with translation.override("en"):
        job = run_import(iw, broken)

    assert (job.state, [p["message"] for p in job.errors]) == (
        "failed",
        ["The file cannot be read as an Excel workbook."],
    )


# ---------------------------------------------------------------------------------------------- the upload


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"name,id\n", "applicants.xlsx"),  # a CSV renamed
        (b"%PDF-1.7\n", "applicants.xlsx"),
        (b"PK\x03\x04 not really a zip", "applicants.xlsx"),
    ],
)
def test_an_upload_that_is_not_an_xlsx_is_refused(iw, content, name):
    before = ImportJob.objects.count()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(content, name)
        )

    assert (error.value.field, error.value.message) == (
        "file",
        "Upload an Excel workbook (.xlsx), preferably the template from this page.",
    )
    assert ImportJob.objects.count() == before


def test_a_zip_that_is_not_a_workbook_is_refused(iw):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(ApplicationError):
        imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(buffer.getvalue())
        )


def test_an_upload_over_the_size_limit_is_refused(iw, settings):
    settings.MEDTALENT_UPLOAD_MAX_BYTES = 1024 * 1024

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(b"x" * (1024 * 1024 + 1))
        )

    assert error.value.message == "The file is too large: at most 1 MB."


def test_the_target_must_be_an_open_round_and_a_category_of_its_programme(iw):
    foreign = Category.objects.create(programme=ProgrammeFactory(), code="import-test-foreign", name_zh="别的")
    closed = RoundFactory(
        programme=iw.round.programme,
        application_opens=dt.date(2020, 1, 1),
        application_closes=dt.date(2020, 2, 1),
    )
    content = make_xlsx([good_row()])
    with translation.override("en"):
        messages = []
        for round_, category in ((iw.round, foreign), (iw.round, None), (closed, iw.category)):
            with pytest.raises(ApplicationError) as error:
                imports.import_job_create(
                    actor=iw.admin, unit=iw.unit, round_=round_, category=category, upload=upload(content)
                )
            messages.append(error.value.message)

    assert messages == [
        "This category does not belong to the programme of this round.",
        "Choose a category: this programme has several.",
        "Applications for this round are not open.",
    ]
    assert ImportJob.objects.count() == 0


def test_only_the_units_administrator_may_upload(iw):
    with pytest.raises(PermissionDenied):
        imports.import_job_create(
            actor=iw.admin,
            unit=iw.other_unit,
            round_=iw.round,
            category=iw.category,
            upload=upload(make_xlsx([good_row()])),
        )
    assert ImportJob.objects.count() == 0


def test_import_targets_are_the_open_rounds_by_category(iw):
    keys = {t.key: t.label for t in imports.import_targets() if t.round.programme_id == iw.round.programme_id}
    young = Category.objects.get(code="import-test-young")

    assert keys == {
        f"{iw.round.pk}:{iw.category.pk}": f"{iw.round.programme.name} · {iw.round.name} · 领军人才",
        f"{iw.round.pk}:{young.pk}": f"{iw.round.programme.name} · {iw.round.name} · 青年人才",
    }


# ---------------------------------------------------------------------------------------------- queries


def _queries_for(iw, rows: int) -> int:
    content = make_xlsx([good_row(n) for n in range(rows)])
    job = imports.import_job_create(
        actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(content)
    )
    with CaptureQueriesContext(connection) as captured:
        imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.created_count) == ("done", rows)
    Application.objects.filter(round=iw.round).delete()
    Person.objects.filter(employer=iw.unit).delete()
    return len(captured)


def test_queries_do_not_grow_with_rows_inside_a_batch(iw):
    size = imports.batch_size()

    assert _queries_for(iw, 1) == _queries_for(iw, size)


def test_queries_grow_by_a_constant_per_batch(iw, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    assert imports.batch_size() == 10

    one, three, five = _queries_for(iw, 10), _queries_for(iw, 30), _queries_for(iw, 50)

    # Per batch: the people and their live applications looked up, the progress saved, people and drafts inserted,
    # the people's audit events chained (the head read, one INSERT: issue 10).
    assert (three - one, five - three) == (2 * 7, 2 * 7)


def test_fifty_and_five_hundred_rows_cost_the_same_where_a_batch_holds_500(iw):
    if imports.batch_size() < 500:
        pytest.skip("this database limits a bulk statement to fewer rows (SQLite: 999 parameters)")
    assert _queries_for(iw, 50) == _queries_for(iw, 500)


# ---------------------------------------------------------------------------------------------- failures while writing


def test_a_conflict_while_writing_rolls_everything_back(iw, monkeypatch):
    """Someone registers one of the people between the check and the write: nothing of the file stays."""
    PersonFactory(employer=iw.other_unit, id_number=good_row(3)["身份证号"])
    monkeypatch.setattr(imports, "_check_against_database", lambda job, rows, problems: None)
    before = counts()

    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1), good_row(2), good_row(3)]))

    assert (job.state, [p["message"] for p in job.errors]) == (
        "failed",
        ["These people's data changed while the file was imported; nothing was imported. Upload it again."],
    )
    assert counts() == before


def test_an_unexpected_error_fails_the_job_and_is_raised(iw, monkeypatch):
    def broken(job, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_write", broken)
    job = imports.import_job_create(
        actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(make_xlsx([good_row()]))
    )

    with pytest.raises(RuntimeError), translation.override("en"):
        imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, [p["message"] for p in job.errors]) == (
        "failed",
        ["The import stopped because of an unexpected error; nothing was imported."],
    )


def test_a_problem_quotes_at_most_50_characters_of_a_long_cell(iw):
    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1, 性别="男" * 30_000, 出生日期="x" * 30_000)]))

    assert [(p["cell"], p["message"]) for p in job.errors] == [
        ("B2", f"“{'男' * 49}…” is not one of the choices: pick one from the drop-down list."),
        ("E2", f"“{'x' * 49}…” is not a date: write it as 2024-07-01."),
    ]
