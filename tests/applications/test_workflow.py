"""The machines of applications as the notices and the to-do list read them (audiences → users), the import job's
table (system moves only, made by one conditional UPDATE), and what the applicant's edits leave in the audit trail:
one row per autosave naming the changed fields, one per change of preferences, none after the submission."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.accounts.enums import Role
from medtalent.applications import services
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application, ImportJob
from medtalent.applications.workflow import APPLICATION, IMPORT_JOB
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import advance, allowed_transitions
from tests.applications.conftest import COMPLETE_FORM, snapshot
from tests.factories import ApplicationFactory, CommissionFactory, OfferingFactory, RoleFactory, code

S = ApplicationState
J = ImportJob.State
FORM = {**COMPLETE_FORM, "requested_duration": 3}


# ---- who is told ------------------------------------------------------------------------------------------------------


def test_every_audience_of_the_application_machine_is_known(world):
    application = ApplicationFactory(person=world.person, round=world.round)
    for move in APPLICATION.transitions:
        for audience in move.notify:
            list(APPLICATION.recipients(application, audience))
    with pytest.raises(ValueError, match="unknown audience"):
        APPLICATION.recipients(application, "everybody")


def test_the_audiences_of_an_application(world, django_assert_num_queries):
    application = ApplicationFactory(person=world.person, round=world.round)
    application = Application.objects.select_related("person", "round__programme__owner__region").get(pk=application.pk)
    colleague = RoleFactory(role=Role.UNIT_ADMIN, organisation=world.unit).user
    inactive = RoleFactory(role=Role.UNIT_ADMIN, organisation=world.unit).user
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    # A city commission under the programme's provincial owner does not manage it; the owner's own does.
    city = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=CommissionFactory(region=code("region", "350100")))
    with django_assert_num_queries(1):
        assert list(APPLICATION.recipients(application, "applicant")) == [world.user("owner")]
    with django_assert_num_queries(1):
        assert set(APPLICATION.recipients(application, "unit")) == {world.user("unit_admin"), colleague}
    with django_assert_num_queries(1):
        commission = set(APPLICATION.recipients(application, "commission"))
    assert world.user("commission_in") in commission
    assert city.user not in commission
    assert world.user("commission_out") not in commission


def test_who_is_told_of_each_move():
    notify = {key: move.notify for key, move in APPLICATION.table.items()}
    assert notify == {
        (S.DRAFT, S.SUBMITTED): ("unit",),
        (S.RETURNED, S.SUBMITTED): ("unit",),
        (S.SUBMITTED, S.RECOMMENDED): ("applicant", "commission"),
        (S.SUBMITTED, S.RETURNED): ("applicant",),
        (S.SUBMITTED, S.REJECTED): ("applicant",),
        (S.DRAFT, S.WITHDRAWN): (),
        (S.SUBMITTED, S.WITHDRAWN): ("unit",),
        (S.RETURNED, S.WITHDRAWN): ("unit",),
    }


@pytest.mark.parametrize(
    ("state", "role", "targets"),
    [
        (S.DRAFT, "owner", [S.SUBMITTED, S.WITHDRAWN]),
        (S.SUBMITTED, "owner", [S.WITHDRAWN]),
        (S.SUBMITTED, "unit_admin", [S.RECOMMENDED, S.RETURNED, S.REJECTED]),
        (S.SUBMITTED, "commission_in", []),
        (S.RECOMMENDED, "owner", []),
        (S.DRAFT, "anonymous", []),
    ],
)
def test_the_moves_offered_to_each(world, state, role, targets):
    application = ApplicationFactory(person=world.person, round=world.round, state=state)
    user = world.user(role)
    offered = allowed_transitions(APPLICATION, application, user) if user is not None else []
    assert [move.target for move in offered] == targets


# ---- the import job: system moves ---------------------------------------------------------------------------------------


@pytest.fixture
def job(world):
    return ImportJob.objects.create(
        unit=world.unit,
        round=world.round,
        uploaded_by=world.user("unit_admin"),
        file="imports/test.xlsx",
        original_name="报名.xlsx",
    )


@pytest.mark.parametrize(("source", "target"), list(itertools.product(J.values, J.values)))
def test_import_job_table(job, source, target):
    ImportJob.objects.filter(pk=job.pk).update(state=source)
    job.state = source
    moves = AuditEvent.objects.filter(action="import_job.transition")
    if (source, target) in IMPORT_JOB.table:
        assert advance(IMPORT_JOB, job, to=target) is True
        assert ImportJob.objects.get(pk=job.pk).state == target
        assert list(moves.values_list("from_state", "to_state", "actor")) == [(source, target, None)]
    elif any(move.target == target for move in IMPORT_JOB.transitions):
        assert advance(IMPORT_JOB, job, to=target) is False  # not from this state: nothing written
        assert (ImportJob.objects.get(pk=job.pk).state, moves.count()) == (source, 0)
    else:
        with pytest.raises(ValueError, match="no system move"):
            advance(IMPORT_JOB, job, to=target)
        assert (ImportJob.objects.get(pk=job.pk).state, moves.count()) == (source, 0)


def test_import_job_moves_are_the_workers_only(job, world):
    assert {move.permission for move in IMPORT_JOB.transitions} == {""}
    assert allowed_transitions(IMPORT_JOB, job, world.user("unit_admin")) == []
    assert list(IMPORT_JOB.recipients(job, "uploader")) == [world.user("unit_admin")]


# ---- the applicant's edits -----------------------------------------------------------------------------------------------


def test_an_autosave_is_audited_with_the_changed_fields_only(world):
    application = ApplicationFactory(person=world.person, round=world.round)
    owner = world.user("owner")

    services.application_update(
        actor=owner,
        application=application,
        data={"reason": "新的理由", "plan_goals": "目标", "requested_department": ""},
    )
    services.application_update(actor=owner, application=application, data={"reason": "新的理由"})  # no change

    events = AuditEvent.objects.filter(action="application.update", object_id=str(application.pk))
    assert [(e.actor, e.data) for e in events] == [(owner, {"fields": ["reason", "plan_goals"]})]
    assert events[0].note == ""  # the values typed stay out of the audit trail


def test_a_change_of_preferences_is_audited_once(world):
    application = ApplicationFactory(person=world.person, round=world.round)
    first, second = OfferingFactory(round=world.round), OfferingFactory(round=world.round)
    owner = world.user("owner")

    services.application_set_preferences(actor=owner, application=application, offerings=[first, second])
    services.application_set_preferences(actor=owner, application=application, offerings=[first, second])
    services.application_set_preferences(actor=owner, application=application, offerings=[second])

    events = AuditEvent.objects.filter(action="application.preferences", object_id=str(application.pk)).order_by("id")
    assert [e.data for e in events] == [
        {"before": [], "offerings": [first.pk, second.pk]},
        {"before": [first.pk, second.pk], "offerings": [second.pk]},
    ]
    assert list(application.preferences.values_list("offering_id", "rank")) == [(second.pk, 1)]


def test_the_history_leaves_out_the_autosaves(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, **FORM)
    services.application_update(actor=world.user("owner"), application=application, data={"reason": "改"})
    response = login(world.user("owner")).get(f"/applications/{application.pk}/")
    assert [e.action for e in response.context["history"]] == []


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("state", [S.SUBMITTED, S.RECOMMENDED, S.WITHDRAWN])
def test_a_stale_copy_cannot_change_a_submitted_application(world, state):
    """The autosave reads the state again on the locked row: a request that loaded the form before the submission
    is refused, and nothing changes."""
    application = ApplicationFactory(person=world.person, round=world.round, **FORM)
    Application.objects.filter(pk=application.pk).update(state=state)
    offering = OfferingFactory(round=world.round)
    before = snapshot()

    with pytest.raises(ApplicationError) as refused:
        services.application_update(actor=world.user("owner"), application=application, data={"reason": "晚到的修改"})
    assert (refused.value.field, refused.value.message) == (
        "state",
        "This application has been submitted and can no longer be edited.",
    )
    with pytest.raises(ApplicationError):
        services.application_set_preferences(actor=world.user("owner"), application=application, offerings=[offering])
    assert snapshot() == before
    assert application.state == state  # the caller's copy learns the state


@pytest.mark.parametrize("role", ["unit_admin", "commission_in", "other_applicant"])
def test_only_the_applicant_edits(world, role):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.application_update(actor=world.user(role), application=application, data={"reason": "别人改的"})
    with pytest.raises(PermissionDenied):
        services.application_set_preferences(actor=world.user(role), application=application, offerings=[])
    assert snapshot() == before
