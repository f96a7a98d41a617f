"""`python manage.py worker`: run background tasks from the database queue, beating and reaping beside them.

The Procfile's `worker`. It takes every option of django-tasks-db's `db_worker` (`--queue-name`, `--interval`,
`--batch`, `--max-tasks`, `--reload`, …); run as many as the work needs, on any machine that reaches the
database. See medtalent/core/workers.py for what the heartbeat is for.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from medtalent.core.workers import heartbeat_beat, heartbeat_stop, tasks_reap

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    """Beats and reaps every WORKER_HEARTBEAT_SECONDS until stopped, on its own database connection."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.identity = {"worker_id": worker_id, "hostname": socket.gethostname(), "pid": os.getpid()}
        self.started_at = timezone.now()

    def beat_once(self) -> None:
        heartbeat_beat(**self.identity, started_at=self.started_at)
        tasks_reap()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self.beat_once()
                except Exception:  # a database hiccup must not stop the beat for good
                    logger.exception("Worker heartbeat failed; trying again")
                    connection.close()
                self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating and say goodbye, so that /healthz counts this worker out at once."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=5)
        heartbeat_stop(worker_id=self.worker_id)


class Command(DBWorkerCommand):
    help = "Run background tasks from the database queue (with a heartbeat that /healthz and waiting pages read)."

    def handle(self, *args, reload: bool, batch: bool, worker_id: str, **options) -> None:
        # With --reload, the parent process only watches files; the child (DJANGO_AUTORELOAD_ENV) does the work.
        works = not reload or batch or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        heartbeat = Heartbeat(worker_id) if works else None
        if heartbeat:
            heartbeat.start()
        try:
            super().handle(*args, reload=reload, batch=batch, worker_id=worker_id, **options)
        finally:
            if heartbeat:
                heartbeat.stop()
