"""Bulk import of applicants by a sending unit: an import that checks every row before writing anything.

This module holds who may import and for what (`import_unit_ids`, `import_targets`), the upload, the task
and its receiver, and the run: validation against the database and the writing. The template's columns are
`import_columns`; reading the sheet and parsing its cells, `import_reading`; the workbooks MedTalent writes,
`import_workbooks`.

1. `import_workbooks.import_template` builds the workbook for a round (and category) from the columns
   (`import_columns`): Chinese headers, drop-downs fed by the
   code tables (a hidden sheet holds the names; the import maps them back to codes), the ID column as text,
   dates as dates, the header row frozen, a sheet of instructions.
2. `import_job_create` (the upload) checks the file by its content, stores it privately and, once the
   transaction commits, enqueues `import_job_run_task`.
3. `import_job_run` (in the background) reads the sheet (`import_reading`), validates EVERY row in batches (a
   fixed number of queries per batch, the progress counter updated once per batch), and only if no row has a
   problem writes the profiles and draft applications in one transaction with bulk statements. A file with any
   problem writes nothing; the job keeps every problem by row and column (row numbers as Excel shows them, the
   header is row 1).

The rules of `application_create` hold here too (`application_rules`): the category belongs to the round's
programme (and is required when the programme has categories), one live application per person, round and
category, and the sending unit is the importing unit, which must also be the person's employer.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.applications import import_checks
from medtalent.applications.application_rules import (
    application_target_problem,
    duration_problem,
    live_applications,
    sending_unit_problem,
)
from medtalent.applications.enums import ApplicationState
from medtalent.applications.import_columns import (
    CODE,
    COLUMNS,
    PERSON,
    PERSON_UPDATE_FIELDS,
    SHEET_DATA,
    load_code_maps,
)
from medtalent.applications.import_reading import ParsedRow, Problems, parse_row, read_sheet, sheet_problems
from medtalent.applications.models import Application, ImportJob
from medtalent.applications.workflow import IMPORT_JOB
from medtalent.catalog.enums import DurationUnit, ProgrammeStatus
from medtalent.catalog.models import Category, Round
from medtalent.core.errors import ApplicationError
from medtalent.core.excel import check_xlsx
from medtalent.core.services import audit_log, audit_log_many
from medtalent.core.workers import tasks_reap
from medtalent.core.workflow import advance
from medtalent.orgs.models import Organisation
from medtalent.people.fields import keyed_hash
from medtalent.people.models import LanguageCertificate, Person, ProfileChangeProposal
from medtalent.people.selectors import people_by_id_numbers
from medtalent.people.services import profile_changes_split, proposals_save

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # rows per batch at most (see `batch_size`)


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
    problem = application_target_problem(round_, category)
    if problem is not None:
        raise ApplicationError(problem, field="category")
    if round_.programme.status != ProgrammeStatus.PUBLISHED or not round_.is_open_on(today):
        raise ApplicationError(_("Applications for this round are not open."), field="round")


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
    refusal = sending_unit_problem(programme=round_.programme, organisation=unit)
    if refusal:
        raise ApplicationError(refusal, field="unit")
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
        problems = Problems()
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
        problems = Problems()
        # Translators: 中文：导入因意外错误而中止，没有导入任何数据。请稍后重试或联系管理员。
        problems.add(None, "", _("The import stopped because of an unexpected error; nothing was imported."))
        _finish(job, ImportJob.State.FAILED, problems=problems)
        raise
    return job


def _finish(job: ImportJob, state: str, *, problems: Problems | None = None, created: int = 0) -> bool:
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
        header, rows = read_sheet(job)
    except Exception:
        logger.info("Import job %s: unreadable workbook", job.pk, exc_info=True)
        problems = Problems()
        # Translators: 中文：无法读取此文件，请确认它是Excel工作簿（.xlsx）。
        problems.add(None, "", _("The file cannot be read as an Excel workbook."))
        return _finish(job, ImportJob.State.FAILED, problems=problems)

    index, problems = sheet_problems(header, rows)
    if problems:
        return _finish(job, ImportJob.State.FAILED, problems=problems)

    # The programme may have narrowed the units that send applicants since the upload: nothing is written then.
    refusal = sending_unit_problem(programme=job.round.programme, organisation=job.unit)
    if refusal:
        problems.add(None, "", refusal)
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


def _validate(
    job: ImportJob, rows: list[tuple[int, list]], index: dict[str, int], problems: Problems, today: dt.date
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
            row = parse_row(number, values, index, maps, problems, today)
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
            duration = row.application.get("requested_duration")
            problem = duration_problem(job.round, job.category, duration, DurationUnit.MONTH)
            if problem:
                problems.add(number, DURATION_HEADER, problem)
                row.ok = False
            batch_rows.append(row)
        _check_against_database(job, batch_rows, problems)
        parsed.extend(r for r in batch_rows if r.ok)
        processed += len(batch)
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)
    job.processed_rows = processed
    return parsed


# A row whose ID number is held by a profile the unit may not import: employed by another unit, or without an
# employer. Both get these same words, which say neither that the number is on file nor where: the refusal cannot
# be avoided (one profile per ID number), but the unit learns no other unit, no account, nothing of that profile.
# Translators: 中文：此行无法为本单位导入（该身份证号码不可用）。
ROW_ID_NUMBER_UNAVAILABLE = _lazy("This row cannot be imported for your unit (ID number not available).")


def _check_against_database(job: ImportJob, rows: list[ParsedRow], problems: Problems) -> None:
    """The people of the rows (found through the keyed hash of their ID number: the number itself is encrypted) and
    their live applications: two queries per batch."""
    if not rows:
        return
    numbers = [r.id_number for r in rows]
    people = people_by_id_numbers(id_numbers=numbers)
    live = set(
        live_applications(round_id=job.round_id, category_id=job.category_id)
        .filter(person__id_number_hash__in=[keyed_hash(n) for n in numbers])
        .values_list("person_id", flat=True)
    )
    for row in rows:
        person = people.get(row.id_number)
        if person is not None and person.employer_id != job.unit_id:
            problems.add(row.row, "身份证号", str(ROW_ID_NUMBER_UNAVAILABLE))
            continue
        if person is not None and person.pk in live:
            # Translators: 中文：此人在本批次（类别）已有申请。
            problems.add(row.row, "身份证号", _("This person already has an application for this round and category."))
            continue
        row.existing = person


_FK_FIELDS = {c.field for c in COLUMNS if c.kind == CODE and c.target == PERSON}
DURATION_HEADER = next(c.header for c in COLUMNS if c.field == "requested_duration")


def _add_language_results(rows: Sequence[ParsedRow], people: list[Person]) -> int:
    """The language result of each row for its person, unless the person already has a result of that test (a
    person's own entries are never replaced by an import). One query and one INSERT per batch."""
    wanted = [(person, row.language) for row, person in zip(rows, people, strict=True) if row.language]
    if not wanted:
        return 0
    held = set(
        LanguageCertificate.objects.filter(person_id__in=[p.pk for p, _ in wanted]).values_list("person_id", "test")
    )
    new = [
        LanguageCertificate(
            person=person,
            test=language["test"],
            score=language.get("score", ""),
            level=language.get("level", ""),
            taken_on=language.get("taken_on"),
        )
        for person, language in wanted
        if (person.pk, language["test"]) not in held
    ]
    LanguageCertificate.objects.bulk_create(new)
    return len(new)


def _person_kwargs(values: dict[str, Any]) -> dict[str, Any]:
    return {(f"{name}_id" if name in _FK_FIELDS else name): value for name, value in values.items()}


@transaction.atomic
def _write(job: ImportJob, rows: list[ParsedRow]) -> dict[str, int]:
    """All profiles and draft applications at once: per batch one INSERT of new people, one upsert of the
    people already on the unit's staff, one INSERT of applications."""
    size = batch_size()
    now = timezone.now()
    created_people = updated_people = 0
    proposals: list[ProfileChangeProposal] = []
    applications = languages_added = 0
    region = job.audit_region_code()
    for batch in _chunks(rows, size):
        changed_fields: list = []
        new = [Person(employer_id=job.unit_id, **_person_kwargs(r.person)) for r in batch if r.existing is None]
        if new:
            Person.objects.bulk_create(new)
        existing = [r for r in batch if r.existing is not None]
        # Read again, locked: whoever has an account by now keeps their own profile (people.services).
        fresh = Person.objects.select_for_update().in_bulk([r.existing.pk for r in existing]) if existing else {}
        for r in existing:
            r.existing = fresh[r.existing.pk]
            values = {name: value for name, value in r.person.items() if name != "id_number"}
            write, proposed = profile_changes_split(
                person=r.existing, values=values, actor=job.uploaded_by, import_job_id=job.pk
            )
            for name, value in _person_kwargs(write).items():
                setattr(r.existing, name, value)
            if write:
                changed_fields.append(
                    ("person.import_update", r.existing, {"import_job": job.pk, "fields": sorted(write)})
                )
            r.existing.updated_at = now
            proposals.extend(proposed)
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
        persons = [r.existing if r.existing is not None else next(people) for r in batch]
        languages_added += _add_language_results(batch, persons)
        drafts = [
            Application(
                person=person,
                round_id=job.round_id,
                category_id=job.category_id,
                unit_id=job.unit_id,
                state=ApplicationState.DRAFT,
                requested_duration_unit=DurationUnit.MONTH,
                **r.application,
            )
            for r, person in zip(batch, persons, strict=True)
        ]
        Application.objects.bulk_create(drafts)
        # One audit event per person created or changed, naming the fields (never their values).
        audit_log_many(
            actor=job.uploaded_by,
            entries=[("person.import_create", p, {"import_job": job.pk}) for p in new] + changed_fields,
            region_code=region,
        )
        created_people += len(new)
        updated_people += len(existing)
        applications += len(drafts)
    proposals_save(actor=job.uploaded_by, proposals=proposals, import_job_id=job.pk)
    job.processed_rows = job.total_rows
    job.created_count = applications
    if not _finish(job, ImportJob.State.DONE, created=applications):
        # Failed meanwhile (the reaper took its worker for dead): the uploader was told nothing was imported.
        raise ImportJobLost(f"import job {job.pk} is no longer running")
    counts = {
        "applications": applications,
        "people_created": created_people,
        "people_updated": updated_people,
        "changes_proposed": len(proposals),
        "language_results": languages_added,
    }
    audit_log(actor=job.uploaded_by, action="applications.import", obj=job, to_state=ImportJob.State.DONE, data=counts)
    return counts
