"""The audit trail: append-only (application and database), the actor kept after the account is deleted, the hash
chain and `manage.py verify_audit` on a clean and on a tampered trail. Tampering drops the trigger inside the
test's transaction (DDL is transactional on SQLite and PostgreSQL), so the rollback puts it back."""

from __future__ import annotations

import gc
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from medtalent.core import auditchain
from medtalent.core.caching import _ProcessCache
from medtalent.core.models import AppendOnlyError, AuditEvent
from medtalent.core.services import audit_log, audit_log_many
from tests.factories import OrganisationFactory, UserFactory, code

pytestmark = pytest.mark.django_db
VENDOR = connection.vendor


def _log(actor=None, n: int = 3) -> list[AuditEvent]:
    target = OrganisationFactory(region=code("region", "330102"))
    return [
        audit_log(actor=actor, action=f"test.step{i}", obj=target, from_state="a", to_state="b", data={"n": i})
        for i in range(n)
    ]


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _drop_trigger() -> None:
    auditchain.drop_triggers(connection)


def test_audit_log_chains_each_event_onto_the_one_before():
    before = AuditEvent.objects.order_by("id").last()
    user = UserFactory(username="auditor-one")
    first, second = _log(actor=user, n=2)
    assert first.prev_hash == (before.hash if before else auditchain.GENESIS)
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64
    stored = AuditEvent.objects.values(*auditchain.HASHED_FIELDS).get(pk=second.pk)
    assert auditchain.event_hash(first.hash, stored) == second.hash
    assert (second.actor_id, second.actor_username, second.region_code) == (user.pk, "auditor-one", "330102")


def test_audit_log_costs_one_query_more_than_the_insert(django_assert_num_queries):
    target = OrganisationFactory(region=None)
    with django_assert_num_queries(2):
        audit_log(actor=None, action="test.one", obj=target)


def test_audit_log_many_chains_a_batch_in_two_queries(django_assert_num_queries):
    targets = [OrganisationFactory(region=None) for _ in range(3)]
    with django_assert_num_queries(2):
        events = audit_log_many(actor=None, entries=[("test.many", t, {"fields": ["name"]}) for t in targets])
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert "intact" in _verify()


def test_the_data_is_hashed_as_it_reads_back():
    target = OrganisationFactory(region=None)
    event = audit_log(actor=None, action="test.tuple", obj=target, data={"fields": ("a", "b"), 1: "x"})
    assert AuditEvent.objects.get(pk=event.pk).data == {"fields": ["a", "b"], "1": "x"}
    assert "intact" in _verify()


def test_the_application_cannot_change_or_delete_an_event():
    event = _log(n=1)[0]
    before = list(AuditEvent.objects.order_by("id").values())
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update's own atomic is broken by the refusal
        AuditEvent.objects.bulk_update([event], ["note"])
    assert list(AuditEvent.objects.order_by("id").values()) == before


@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET note = 'x'", "DELETE FROM core_auditevent"])
def test_the_database_refuses_update_and_delete(statement):
    _log(n=2)
    before = list(AuditEvent.objects.order_by("id").values())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement)
    assert list(AuditEvent.objects.order_by("id").values()) == before


@pytest.mark.skipif(VENDOR != "sqlite", reason="the unlock table is SQLite's (its flush deletes row by row)")
def test_sqlite_deletes_only_while_the_unlock_table_holds_a_row():
    _log(n=2)
    _sql(f"INSERT INTO {auditchain.UNLOCK_TABLE} (reason) VALUES ('flush a test database')")
    _sql("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 0
    _log(n=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE core_auditevent SET note = 'x'")  # the unlock table never opens UPDATE


def test_deleting_a_user_keeps_their_events_id_and_name():
    user = UserFactory(username="leaver")
    events = _log(actor=user, n=2)
    user_pk = user.pk
    user.delete()
    rows = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("actor_id", "actor_username"))
    assert rows == [(user_pk, "leaver"), (user_pk, "leaver")]
    shown = AuditEvent.objects.select_related("actor").get(pk=events[0].pk)
    assert shown.actor is None  # the account is gone; its id and name stay
    assert "intact" in _verify()


def test_verify_audit_on_a_clean_trail():
    _log(n=3)
    total = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("id").last().hash
    assert _verify() == f"The audit trail is intact: {total} events; head {head}.\n"
    assert _verify("--head", head) == f"The audit trail is intact: {total} events; head {head}.\n"


def test_verify_audit_names_an_altered_event():
    events = _log(n=3)
    _drop_trigger()
    _sql("UPDATE core_auditevent SET note = %s WHERE id = %s", ["rewritten", events[1].pk])
    auditchain.install_triggers(connection)
    with pytest.raises(CommandError) as error:
        _verify()
    assert f"altered: event #{events[1].pk} does not match its hash" in str(error.value)


def test_verify_audit_names_an_altered_actor_or_scope():
    events = _log(n=2)
    _drop_trigger()
    _sql("UPDATE core_auditevent SET region_code = '110000' WHERE id = %s", [events[0].pk])
    auditchain.install_triggers(connection)
    with pytest.raises(CommandError, match=f"altered: event #{events[0].pk} "):
        _verify()


def test_verify_audit_names_the_break_where_events_are_missing():
    events = _log(n=3)
    _drop_trigger()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    auditchain.install_triggers(connection)
    with pytest.raises(CommandError) as error:
        _verify()
    assert f"missing: the chain breaks before event #{events[2].pk}" in str(error.value)
    assert f"after event #{events[0].pk}" in str(error.value)


def test_verify_audit_with_the_last_head_finds_events_deleted_at_the_end():
    events = _log(n=3)
    head = events[-1].hash
    _drop_trigger()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    auditchain.install_triggers(connection)
    assert "intact" in _verify()  # without an anchor, a cut tail looks whole
    with pytest.raises(CommandError, match=f"the chain no longer passes through the head {head}"):
        _verify("--head", head)


def test_verify_audit_fails_without_the_triggers():
    _log(n=1)
    _drop_trigger()
    with pytest.raises(CommandError, match="append-only trigger"):
        _verify()


@pytest.fixture(scope="module")
def seeds_again(django_db_blocker):
    """After this module: the seeds a transactional test's flush removed, and no memo of the old rows."""
    ran = []
    yield ran
    if ran:
        with django_db_blocker.unblock():
            call_command("load_seeds", stdout=StringIO(), stderr=StringIO())
        for memo in (obj for obj in gc.get_objects() if isinstance(obj, _ProcessCache)):
            memo.cache_clear()


# --- concurrent writers (PostgreSQL: SQLite serialises every writer by its IMMEDIATE transactions) -----------


@pytest.mark.skipif(VENDOR != "postgresql", reason="needs concurrent connections; SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(seeds_again):
    seeds_again.append(True)
    target = OrganisationFactory(region=None)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write():
        try:
            barrier.wait(timeout=10)
            for i in range(10):
                with transaction.atomic():
                    audit_log(actor=None, action=f"race.{i}", obj=target)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.filter(action__startswith="race.").count() == 40
    assert AuditEvent.objects.values("prev_hash").distinct().count() == AuditEvent.objects.count()
    assert "intact" in _verify()
