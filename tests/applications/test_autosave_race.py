"""The autosave racing the submission, with real concurrent requests on PostgreSQL: two threads, each with its own
client and database connection, post the autosave and the submit of the same application at the same moment, many
times. Whatever the order, what was submitted is what stays: an autosave that arrives after the submission is
refused (`services.application_update` locks the row and reads its state again), never written.

A transactional test (the two connections must see each other's commits) empties the database when it ends,
including the seed data the session loaded (tests/conftest.py); this module loads the seeds again afterwards and
forgets the reference data the process memoised, so the tests that run after it find the database as before.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.core.caching import _ProcessCache
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import transitioned
from tests.applications.conftest import COMPLETE_FORM, give_consent
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoleFactory,
    RoundFactory,
    code,
)

TRIALS = 25
FIELDS = ("reason", "plan_purpose", "plan_content", "plan_goals", "requested_department")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks and concurrent connections: SQLite serialises every writer, the PostgreSQL run covers this",
)


@pytest.fixture(scope="module")
def seeds_again(django_db_blocker):
    """After this module: the seeds the transactional test's flush removed, and no memo of the old rows."""
    ran = []
    yield ran
    if ran:
        with django_db_blocker.unblock():
            call_command("load_seeds", stdout=StringIO(), stderr=StringIO())
        for memo in (obj for obj in gc.get_objects() if isinstance(obj, _ProcessCache)):
            memo.cache_clear()


def _post(client: Client, url: str, data: dict, barrier: threading.Barrier, answers: list) -> None:
    try:
        barrier.wait(timeout=10)
        answers.append(client.post(url, data).status_code)
    finally:
        connections.close_all()  # this thread's connection


@pytest.mark.django_db(transaction=True)
def test_an_autosave_never_changes_a_submitted_application(seeds_again):
    seeds_again.append(True)
    today = timezone.localdate()
    unit = OrganisationFactory(region=code("region", "350102"))
    programme = ProgrammeFactory(owner=CommissionFactory(region=code("region", "350000")))
    user = RoleFactory(role=Role.APPLICANT).user
    person = PersonFactory(user=user, employer=unit, name="赛跑测试", id_number="350102198503151236")
    give_consent(person)

    submitted: dict[int, dict] = {}

    def remember(sender, machine, obj, transition, **kwargs):
        # What the submission saved, from the locked row it wrote (sent after its commit).
        if machine.name == "application" and transition.target == ApplicationState.SUBMITTED:
            submitted[obj.pk] = {name: getattr(obj, name) for name in FIELDS}

    transitioned.connect(remember)
    try:
        for trial in range(TRIALS):
            round_ = RoundFactory(
                programme=programme,
                application_opens=today - dt.timedelta(days=1),
                application_closes=today + dt.timedelta(days=30),
            )
            application = Application.objects.create(
                person=person, round=round_, unit=unit, **{**COMPLETE_FORM, "requested_duration": 3}
            )
            typed = {**COMPLETE_FORM, "reason": f"提交时的理由{trial}", "plan_goals": f"提交时的目标{trial}"}
            late = {**COMPLETE_FORM, "reason": f"自动保存的理由{trial}", "plan_goals": f"自动保存的目标{trial}"}
            clients = [Client(), Client()]
            for client in clients:
                client.force_login(user)
            barrier, answers = threading.Barrier(2), []
            threads = [
                threading.Thread(
                    target=_post,
                    args=(clients[0], reverse("applications:submit", args=[application.pk]), typed, barrier, answers),
                ),
                threading.Thread(
                    target=_post,
                    args=(clients[1], reverse("applications:autosave", args=[application.pk]), late, barrier, answers),
                ),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert sorted(answers) == [200, 302], answers

            fresh = Application.objects.get(pk=application.pk)
            assert fresh.state == ApplicationState.SUBMITTED
            now = {name: getattr(fresh, name) for name in FIELDS}
            assert now == submitted[application.pk], f"trial {trial}: changed after the submission"
            events = list(
                AuditEvent.objects.filter(object_id=str(application.pk), object_type="applications.application")
                .order_by("id")
                .values_list("action", flat=True)
            )
            assert events[-1] == "application.transition", f"trial {trial}: {events}"
    finally:
        transitioned.disconnect(remember)
