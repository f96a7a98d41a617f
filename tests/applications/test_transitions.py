"""The application state machine: every (from, to) pair of states, by the role the table names and by
the wrong ones. Allowed: the state moves and one audit row says who, from, to. Denied: nothing changes."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.applications.services import application_transition
from medtalent.applications.workflow import APPLICATION
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from tests.applications.conftest import COMPLETE_FORM, snapshot
from tests.factories import ApplicationFactory

S = ApplicationState
# Who holds each permission the table names (the applicant's own application, the unit's administrator).
HOLDER = {
    "applications.submit_application": "owner",
    "applications.withdraw_application": "owner",
    "applications.decide_application": "unit_admin",
}
ACTORS = ("owner", "unit_admin", "commission_in", "other_applicant")
FORM = {**COMPLETE_FORM, "requested_duration": 3}
CASES = [(f, t, actor) for f, t in itertools.product(S.values, S.values) for actor in ACTORS]


def test_the_table_names_only_known_permissions():
    assert {move.permission for move in APPLICATION.transitions} == set(HOLDER)
    assert len(CASES) == 6 * 6 * 4


@pytest.mark.parametrize(("from_state", "to_state", "actor"), CASES)
def test_transition(world, from_state, to_state, actor):
    # A complete form in an open round, by a person who agreed to the privacy notice: what a submission needs.
    application = ApplicationFactory(person=world.person, round=world.round, state=from_state, **FORM)
    user = world.user(actor)
    move = APPLICATION.table.get((from_state, to_state))
    permission = move.permission if move is not None else None
    before = snapshot()

    if permission is not None and HOLDER[permission] == actor:
        result = application_transition(actor=user, application=application, to=to_state, comment="说明")

        assert result.state == to_state
        assert Application.objects.get(pk=application.pk).state == to_state
        event = AuditEvent.objects.get(object_type="applications.application", object_id=str(application.pk))
        assert (event.action, event.actor_id, event.from_state, event.to_state, event.note) == (
            "application.transition",
            user.pk,
            from_state,
            to_state,
            "说明",
        )
    else:
        expected = ApplicationError if permission is None else PermissionDenied
        with pytest.raises(expected):
            application_transition(actor=user, application=application, to=to_state, comment="说明")

        assert snapshot() == before
        assert Application.objects.get(pk=application.pk).state == from_state
