"""GET /healthz: 200 when the database, the migrations and a worker are fine; 503 naming what is down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.utils import timezone

from medtalent.core import health
from medtalent.core.models import WorkerHeartbeat


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def beat(ago: int) -> None:
    seen = timezone.now() - dt.timedelta(seconds=ago)
    WorkerHeartbeat.objects.create(worker_id=f"w{ago}", hostname="node-1", pid=7, started_at=seen, seen_at=seen)


def test_healthz_answers_200_when_everything_is_up(client, db, settings):
    settings.WORKER_HEARTBEAT_TIMEOUT = 60
    beat(ago=30)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "message": "the database answers"},
            "migrations": {"ok": True, "message": "every migration is applied"},
            "worker": {"ok": True, "message": "1 background worker(s) beat in the last 60 s"},
        },
    }


def test_healthz_answers_503_when_no_worker_beat_within_a_minute(client, db, settings):
    settings.WORKER_HEARTBEAT_TIMEOUT = 60
    beat(ago=61)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["worker"] == {
        "ok": False,
        "message": "no background worker has beaten in the last 60 s: start `manage.py worker`",
    }
    assert body["checks"]["database"]["ok"] is True


def test_healthz_answers_503_naming_unapplied_migrations(client, db, monkeypatch):
    beat(ago=0)
    pending = Migration("0099_new", "people")
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)])

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "message": "1 migrations are not applied (people.0099_new): run migrate",
    }


def test_healthz_answers_503_when_the_database_does_not_answer(client, db, monkeypatch):
    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": False, "message": "the database does not answer: OperationalError"},
        "migrations": {"ok": False, "message": "not checked: the database does not answer"},
        "worker": {"ok": False, "message": "not checked: the database does not answer"},
    }


def test_healthz_refuses_other_methods(client, db):
    assert client.post("/healthz").status_code == 405
