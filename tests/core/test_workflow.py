"""The workflow core (core.workflow) on a machine of its own, declared here over the catalogue's Programme (a model
with a state field and a django-rules permission): allowed and refused moves, the audit row, the `transitioned`
signal after commit and never after a rollback, system moves (`advance`), and the buttons a user is offered."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Programme
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import (
    Machine,
    Step,
    Transition,
    advance,
    allowed_transitions,
    transition,
    transition_label,
    transitioned,
)
from tests.factories import ProgrammeFactory, RoleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

P = ProgrammeStatus
PERMISSION = "catalog.publish_programme"  # the commission managing the programme holds it
seen: list[tuple] = []  # what each check saw: state, name_zh, actor, note, context


def _check(step: Step) -> None:
    seen.append((step.obj.status, step.obj.name_zh, step.actor, step.note, dict(step.context)))
    if step.context.get("refuse"):
        raise ApplicationError("Refused by the machine.", field="refuse")


def _apply(step: Step) -> list[str]:
    if "name_en" in step.context:
        step.obj.name_en = step.context["name_en"]
        return ["name_en"]
    return []


MACHINE = Machine(
    name="test_programme",
    model=Programme,
    state_field="status",
    transitions=(
        Transition(P.DRAFT, P.PUBLISHED, PERMISSION, label="Publish it", style="primary"),
        Transition(P.PUBLISHED, P.ARCHIVED, PERMISSION, note_required=True, note_message="Say why it ends."),
        Transition(P.ARCHIVED, P.DRAFT, ""),  # a system move: only a service makes it
    ),
    lock=lambda qs: qs.select_related("owner__region"),
    check=_check,
    apply=_apply,
    cannot_message="A test programme cannot go from “%(from)s” to “%(to)s”.",
    denied_message="Not yours to move.",
)


@pytest.fixture
def programme():
    return ProgrammeFactory(status=P.DRAFT)


@pytest.fixture
def manager(programme):
    return RoleFactory(role=Role.COMMISSION_ADMIN, organisation=programme.owner).user


@pytest.fixture
def stranger():
    return RoleFactory(role=Role.APPLICANT).user


@pytest.fixture
def announced():
    """What `transitioned` said, in order: (machine name, source, target, actor, note, obj pk)."""
    calls = []

    def listen(sender, machine, obj, transition, actor, note, **kwargs):
        if machine is MACHINE:
            calls.append((machine.name, transition.source, transition.target, actor, note, obj.pk))

    transitioned.connect(listen)
    yield calls
    transitioned.disconnect(listen)


def _snapshot(programme) -> tuple:
    row = Programme.objects.values_list("status", "name_zh", "name_en", "updated_at").get(pk=programme.pk)
    return row, AuditEvent.objects.filter(object_type="catalog.programme", object_id=str(programme.pk)).count()


# ---- the table ----------------------------------------------------------------------------------------------------


def test_the_table_is_keyed_by_source_and_target():
    assert set(MACHINE.table) == {(P.DRAFT, P.PUBLISHED), (P.PUBLISHED, P.ARCHIVED), (P.ARCHIVED, P.DRAFT)}
    assert MACHINE.action == "test_programme.transition"
    assert MACHINE.states_with_moves() == [P.DRAFT, P.PUBLISHED]  # a system move is nobody's to-do
    assert MACHINE.states_with_moves(PERMISSION) == [P.DRAFT, P.PUBLISHED]


def test_a_move_declared_twice_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        Machine(
            name="twice",
            model=Programme,
            state_field="status",
            transitions=(Transition(P.DRAFT, P.PUBLISHED, PERMISSION), Transition(P.DRAFT, P.PUBLISHED, PERMISSION)),
        )


def test_labels_are_the_transitions_or_the_target_states():
    publish, archive, _system = MACHINE.transitions
    assert (transition_label(MACHINE, publish), transition_label(MACHINE, archive)) == ("Publish it", "Archived")


# ---- allowed and refused moves ------------------------------------------------------------------------------------


def test_an_allowed_move_saves_audits_and_announces_after_commit(
    programme, manager, announced, django_capture_on_commit_callbacks
):
    seen.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = transition(
            MACHINE,
            programme,
            to=P.PUBLISHED,
            actor=manager,
            note="  ready  ",
            changes={"name_zh": "新名称"},
            context={"name_en": "New name"},
        )
        assert announced == []  # not before the commit

    assert len(callbacks) == 1
    assert announced == [("test_programme", P.DRAFT, P.PUBLISHED, manager, "ready", programme.pk)]
    fresh = Programme.objects.get(pk=programme.pk)
    assert (fresh.status, fresh.name_zh, fresh.name_en) == (P.PUBLISHED, "新名称", "New name")
    assert (result.status, programme.status, programme.name_zh, programme.name_en) == (
        P.PUBLISHED,
        P.PUBLISHED,
        "新名称",
        "New name",
    )
    event = AuditEvent.objects.get(object_type="catalog.programme", object_id=str(programme.pk))
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "test_programme.transition",
        manager,
        P.DRAFT,
        P.PUBLISHED,
        "ready",
    )
    # The check saw the locked row with the changes set, in its source state, and the context.
    assert seen == [(P.DRAFT, "新名称", manager, "ready", {"name_en": "New name"})]


def test_nothing_is_announced_when_the_transaction_rolls_back(
    programme, manager, announced, django_capture_on_commit_callbacks
):
    def move_then_fail():
        with transaction.atomic():
            transition(MACHINE, programme, to=P.PUBLISHED, actor=manager)
            raise RuntimeError("the calling service fails after the move")

    before = _snapshot(programme)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        move_then_fail()

    assert (callbacks, announced) == ([], [])
    assert _snapshot(programme) == before


def test_a_move_not_in_the_table_is_refused_and_changes_nothing(programme, manager, announced):
    before = _snapshot(programme)
    with pytest.raises(ApplicationError) as refused:
        transition(MACHINE, programme, to=P.ARCHIVED, actor=manager)
    assert (refused.value.field, refused.value.message) == (
        "status",
        "A test programme cannot go from “Draft” to “Archived”.",
    )
    assert _snapshot(programme) == before
    assert announced == []


@pytest.mark.parametrize("who", ["stranger", "nobody"])
def test_a_move_without_the_permission_is_denied_and_changes_nothing(request, programme, announced, who):
    actor = request.getfixturevalue("stranger") if who == "stranger" else None
    before = _snapshot(programme)
    with pytest.raises(PermissionDenied, match="Not yours to move."):
        transition(MACHINE, programme, to=P.PUBLISHED, actor=actor)
    assert _snapshot(programme) == before
    assert announced == []


def test_a_required_note_is_asked_for(programme, manager):
    Programme.objects.filter(pk=programme.pk).update(status=P.PUBLISHED)
    before = _snapshot(programme)
    with pytest.raises(ApplicationError) as refused:
        transition(MACHINE, programme, to=P.ARCHIVED, actor=manager, note="   ")
    assert (refused.value.field, refused.value.message) == ("note", "Say why it ends.")
    assert _snapshot(programme) == before
    transition(MACHINE, programme, to=P.ARCHIVED, actor=manager, note="the programme ended")
    assert Programme.objects.get(pk=programme.pk).status == P.ARCHIVED


def test_the_machines_check_refuses_and_nothing_changes(programme, manager, announced):
    before = _snapshot(programme)
    with pytest.raises(ApplicationError, match="Refused by the machine."):
        transition(MACHINE, programme, to=P.PUBLISHED, actor=manager, changes={"name_zh": "x"}, context={"refuse": 1})
    assert _snapshot(programme) == before
    assert announced == []


def test_the_state_is_read_from_the_locked_row_not_the_callers_copy(programme, manager):
    """A stale object (another request published it meanwhile) cannot be published twice."""
    Programme.objects.filter(pk=programme.pk).update(status=P.PUBLISHED)
    with pytest.raises(ApplicationError):
        transition(MACHINE, programme, to=P.PUBLISHED, actor=manager)


def test_a_failing_listener_is_logged_and_the_move_stays(
    programme, manager, caplog, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise RuntimeError("mail server down")

    transitioned.connect(broken)
    try:
        with (
            caplog.at_level(logging.ERROR, logger="medtalent.core.workflow"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            transition(MACHINE, programme, to=P.PUBLISHED, actor=manager)
    finally:
        transitioned.disconnect(broken)
    assert Programme.objects.get(pk=programme.pk).status == P.PUBLISHED
    assert any("mail server down" in (r.exc_text or "") or r.exc_info for r in caplog.records)


# ---- system moves ---------------------------------------------------------------------------------------------------


def test_a_system_move_needs_no_permission_and_no_actor(programme, announced, django_capture_on_commit_callbacks):
    Programme.objects.filter(pk=programme.pk).update(status=P.ARCHIVED)
    with django_capture_on_commit_callbacks(execute=True):
        transition(MACHINE, programme, to=P.DRAFT, actor=None, note="by the system")
    event = AuditEvent.objects.get(object_type="catalog.programme", object_id=str(programme.pk))
    assert (event.actor, event.from_state, event.to_state) == (None, P.ARCHIVED, P.DRAFT)
    assert announced == [("test_programme", P.ARCHIVED, P.DRAFT, None, "by the system", programme.pk)]


def test_advance_moves_once_with_one_conditional_update(programme, announced, django_capture_on_commit_callbacks):
    Programme.objects.filter(pk=programme.pk).update(status=P.ARCHIVED)
    programme.status = P.ARCHIVED
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        assert advance(MACHINE, programme, to=P.DRAFT, values={"name_en": "Claimed"}) is True
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # the UPDATE … WHERE status = 'archived', the audit chain's head (issue 10), the audit row
    assert len(statements) == 3
    assert statements[0].startswith('UPDATE "catalog_programme"')
    assert """"catalog_programme"."status" = 'archived'""" in statements[0]  # the claim's condition
    fresh = Programme.objects.get(pk=programme.pk)
    assert (fresh.status, fresh.name_en, programme.status, programme.name_en) == (
        P.DRAFT,
        "Claimed",
        P.DRAFT,
        "Claimed",
    )
    assert announced == [("test_programme", P.ARCHIVED, P.DRAFT, None, "", programme.pk)]

    before = _snapshot(programme)
    stale = Programme.objects.get(pk=programme.pk)
    stale.status = P.ARCHIVED  # another worker's copy, read before the first claim
    assert advance(MACHINE, stale, to=P.DRAFT) is False
    assert _snapshot(programme) == before
    assert len(announced) == 1


def test_advance_is_only_for_system_moves(programme):
    with pytest.raises(ValueError, match="no system move"):
        advance(MACHINE, programme, to=P.PUBLISHED)


# ---- the buttons ------------------------------------------------------------------------------------------------------


def test_allowed_transitions_for_a_user_with_and_without_the_permission(programme, manager, stranger):
    assert allowed_transitions(MACHINE, programme, manager) == [MACHINE.table[(P.DRAFT, P.PUBLISHED)]]
    assert allowed_transitions(MACHINE, programme, stranger) == []


def test_anonymous_users_are_offered_nothing(programme):
    assert allowed_transitions(MACHINE, programme, AnonymousUser()) == []
    assert allowed_transitions(MACHINE, programme, None) == []


def test_system_moves_are_never_offered(programme, manager):
    programme.status = P.ARCHIVED
    assert allowed_transitions(MACHINE, programme, manager) == []
    manager.is_superuser = True  # not even to a superuser, who holds every permission
    assert allowed_transitions(MACHINE, programme, manager) == []
