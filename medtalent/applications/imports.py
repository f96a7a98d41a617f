"""Bulk import of applicants by a sending unit: an import that checks every row before writing anything.

1. `import_workbooks.import_template` builds the workbook for a round (and category) from the columns defined
   here: Chinese headers, drop-downs fed by the
   code tables (a hidden sheet holds the names; the import maps them back to codes), the ID column as text,
   dates as dates, the header row frozen, a sheet of instructions.
2. `import_job_create` (the upload) checks the file by its content, stores it privately and, once the
   transaction commits, enqueues `import_job_run_task`.
3. `import_job_run` (in the background) reads the sheet, validates EVERY row in batches (a fixed number of
   queries per batch, the progress counter updated once per batch), and only if no row has a problem writes
   the profiles and draft applications in one transaction with bulk statements. A file with any problem
   writes nothing; the job keeps every problem by row and column (row numbers as Excel shows them, the
   header is row 1).

The rules of `application_create` hold here too: the category belongs to the round's programme (and is
required when the programme has categories), one live application per person, round and category, and
the sending unit is the importing unit, which must also be the person's employer.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.applications import import_checks
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application, ImportJob
from medtalent.applications.workflow import IMPORT_JOB
from medtalent.catalog.enums import DurationUnit, ProgrammeStatus
from medtalent.catalog.models import Category, Round
from medtalent.codes.idnumber import normalise_id_number, validate_id_number
from medtalent.codes.models import Code
from medtalent.core.errors import ApplicationError
from medtalent.core.excel import check_xlsx
from medtalent.core.services import audit_log
from medtalent.core.workers import tasks_reap
from medtalent.core.workflow import advance
from medtalent.orgs.models import Organisation
from medtalent.people.models import Person

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # rows per batch at most (see `batch_size`)
MAX_ROWS = import_checks.MAX_ROWS  # data rows per file (the upload refuses more: import_checks)
MAX_PROBLEMS = 2_000  # problems kept per job; a file with more is listed up to here, with a count of the rest
TEMPLATE_ROWS = 5_000  # rows of the template that carry the drop-downs and formats
SHEET_DATA = "报名信息"
SHEET_HELP = "填写说明"
SHEET_CODES = "代码表"
EARLIEST_DATE = dt.date(1900, 1, 1)

TEXT, CODE, DATE, ID, BOOL, INT, PHONE, EMAIL = "text", "code", "date", "id", "bool", "int", "phone", "email"
PERSON, APPLICATION = "person", "application"


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
)
CODE_TABLES = ("sex", "ethnicity", "political_status", "education", "degree", "title")
# Tables whose short form is what forms usually say (男 rather than 男性, 中共党员 rather than the full name).
SHORT_NAME_TABLES = ("sex", "political_status")
COLUMN_ORDER = {c.header: position for position, c in enumerate(COLUMNS)}
PERSON_UPDATE_FIELDS = [c.field for c in COLUMNS if c.target == PERSON and c.field != "id_number"]
YES_WORDS = {"是", "有", "y", "yes", "true", "1", "√"}
NO_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×"}


# ---------------------------------------------------------------------------------------------- who and what


def import_unit_ids(*, user) -> list[int]:
    """The units the user may import applicants for: those they administer."""
    return organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)


def import_units(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=import_unit_ids(user=user)).order_by("name_zh")


def import_jobs_for(*, user) -> QuerySet[ImportJob]:
    """The import jobs of the user's units, with what the list and the job page show."""
    return ImportJob.objects.filter(unit_id__in=import_unit_ids(user=user)).select_related(
        "unit", "round", "round__programme", "category", "uploaded_by"
    )


@dataclass(frozen=True)
class ImportTarget:
    round: Round
    category: Category | None

    @property
    def key(self) -> str:
        return f"{self.round.pk}:{self.category.pk if self.category else ''}"

    @property
    def label(self) -> str:
        parts = [self.round.programme.name, self.round.name]
        if self.category:
            parts.append(self.category.name)
        return " · ".join(parts)


def import_targets(*, today: dt.date | None = None) -> list[ImportTarget]:
    """Every open round of a published programme, once per category (or once when it has none). 2 queries."""
    today = today or timezone.localdate()
    rounds = (
        Round.objects.filter(
            programme__status=ProgrammeStatus.PUBLISHED, application_opens__lte=today, application_closes__gte=today
        )
        .select_related("programme")
        .prefetch_related("programme__categories")
        .order_by("programme__sort", "programme__code", "application_closes", "id")
    )
    targets = []
    for round_ in rounds:
        categories = list(round_.programme.categories.all()) or [None]
        targets.extend(ImportTarget(round_, category) for category in categories)
    return targets


def import_target_get(*, key: str, today: dt.date | None = None) -> ImportTarget | None:
    return next((t for t in import_targets(today=today) if t.key == key), None)


def _check_target(round_: Round, category: Category | None, today: dt.date) -> None:
    if category is not None and category.programme_id != round_.programme_id:
        raise ApplicationError(_("This category does not belong to the programme of this round."), field="category")
    if category is None and round_.programme.categories.exists():
        raise ApplicationError(_("Choose a category: this programme has several."), field="category")
    if round_.programme.status != ProgrammeStatus.PUBLISHED or not round_.is_open_on(today):
        raise ApplicationError(_("Applications for this round are not open."), field="round")


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
                entry.by_text.setdefault(_key(text), pk)
    return maps


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------------------------------------- the upload


@transaction.atomic
def import_job_create(
    *, actor, unit: Organisation, round_: Round, category: Category | None, upload, today: dt.date | None = None
) -> ImportJob:
    """Accept an uploaded file for `unit` and queue it. The file is checked by content (.xlsx), size, rows and
    empty rows (`import_checks`) before it is stored; a unit has one file being imported at a time."""
    if unit.pk not in import_unit_ids(user=actor):
        raise PermissionDenied(_("You may not import applicants for this unit."))
    _check_target(round_, category, today or timezone.localdate())
    if upload.size > settings.MEDTALENT_UPLOAD_MAX_BYTES:
        raise ApplicationError(
            # Translators: 中文：文件过大：最大%(max)d MB。
            _("The file is too large: at most %(max)d MB.")
            % {"max": settings.MEDTALENT_UPLOAD_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if not check_xlsx(upload):
        raise ApplicationError(
            # Translators: 中文：请上传Excel工作簿（.xlsx）文件，建议使用本页下载的模板。
            _("Upload an Excel workbook (.xlsx), preferably the template from this page."),
            field="file",
        )
    import_checks.check_workbook_upload(upload, sheet_name=SHEET_DATA)  # rows, empty rows, size: before storing
    # One import per unit at a time: the unit's row is locked, so two uploads at once are checked one after the other.
    Organisation.objects.select_for_update().get(pk=unit.pk)
    busy = (
        ImportJob.objects.filter(unit=unit, state__in=(ImportJob.State.PENDING, ImportJob.State.RUNNING))
        .order_by("created_at", "pk")
        .first()
    )
    if busy is not None:
        busy = import_job_watch(job=busy)  # a job whose worker died is failed first: it blocks nothing
    if busy is not None and busy.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING):
        raise ApplicationError(
            # Translators: 中文：本单位的文件“%(name)s”（%(time)s上传）正在导入，请等它完成后再上传下一个文件。
            _("Your unit's file “%(name)s”, uploaded at %(time)s, is still being imported: wait until it is finished.")
            % {"name": busy.original_name, "time": timezone.localtime(busy.created_at).strftime("%Y-%m-%d %H:%M")},
            field="file",
        )
    job = ImportJob(
        unit=unit,
        round=round_,
        category=category,
        uploaded_by=actor,
        original_name=(getattr(upload, "name", "") or "import.xlsx")[:200],
    )
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: _enqueue(job, language))
    return job


def _enqueue(job: ImportJob, language: str) -> None:
    """Queue the job's task (after commit: the worker must see the row) and remember the task, so that the job page
    can tell when its worker died."""
    result = import_job_run_task.enqueue(job_id=job.pk, language=language)
    job.task_id = str(result.id)[:64]
    ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)


@task()
def import_job_run_task(job_id: int, language: str = "") -> None:
    """Thin task: the messages in the uploader's language, the work in the service."""
    with translation.override(language or settings.LANGUAGE_CODE):
        import_job_run(job_id=job_id)


@receiver(task_finished)
def _import_task_finished(sender, task_result, **kwargs) -> None:
    """A failed import task whose job is still waiting or running: its worker died or none ran it (see
    core.workers). The job is failed with a message that says so; a job the import itself finished is left."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != IMPORT_TASK_PATH:
        return
    error = task_result.errors[-1].exception_class_path if task_result.errors else ""
    with translation.override(task_result.kwargs.get("language") or settings.LANGUAGE_CODE):
        problems = _Problems()
        if error.endswith(".NoWorker"):
            # Translators: 中文：没有后台处理程序来处理此文件，没有导入任何数据。请联系系统管理员启动后台处理程序后重新上传。
            message = _("No background worker was running to check this file, so nothing was imported. Ask your system administrator to start the worker, then upload the file again.")  # fmt: skip
        else:
            # Translators: 中文：处理此文件的后台程序意外停止，没有导入任何数据。请重新上传。
            message = _("The background worker stopped while checking this file, so nothing was imported. Upload it again.")  # fmt: skip
        problems.add(None, "", message)
        job = ImportJob.objects.filter(
            pk=task_result.kwargs.get("job_id"), state__in=[ImportJob.State.PENDING, ImportJob.State.RUNNING]
        ).first()
        if job is not None:
            _finish(job, ImportJob.State.FAILED, problems=problems)  # unless the import finished it meanwhile


IMPORT_TASK_PATH = import_job_run_task.module_path


def import_job_watch(*, job: ImportJob) -> ImportJob:
    """The job as its page shows it: while it waits or runs, first fail the tasks whose worker died (so the page
    never waits forever), then read it again."""
    if job.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING) and tasks_reap():
        job.refresh_from_db()
    return job


def import_files_delete_expired(*, days: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of imports that finished more than `days` (IMPORT_FILE_RETENTION_DAYS) ago; the
    job itself (who, when, counts, problems) stays. The number of files deleted."""
    days = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
    before = (now or timezone.now()) - dt.timedelta(days=days)
    expired = ImportJob.objects.filter(
        state__in=[ImportJob.State.DONE, ImportJob.State.FAILED], finished_at__lt=before
    ).exclude(file="")
    deleted = 0
    for job in expired.only("pk", "file"):
        name = job.file.name
        job.file.delete(save=False)  # a file already missing from the storage is no error
        ImportJob.objects.filter(pk=job.pk).update(file="")
        audit_log(actor=None, action="import.file_deleted", obj=job, data={"file": name, "retention_days": days})
        deleted += 1
    return deleted


# ---------------------------------------------------------------------------------------------- the import


class _Formula(str):
    """A cell holding a formula (its text, e.g. "=A1+B1"): never imported."""


@dataclass
class ParsedRow:
    row: int
    id_number: str
    person: dict[str, Any]
    application: dict[str, Any]
    ok: bool = True  # False when a cell of the row has a problem (the row is still checked against the database)
    existing: Person | None = None


class _Problems:
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


def batch_size() -> int:
    """Rows per batch: BATCH_SIZE, or fewer where the database limits the parameters of one statement
    (SQLite: 999, so about 30 rows of a person), so that each bulk statement of a batch is ONE query."""
    ops = connection.ops
    sample = [None] * BATCH_SIZE
    person_fields = list(Person._meta.concrete_fields)  # with the key: people already on the staff are upserted
    application_fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
    return max(
        1,
        min(
            BATCH_SIZE,
            ops.bulk_batch_size(person_fields, sample),
            ops.bulk_batch_size(application_fields, sample),
        ),
    )


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ImportJobLost(Exception):
    """The job stopped running while its rows were written: the write is rolled back."""


def import_job_run(*, job_id: int, today: dt.date | None = None) -> ImportJob:
    """Check the whole file, then write it at once or not at all. Runs once per job (a second call is a no-op): the
    worker claims the job with one conditional UPDATE (`IMPORT_JOB`: pending → running), so two never both run it."""
    job = ImportJob.objects.select_related("round", "round__programme", "category", "unit", "uploaded_by").get(
        pk=job_id
    )
    if not advance(IMPORT_JOB, job, to=ImportJob.State.RUNNING):
        job.refresh_from_db(fields=["state", "total_rows", "processed_rows", "created_count", "errors", "finished_at"])
        return job
    try:
        _run(job, today or timezone.localdate())
    except ImportJobLost:
        logger.warning("Import job %s was failed while it ran: nothing of it is written", job.pk)
        job.refresh_from_db(fields=["state", "errors", "created_count", "finished_at"])
    except Exception:
        logger.exception("Import job %s stopped", job.pk)
        problems = _Problems()
        # Translators: 中文：导入因意外错误而中止，没有导入任何数据。请稍后重试或联系管理员。
        problems.add(None, "", _("The import stopped because of an unexpected error; nothing was imported."))
        _finish(job, ImportJob.State.FAILED, problems=problems)
        raise
    return job


def _finish(job: ImportJob, state: str, *, problems: _Problems | None = None, created: int = 0) -> bool:
    """The job done or failed (`IMPORT_JOB`), only from a state that leads there: a job already finished (by the
    import, or failed by the reaper while its worker looked dead) stays as it is. Whether it moved."""
    values = {
        "errors": problems.as_list() if problems else [],
        "created_count": created,
        "finished_at": timezone.now(),
    }
    return advance(IMPORT_JOB, job, to=state, values=values)


def _run(job: ImportJob, today: dt.date) -> None:
    try:
        header, rows = _read_sheet(job)
    except Exception:
        logger.info("Import job %s: unreadable workbook", job.pk, exc_info=True)
        problems = _Problems()
        # Translators: 中文：无法读取此文件，请确认它是Excel工作簿（.xlsx）。
        problems.add(None, "", _("The file cannot be read as an Excel workbook."))
        return _finish(job, ImportJob.State.FAILED, problems=problems)

    index, problems = _match_header(header)
    if not problems and not rows:
        # Translators: 中文：文件中没有数据行。
        problems.add(None, "", _("The file has no rows of applicants."))
    if not problems and len(rows) > MAX_ROWS:
        # Translators: 中文：文件超过%(max)d行（一次最多导入的行数），请分成几个文件。
        problems.add(
            None, "", _("The file has more than %(max)d rows: split it into several files.") % {"max": MAX_ROWS}
        )
    if problems:
        return _finish(job, ImportJob.State.FAILED, problems=problems)

    job.total_rows = len(rows)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    parsed = _validate(job, rows, index, problems, today)
    if problems:
        return _finish(job, ImportJob.State.FAILED, problems=problems)
    try:
        counts = _write(job, parsed)
    except IntegrityError:
        logger.info("Import job %s: conflicting change while writing", job.pk, exc_info=True)
        problems.add(
            None,
            "",
            # Translators: 中文：导入期间这些人员的数据被同时修改，没有导入任何数据，请重新上传。
            _("These people's data changed while the file was imported; nothing was imported. Upload it again."),
        )
        return _finish(job, ImportJob.State.FAILED, problems=problems)
    logger.info("Import job %s: %s", job.pk, counts)


def _read_sheet(job: ImportJob) -> tuple[list[str], list[tuple[int, list]]]:
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
    return _key(text).rstrip("*").replace("(", "（").replace(")", "）")


def _match_header(header: list[str]) -> tuple[dict[str, int], _Problems]:
    """Column header → position in the file; problems for missing required or repeated columns."""
    wanted = {_header_key(c.header): c.header for c in COLUMNS}
    index: dict[str, int] = {}
    letters: dict[str, str] = {}
    problems = _Problems()
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


def _validate(
    job: ImportJob, rows: list[tuple[int, list]], index: dict[str, int], problems: _Problems, today: dt.date
) -> list[ParsedRow]:
    """Every row checked; per batch one query for the people, one for their live applications, one progress."""
    maps = load_code_maps()
    size = batch_size()
    parsed: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    processed = 0
    for batch in _chunks(rows, size):
        batch_rows: list[ParsedRow] = []
        for number, values in batch:
            row = _parse_row(number, values, index, maps, problems, today)
            if row is None:  # no valid ID number: nothing more to check
                continue
            if row.id_number in first_row_of:
                problems.add(
                    number,
                    "身份证号",
                    # Translators: 中文：与第%(row)d行的身份证号重复，同一人只能填一行。
                    _("The same ID number is already on row %(row)d: one row per person.")
                    % {"row": first_row_of[row.id_number]},
                )
                continue
            first_row_of[row.id_number] = number
            batch_rows.append(row)
        _check_against_database(job, batch_rows, problems)
        parsed.extend(r for r in batch_rows if r.ok)
        processed += len(batch)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)
    job.processed_rows = processed
    return parsed


def _check_against_database(job: ImportJob, rows: list[ParsedRow], problems: _Problems) -> None:
    if not rows:
        return
    numbers = [r.id_number for r in rows]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=numbers)}
    live = set(
        Application.objects.filter(person__id_number__in=numbers, round_id=job.round_id, category_id=job.category_id)
        .exclude(state=ApplicationState.WITHDRAWN)
        .values_list("person__id_number", flat=True)
    )
    for row in rows:
        person = people.get(row.id_number)
        if person is not None and person.employer_id != job.unit_id:
            if person.employer_id is None:
                # Translators: 中文：此人已有个人档案但未登记工作单位，请其本人在档案中把工作单位设为本单位后再导入。
                message = _(
                    "This person already has a profile without an employer: ask them to set your unit as their employer first."
                )
            else:
                # Translators: 中文：此人登记在其他单位，只能由其所在单位导入。
                message = _("This person is registered with another unit; only their own unit can import them.")
            problems.add(row.row, "身份证号", message)
            continue
        if row.id_number in live:
            # Translators: 中文：此人在本批次（类别）已有申请。
            problems.add(row.row, "身份证号", _("This person already has an application for this round and category."))
            continue
        row.existing = person


def _parse_row(
    number: int, values: list, index: dict[str, int], maps: dict[str, CodeMap], problems: _Problems, today: dt.date
) -> ParsedRow | None:
    before = len(problems.items) + problems.dropped
    person: dict[str, Any] = {}
    application: dict[str, Any] = {}
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
            (person if column.target == PERSON else application)[column.field] = value
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
    return ParsedRow(row=number, id_number=person["id_number"], person=person, application=application, ok=ok)


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
    pk = maps[column.table].by_text.get(_key(text))
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
    DATE: _parse_date,
    BOOL: _parse_bool,
    INT: _parse_int,
    PHONE: _parse_phone,
    EMAIL: _parse_email,
}

_FK_FIELDS = {c.field for c in COLUMNS if c.kind == CODE}


def _person_kwargs(values: dict[str, Any]) -> dict[str, Any]:
    return {(f"{name}_id" if name in _FK_FIELDS else name): value for name, value in values.items()}


@transaction.atomic
def _write(job: ImportJob, rows: list[ParsedRow]) -> dict[str, int]:
    """All profiles and draft applications at once: per batch one INSERT of new people, one upsert of the
    people already on the unit's staff, one INSERT of applications."""
    size = batch_size()
    now = timezone.now()
    created_people = updated_people = 0
    applications = 0
    for batch in _chunks(rows, size):
        new = [Person(employer_id=job.unit_id, **_person_kwargs(r.person)) for r in batch if r.existing is None]
        if new:
            Person.objects.bulk_create(new)
        existing = [r for r in batch if r.existing is not None]
        for r in existing:
            for name, value in _person_kwargs(r.person).items():
                setattr(r.existing, name, value)
            r.existing.updated_at = now
        if existing:
            # An upsert on the primary key rather than bulk_update(): the same one statement per batch, without
            # bulk_update's CASE WHEN pk = … per row and field (about 10 ms of Python per row).
            Person.objects.bulk_create(
                [r.existing for r in existing],
                update_conflicts=True,
                unique_fields=["pk"],
                update_fields=[*PERSON_UPDATE_FIELDS, "updated_at"],
            )
        people = iter(new)
        drafts = [
            Application(
                person=r.existing if r.existing is not None else next(people),
                round_id=job.round_id,
                category_id=job.category_id,
                unit_id=job.unit_id,
                state=ApplicationState.DRAFT,
                requested_duration_unit=DurationUnit.MONTH,
                **r.application,
            )
            for r in batch
        ]
        Application.objects.bulk_create(drafts)
        created_people += len(new)
        updated_people += len(existing)
        applications += len(drafts)
    job.processed_rows = job.total_rows
    job.created_count = applications
    if not _finish(job, ImportJob.State.DONE, created=applications):
        # Failed meanwhile (the reaper took its worker for dead): the uploader was told nothing was imported.
        raise ImportJobLost(f"import job {job.pk} is no longer running")
    counts = {"applications": applications, "people_created": created_people, "people_updated": updated_people}
    audit_log(actor=job.uploaded_by, action="applications.import", obj=job, to_state=ImportJob.State.DONE, data=counts)
    return counts
