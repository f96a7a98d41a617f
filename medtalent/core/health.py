"""What `GET /healthz` checks: the database answers, every migration is applied, a worker beat within a minute."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from medtalent.core.workers import workers_alive


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


_migrations_applied = False  # once true in a process, it stays true: new migrations come with a new process


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"the database does not answer: {exc.__class__.__name__}")
    return Check("database", True, "the database answers")


def _migrations() -> Check:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
            return Check("migrations", False, f"{len(plan)} migrations are not applied ({names}): run migrate")
        _migrations_applied = True
    return Check("migrations", True, "every migration is applied")


def _worker() -> Check:
    timeout = settings.WORKER_HEARTBEAT_TIMEOUT
    count = workers_alive().count()
    if not count:
        return Check(
            "worker", False, f"no background worker has beaten in the last {timeout} s: start `manage.py worker`"
        )
    return Check("worker", True, f"{count} background worker(s) beat in the last {timeout} s")


def health_checks() -> list[Check]:
    """Every check, in order; after a database failure the others are reported down without being tried."""
    database = _database()
    if not database.ok:
        skipped = "not checked: the database does not answer"
        return [database, Check("migrations", False, skipped), Check("worker", False, skipped)]
    try:
        return [database, _migrations(), _worker()]
    except DatabaseError as exc:
        return [
            database,
            Check("migrations", False, f"cannot be read: {exc.__class__.__name__}"),
            Check("worker", False, "not checked"),
        ]
