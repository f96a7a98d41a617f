"""The durable queue's workers: heartbeat, reaping the tasks of a dead worker, the worker command, and an import
whose worker died failing with a message on its page instead of waiting forever."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from medtalent.applications import imports
from medtalent.applications.models import ImportJob
from medtalent.core import workers
from medtalent.core.management.commands.worker import Heartbeat
from medtalent.core.models import WorkerHeartbeat
from tests.applications.test_imports import good_row, iw, make_xlsx, upload  # noqa: F401  (iw: fixture)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEEN: list[int] = []


@task()
def count_workers() -> int:
    SEEN.append(WorkerHeartbeat.objects.count())
    return SEEN[-1]


@pytest.fixture
def queue(settings):
    settings.TASKS = DB_TASKS
    settings.WORKER_HEARTBEAT_TIMEOUT = 60
    settings.TASK_QUEUE_TIMEOUT = 600


@pytest.fixture
def finished():
    """The task results django-tasks' task_finished signal announced."""
    seen = []

    def receiver(sender, task_result, **kwargs):
        seen.append((str(task_result.id), task_result.status))

    task_finished.connect(receiver)
    yield seen
    task_finished.disconnect(receiver)


def beat(worker_id: str, *, ago: int = 0) -> None:
    now = timezone.now() - dt.timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="h", pid=1, started_at=now, seen_at=now)


def claim(task_id, worker_id: str, *, started_ago: int) -> DBTaskResult:
    """The queued task `task_id`, claimed by `worker_id` `started_ago` seconds ago."""
    row = DBTaskResult.objects.get(pk=task_id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - dt.timedelta(seconds=started_ago))
    return row


def claimed(worker_id: str, *, started_ago: int) -> DBTaskResult:
    return claim(count_workers.enqueue().id, worker_id, started_ago=started_ago)


def queued_import(iw, capture) -> ImportJob:  # noqa: F811
    """A one-row import uploaded by the unit's administrator, its task queued (after commit)."""
    with capture(execute=True):
        job = imports.import_job_create(
            actor=iw.admin,
            unit=iw.unit,
            round_=iw.round,
            category=iw.category,
            upload=upload(make_xlsx([good_row()])),
        )
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------------- heartbeat


def test_a_worker_is_alive_while_it_beats_within_the_timeout(db, settings):
    settings.WORKER_HEARTBEAT_TIMEOUT = 60
    beat("fresh", ago=59)
    beat("stale", ago=61)

    assert list(workers.workers_alive().values_list("worker_id", flat=True)) == ["fresh"]


def test_heartbeat_beat_updates_the_same_row(db):
    started = timezone.now() - dt.timedelta(minutes=5)
    workers.heartbeat_beat(worker_id="w1", hostname="node-1", pid=42, started_at=started)
    first = WorkerHeartbeat.objects.get().seen_at
    workers.heartbeat_beat(worker_id="w1", hostname="node-1", pid=42, started_at=started)

    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.hostname, row.pid, row.started_at) == ("w1", "node-1", 42, started)
    assert row.seen_at >= first


# ---------------------------------------------------------------------------------------------- reaping


def test_reap_fails_a_running_task_whose_worker_stopped_beating(db, queue, finished):
    beat("dead", ago=120)
    row = claimed("dead", started_ago=300)

    assert workers.tasks_reap() == 1

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "medtalent.core.workers.WorkerLost"
    assert finished == [(str(row.pk), TaskResultStatus.FAILED)]


def test_reap_leaves_the_task_of_a_live_worker_and_a_task_just_started(db, queue, finished):
    beat("alive", ago=5)
    busy = claimed("alive", started_ago=3600)
    young = claimed("unknown", started_ago=10)  # its worker may not have beaten yet

    assert workers.tasks_reap() == 0

    assert list(DBTaskResult.objects.filter(pk__in=[busy.pk, young.pk]).values_list("status", flat=True)) == [
        TaskResultStatus.RUNNING,
        TaskResultStatus.RUNNING,
    ]
    assert finished == []


def test_reap_fails_a_queued_task_no_worker_picked_up_in_time(db, queue, finished):
    old = count_workers.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(enqueued_at=timezone.now() - dt.timedelta(seconds=601))
    new = count_workers.enqueue()

    assert workers.tasks_reap() == 1

    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert {str(k): v for k, v in statuses.items()} == {
        str(old.id): TaskResultStatus.FAILED,
        str(new.id): TaskResultStatus.READY,
    }
    assert DBTaskResult.objects.get(pk=old.id).exception_class_path == "medtalent.core.workers.NoWorker"


def test_reap_waits_for_a_queued_task_while_a_worker_is_alive(db, queue):
    beat("alive")
    old = count_workers.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(enqueued_at=timezone.now() - dt.timedelta(hours=2))

    assert workers.tasks_reap() == 0
    assert DBTaskResult.objects.get(pk=old.id).status == TaskResultStatus.READY


def test_queue_waiting_for_worker_only_while_queued_and_nobody_beats(db, queue):
    result = count_workers.enqueue()

    assert workers.queue_waiting_for_worker(str(result.id)) is True
    beat("alive")
    assert workers.queue_waiting_for_worker(str(result.id)) is False
    assert workers.queue_waiting_for_worker("") is False
    assert workers.queue_waiting_for_worker("not-a-uuid") is False


# ---------------------------------------------------------------------------------------------- the command


def test_worker_command_runs_the_queue_with_its_heartbeat_and_leaves(db, queue, monkeypatch):
    SEEN.clear()
    # The beat runs once in this thread: the test database is not visible to another connection. And the loop
    # must not close the connection, which holds the test's transaction (a real worker runs in autocommit).
    monkeypatch.setattr(Heartbeat, "start", Heartbeat.beat_once)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    result = count_workers.enqueue()

    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", "w-test", verbosity=0)

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value, row.worker_ids) == (TaskResultStatus.SUCCESSFUL, 1, ["w-test"])
    assert SEEN == [1]  # the worker beat while the task ran
    assert WorkerHeartbeat.objects.count() == 0  # and said goodbye


# ---------------------------------------------------------------------------------------------- an import


def test_an_import_whose_worker_died_fails_on_its_page_and_stops_polling(
    client,
    iw,  # noqa: F811
    queue,
    django_capture_on_commit_callbacks,
):
    job = queued_import(iw, django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.PENDING
    # A worker claims it and dies before it beats again.
    beat("dead", ago=120)
    claim(job.task_id, "dead", started_ago=300)
    client.force_login(iw.admin)

    response = client.get(reverse("imports:job", args=[job.pk]), headers={"HX-Request": "true"})

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert [p["message"] for p in job.errors] == [
        "处理此文件的后台程序意外停止，没有导入任何数据。请重新上传。",
    ]
    html = response.content.decode()
    assert "处理此文件的后台程序意外停止" in html
    assert "hx-trigger" not in html


def test_a_queued_import_says_no_worker_is_running(
    client,
    iw,  # noqa: F811
    queue,
    django_capture_on_commit_callbacks,
):
    job = queued_import(iw, django_capture_on_commit_callbacks)
    client.force_login(iw.admin)

    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert "当前没有运行中的后台处理程序" in html
    assert 'hx-trigger="every 1s"' in html
    beat("alive")
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "当前没有运行中的后台处理程序" not in html
