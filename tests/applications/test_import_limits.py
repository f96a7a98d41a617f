"""Bounded work in the bulk import: the upload refuses, before storing it, a workbook with too many rows, mostly
empty rows, a data sheet too large or a zip bomb; the background import stops reading after a run of empty rows;
a unit has one import at a time."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from medtalent.accounts.enums import Role
from medtalent.applications import import_checks, import_columns, import_reading, import_workbooks, imports
from medtalent.applications.models import ImportJob
from medtalent.core.errors import ApplicationError
from medtalent.core.excel import workbook_bytes
from tests.applications import test_imports
from tests.applications.test_imports import HEADERS, counts, good_row, make_xlsx, run_import, upload
from tests.factories import RoleFactory

iw = test_imports.iw  # the fixture: a unit, its administrator, an open round with categories

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# ---------------------------------------------------------------------------------------------- helpers


def with_sheet(sheet_xml: bytes, *, base: bytes | None = None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A workbook written by openpyxl whose data sheet's XML is replaced by `sheet_xml` (as another writer
    would have written it)."""
    source = zipfile.ZipFile(io.BytesIO(base or make_xlsx([])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, sheet_xml if info.filename == SHEET else source.read(info.filename))
    return buffer.getvalue()


def cell_row(number: int, text: str) -> str:
    return f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def sheet_xml(rows: str, *, dimension: str = "") -> bytes:
    """A sheet's XML: the header row, then `rows` (XML text)."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{head}<sheetData>{cell_row(1, "姓名")}{rows}</sheetData></worksheet>'.encode()


def empty_rows(first: int, last: int) -> str:
    """`<row r="…"/>` for every row from `first` to `last`: what Excel writes for rows once formatted."""
    return "".join(f'<row r="{n}"/>' for n in range(first, last + 1))


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test's uploads in a folder of its own: `stored_files` must not see another test process's files."""
    settings.MEDIA_ROOT = tmp_path


def stored_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def refusal(iw, content: bytes) -> str:
    """The message of the upload's refusal; asserts that nothing was stored."""
    before = (ImportJob.objects.count(), stored_files(), counts())
    with pytest.raises(ApplicationError) as error, translation.override("en"):
        imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(content)
        )
    assert error.value.field == "file"
    assert (ImportJob.objects.count(), stored_files(), counts()) == before
    return error.value.message


# ---------------------------------------------------------------------------------------------- the upload


def test_a_workbook_with_more_rows_than_the_limit_is_refused_at_upload(iw):
    rows = "".join(cell_row(n, f"申请人{n}") for n in range(2, import_checks.MAX_ROWS + 3))  # 10,001 rows of data

    message = refusal(iw, with_sheet(sheet_xml(rows)))

    assert message == (
        "The workbook has more than 10,000 rows of applicants (the limit per file): split it into several files."
    )


def test_a_workbook_at_the_row_limit_is_accepted(iw, monkeypatch):
    monkeypatch.setattr(import_checks, "MAX_ROWS", 3)
    content = make_xlsx([good_row(1), good_row(2), good_row(3)])

    job = run_import(iw, content)

    assert (job.state, job.created_count) == ("done", 3)
    monkeypatch.setattr(import_checks, "MAX_ROWS", 2)
    assert refusal(iw, content) == (
        "The workbook has more than 2 rows of applicants (the limit per file): split it into several files."
    )


def test_200000_empty_rows_are_refused_with_their_number(iw):
    """Two applicants, then 200,000 empty rows, as Excel saves a sheet whose rows were all formatted once."""
    rows = cell_row(2, "王一") + cell_row(3, "王二") + empty_rows(4, 200_003)

    message = refusal(iw, with_sheet(sheet_xml(rows, dimension="A1:Z200003")))

    assert message == (
        "The workbook holds 200,000 empty rows after its data: delete them in Excel (select the rows below "
        "your data, Delete rows) and upload again."
    )


def test_empty_rows_of_a_sheet_without_its_dimension_are_counted_up_to_the_limit(iw):
    rows = cell_row(2, "王一") + empty_rows(3, 200_002)

    message = refusal(iw, with_sheet(sheet_xml(rows)))

    assert message == (
        "The workbook holds more than 20,000 empty rows after its data: delete them in Excel (select the rows "
        "below your data, Delete rows) and upload again."
    )


def test_rows_missing_between_two_rows_count_as_empty(iw):
    """A lone cell at the sheet's last row: a million rows the import would walk, though none is written."""
    rows = cell_row(2, "王一") + cell_row(1_048_576, "x")

    message = refusal(iw, with_sheet(sheet_xml(rows)))

    assert message.startswith("The workbook holds more than 20,000 empty rows after its data")


def test_formatted_empty_rows_written_by_openpyxl_are_refused(iw, monkeypatch):
    monkeypatch.setattr(import_checks, "MAX_BLANK_ROWS", 50)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = import_columns.SHEET_DATA
    sheet.append(HEADERS)
    sheet.append([good_row(1)[h] for h in HEADERS])
    for row in range(3, 63):  # 60 empty rows, with a format (as a column formatted down the sheet)
        sheet.cell(row=row, column=6).number_format = "@"

    message = refusal(iw, workbook_bytes(workbook))

    assert message.startswith("The workbook holds 60 empty rows after its data")


def test_the_template_with_its_formatted_rows_passes_the_check(iw):
    workbook = import_workbooks.import_template(round_=iw.round, category=iw.category)
    workbook[import_columns.SHEET_DATA].append([good_row(1)[h] for h in HEADERS])  # below the 5,000 formatted rows

    import_checks.check_workbook_upload(io.BytesIO(workbook_bytes(workbook)), sheet_name=import_columns.SHEET_DATA)

    assert import_columns.TEMPLATE_ROWS < import_checks.MAX_BLANK_ROWS


def test_a_data_sheet_larger_than_the_ceiling_is_refused(iw, monkeypatch):
    monkeypatch.setattr(import_checks, "MAX_SHEET_BYTES", 1024 * 1024)

    def text(n: int) -> str:  # 1,000 different characters: text that packs as little as real text
        return "".join(chr(0x4E00 + (n * 7919 + i * 104729) % 20000) for i in range(1000))

    rows = "".join(cell_row(n, text(n)) for n in range(2, 402))  # 400 rows of 3 KB: 1.2 MB

    message = refusal(iw, with_sheet(sheet_xml(rows)))

    assert message == (
        "The workbook's data sheet unpacks to more than 1 MB, more than 10,000 rows of applicants need: "
        "delete unused rows and columns, or split it into several files."
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio(iw):
    padding = " " * (4 * 1024 * 1024)  # 4 MB that pack into a few KB
    content = with_sheet(sheet_xml(cell_row(2, "王一") + padding))
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET)

    message = refusal(iw, content)

    assert message == (
        f"Part of the workbook unpacks to {info.file_size // info.compress_size:,} times its packed size, which a "
        "sheet of applicants never does: save your data as a new workbook and upload that."
    )
    assert info.file_size // info.compress_size > import_checks.MAX_COMPRESSION_RATIO


def test_the_refusal_is_shown_at_the_file_field_of_the_upload_form(client, iw):
    client.force_login(iw.admin)
    content = with_sheet(sheet_xml(cell_row(2, "王一") + empty_rows(3, 30_000), dimension="A1:Z30000"))
    before = (ImportJob.objects.count(), stored_files())

    response = client.post(
        reverse("imports:index"),
        {"target": f"{iw.round.pk}:{iw.category.pk}", "unit": iw.unit.pk, "file": upload(content)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "工作簿在数据之后还有29,998个空行：请在Excel中删除这些行（选中数据下方的各行，右键“删除”）后重新上传。"
    ]
    assert (ImportJob.objects.count(), stored_files()) == before


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        ([("填写说明", "worksheets/sheet1.xml"), ("报名信息", "worksheets/sheet2.xml")], "xl/worksheets/sheet2.xml"),
        ([("Sheet1", "/xl/worksheets/data.xml"), ("Sheet2", "worksheets/sheet2.xml")], "xl/worksheets/data.xml"),
    ],
)
def test_the_data_sheet_is_found_through_the_workbook_and_its_relationships(sheets, expected):
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    listed = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, (name, _target) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{relationships}/worksheet" Target="{target}"/>'
        for n, (_name, target) in enumerate(sheets, start=1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{relationships}"><sheets>{listed}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )

    assert import_checks.data_sheet_part(zipfile.ZipFile(buffer), import_columns.SHEET_DATA) == expected


# ---------------------------------------------------------------------------------------------- the background import


def test_the_background_import_stops_after_a_run_of_empty_rows(iw, caplog):
    """A file that never went through the upload's check (stored before it existed): the import reads its two
    rows and stops 20,000 empty rows further, instead of walking all 200,000."""
    rows = "".join(
        f'<row r="{n}">' + "".join(f'<c r="{c}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in cells) + "</row>"
        for n, cells in (
            (1, [("A", "姓名")]),
            (2, [("A", "王一")]),
            (3, [("A", "王二")]),
        )
    )
    content = with_sheet(
        f'<worksheet xmlns="{MAIN}"><sheetData>{rows}{empty_rows(4, 200_003)}</sheetData></worksheet>'.encode()
    )
    job = ImportJob(unit=iw.unit, round=iw.round, category=iw.category, uploaded_by=iw.admin, original_name="旧.xlsx")
    job.file.save("old.xlsx", ContentFile(content), save=False)
    job.save()

    with caplog.at_level(logging.WARNING, logger="medtalent.applications.import_reading"):
        header, data = import_reading.read_sheet(job)
    job.file.delete(save=False)

    assert (header, [number for number, _values in data]) == (["姓名"], [2, 3])
    assert [r.getMessage() for r in caplog.records] == [
        f"Import job {job.pk}: stopped reading at row 20004, after empty rows"
    ]


# ---------------------------------------------------------------------------------------------- one import at a time


def pending_job(iw, django_capture_on_commit_callbacks, name: str = "第一批.xlsx") -> ImportJob:
    """An upload whose task has not run yet (its callback is captured, not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        return imports.import_job_create(
            actor=iw.admin,
            unit=iw.unit,
            round_=iw.round,
            category=iw.category,
            upload=upload(make_xlsx([good_row(1)]), name),
        )


@pytest.mark.parametrize("state", [ImportJob.State.PENDING, ImportJob.State.RUNNING])
def test_a_second_upload_is_refused_while_the_units_import_waits_or_runs(iw, state, django_capture_on_commit_callbacks):
    first = pending_job(iw, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=first.pk).update(state=state)
    uploaded = timezone.localtime(first.created_at).strftime("%Y-%m-%d %H:%M")

    message = refusal(iw, make_xlsx([good_row(2)]))

    assert message == (
        f"Your unit's file “第一批.xlsx”, uploaded at {uploaded}, is still being imported: wait until it is finished."
    )
    assert list(ImportJob.objects.values_list("pk", "state")) == [(first.pk, state)]


def test_a_finished_or_failed_import_does_not_block_the_next(iw):
    done = run_import(iw, make_xlsx([good_row(1)]))
    failed = run_import(iw, make_xlsx([good_row(2, 手机="1")]))

    after = run_import(iw, make_xlsx([good_row(3)]))

    assert (done.state, failed.state, after.state, after.created_count) == ("done", "failed", "done", 1)


def test_another_units_import_does_not_block(iw, django_capture_on_commit_callbacks):
    pending_job(iw, django_capture_on_commit_callbacks)
    other_admin = RoleFactory(role=Role.UNIT_ADMIN, organisation=iw.other_unit).user

    with django_capture_on_commit_callbacks(execute=False):
        job = imports.import_job_create(
            actor=other_admin,
            unit=iw.other_unit,
            round_=iw.round,
            category=iw.category,
            upload=upload(make_xlsx([])),
        )

    assert (job.unit_id, job.state) == (iw.other_unit.pk, "pending")


def test_a_job_whose_worker_died_is_failed_first_and_does_not_block(
    iw, monkeypatch, django_capture_on_commit_callbacks
):
    stuck = pending_job(iw, django_capture_on_commit_callbacks)

    def reap() -> int:  # as core.workers.tasks_reap does through the task_finished signal
        ImportJob.objects.filter(pk=stuck.pk).update(state=ImportJob.State.FAILED)
        return 1

    monkeypatch.setattr(imports, "tasks_reap", reap)

    with django_capture_on_commit_callbacks(execute=False):
        job = imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(make_xlsx([]))
        )

    assert sorted(ImportJob.objects.values_list("pk", "state")) == [(stuck.pk, "failed"), (job.pk, "pending")]


def test_the_units_row_is_locked_before_the_check(iw):
    with CaptureQueriesContext(connection) as captured:
        run_import(iw, make_xlsx([good_row(1)]))

    sql = [q["sql"] for q in captured]
    locks = [n for n, q in enumerate(sql) if "FOR UPDATE" in q and '"orgs_organisation"' in q]
    checks = [n for n, q in enumerate(sql) if '"applications_importjob"' in q and "IN ('pending', 'running')" in q]
    if connection.features.has_select_for_update:  # PostgreSQL: the lock, then the look for a running import
        assert (len(locks), len(checks), locks[0] < checks[0]) == (1, 1, True)
    else:  # SQLite locks the whole database for a write anyway
        assert (locks, len(checks)) == ([], 1)
