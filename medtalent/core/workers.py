"""Background workers: their heartbeat, and the tasks they leave behind when they die.

Tasks run on django-tasks-db's durable queue (a row per task in the database). `manage.py worker` runs
django-tasks-db's worker loop and, in a thread beside it, beats every WORKER_HEARTBEAT_SECONDS
(`heartbeat_beat`) and reaps (`tasks_reap`):

- a task still RUNNING whose worker has not beaten for WORKER_HEARTBEAT_TIMEOUT seconds is failed
  (`WorkerLost`): its process died (killed, out of memory, machine restarted);
- a task still READY after TASK_QUEUE_TIMEOUT seconds while no worker is alive is failed (`NoWorker`).

Each is failed the way a task that raised is failed, and django-tasks' `task_finished` signal is sent, so
the app that owns the task marks its own object failed with a message the user sees (an import job).
Pages that wait for a task call `tasks_reap` too, so a page never waits forever even when every worker died.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from medtalent.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running the task stopped beating."""


class NoWorker(Exception):
    """No worker picked the task up in time."""


def heartbeat_beat(*, worker_id: str, hostname: str, pid: int, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname[:200], "pid": pid, "started_at": started_at, "seen_at": timezone.now()},
    )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def workers_alive(*, now: dt.datetime | None = None) -> QuerySet[WorkerHeartbeat]:
    since = (now or timezone.now()) - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since)


def _fail(result: DBTaskResult, error: Exception) -> bool:
    """Fail one task unless it finished meanwhile; send task_finished as the worker would."""
    with transaction.atomic():
        locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk, status=result.status).first()
        if locked is None:
            return False
        locked.set_failed(error)
    try:
        task_result = locked.task_result
        sender = type(locked.task.get_backend())
    except ImportError:
        logger.warning("Task %s (%s) failed: %s; its code is gone", locked.pk, locked.task_path, error)
        return True
    logger.warning("Task %s (%s) failed: %s", locked.pk, locked.task_path, error)
    task_finished.send(sender=sender, task_result=task_result)
    return True


def tasks_reap(*, now: dt.datetime | None = None) -> int:
    """Fail the tasks whose worker died or that no worker will pick up; the number failed."""
    now = now or timezone.now()
    alive = set(workers_alive(now=now).values_list("worker_id", flat=True))
    failed = 0
    # A task claimed by a worker that has not beaten since (grace: one timeout after it started).
    started_before = now - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    for result in (
        DBTaskResult.objects.running()
        .filter(started_at__lt=started_before)
        .only("id", "status", "worker_ids", "task_path", "args_kwargs", "priority", "queue_name", "backend_name")
    ):
        if not result.worker_ids or result.worker_ids[-1] not in alive:
            failed += _fail(result, WorkerLost("the background worker stopped while running this task"))
    if not alive:
        waiting_since = now - dt.timedelta(seconds=settings.TASK_QUEUE_TIMEOUT)
        for result in DBTaskResult.objects.ready().filter(enqueued_at__lt=waiting_since):
            failed += _fail(result, NoWorker("no background worker picked this task up"))
    return failed


def task_status(task_id: str) -> str | None:
    """The queue's state of a task (READY, RUNNING, SUCCESSFUL, FAILED), or None when the queue does not know it
    (another backend: the test suite runs tasks at once)."""
    try:
        key = uuid.UUID(task_id)
    except (ValueError, TypeError, AttributeError):  # none, or a task of another backend
        return None
    return DBTaskResult.objects.filter(pk=key).values_list("status", flat=True).first()


def queue_waiting_for_worker(task_id: str) -> bool:
    """True when the task is queued and no worker is alive to run it (the page says so)."""
    return task_status(task_id) == TaskResultStatus.READY and not workers_alive().exists()
