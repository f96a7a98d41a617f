"""`cleanup_imports`: uploaded files are deleted a configurable number of days after their import finished."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from medtalent.applications.models import ImportJob
from medtalent.core.models import AuditEvent
from tests.applications.test_imports import iw  # noqa: F401  (fixture)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def job_with_file(iw, *, state, finished_days_ago):  # noqa: F811
    job = ImportJob(unit=iw.unit, round=iw.round, category=iw.category, uploaded_by=iw.admin, original_name="a.xlsx")
    job.state = state
    if finished_days_ago is not None:
        job.finished_at = timezone.now() - dt.timedelta(days=finished_days_ago)
    job.file.save("a.xlsx", ContentFile(b"xlsx"), save=False)
    job.save()
    return job


def test_cleanup_deletes_files_of_imports_finished_before_the_retention(iw, media, settings):  # noqa: F811
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    old_done = job_with_file(iw, state=ImportJob.State.DONE, finished_days_ago=31)
    old_failed = job_with_file(iw, state=ImportJob.State.FAILED, finished_days_ago=45)
    recent = job_with_file(iw, state=ImportJob.State.DONE, finished_days_ago=29)
    waiting = job_with_file(iw, state=ImportJob.State.PENDING, finished_days_ago=None)
    old_paths = [media / old_done.file.name, media / old_failed.file.name]
    out = StringIO()

    call_command("cleanup_imports", stdout=out)

    assert out.getvalue() == "Deleted 2 import file(s) older than 30 days.\n"
    assert [path.exists() for path in old_paths] == [False, False]
    files = dict(ImportJob.objects.values_list("pk", "file"))
    assert files == {old_done.pk: "", old_failed.pk: "", recent.pk: recent.file.name, waiting.pk: waiting.file.name}
    assert (media / recent.file.name).exists()
    assert sorted(
        AuditEvent.objects.filter(action="import.file_deleted").values_list("object_id", "data__retention_days")
    ) == sorted([(str(old_done.pk), 30), (str(old_failed.pk), 30)])
    assert ImportJob.objects.count() == 4  # the history stays


def test_cleanup_days_option_and_a_second_run_deletes_nothing(iw, media):  # noqa: F811
    job_with_file(iw, state=ImportJob.State.DONE, finished_days_ago=2)
    out = StringIO()

    call_command("cleanup_imports", "--days", "1", stdout=out)
    call_command("cleanup_imports", "--days", "1", stdout=out)

    assert (
        out.getvalue() == "Deleted 1 import file(s) older than 1 days.\nDeleted 0 import file(s) older than 1 days.\n"
    )


def test_cleanup_refuses_negative_days(iw, media):  # noqa: F811
    job = job_with_file(iw, state=ImportJob.State.DONE, finished_days_ago=400)

    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("cleanup_imports", "--days", "-1")

    assert ImportJob.objects.get().file.name == job.file.name
    assert (media / job.file.name).exists()
