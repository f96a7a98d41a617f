"""A tiny django-tasks backend for a single server: each task runs in a daemon thread after commit.

    TASKS = {"default": {"BACKEND": "medtalent.core.tasks.ThreadBackend"}}

`make run` uses it so that a long job (a 5,000-row import) runs while its page shows the progress; the
test suite keeps django-tasks' ImmediateBackend, which runs a task at once in the caller's thread.

What it does not do: keep tasks across a restart (a task running when the process stops is lost), retry,
or limit how many run at once. A production deployment with several workers would use a database or
queue backend instead; tasks are thin (they load their object by id), so nothing else changes.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)


class ThreadBackend(BaseTaskBackend):
    supports_async_task = False
    supports_priority = True

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        # Only once the rows the task will load are visible to another connection.
        transaction.on_commit(lambda: self._start(result))
        return result

    def _start(self, result: TaskResult) -> None:
        thread = threading.Thread(
            target=self._run, args=(result,), name=f"task-{result.task.name}-{result.id}", daemon=True
        )
        thread.start()

    @staticmethod
    def _run(result: TaskResult) -> None:
        close_old_connections()
        try:
            result.task.call(*result.args, **result.kwargs)
        except Exception:
            logger.exception("Task %s (%s) failed", result.task.name, result.id)
        finally:
            connections.close_all()
