"""The stint machine as the notices and the to-do list read it: who is told of each move and who they are."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.accounts.enums import Role
from medtalent.core.workflow import allowed_transitions
from medtalent.stints.enums import StintState
from medtalent.stints.services import inbound_trainee_create
from medtalent.stints.workflow import STINT
from tests.helpers import make_user
from tests.stints.conftest import FOREIGN, MEMBER_HOST, org

pytestmark = pytest.mark.django_db
S = StintState


def test_who_is_told_of_each_move():
    assert {key: move.notify for key, move in STINT.table.items()} == {
        (S.PLANNED, S.ACTIVE): ("home",),
        (S.ACTIVE, S.COMPLETED): ("home", "host"),
        (S.PLANNED, S.CANCELLED): ("home", "host"),
        (S.ACTIVE, S.CANCELLED): ("home", "host"),
    }
    assert [key for key, move in STINT.table.items() if move.note_required] == [(S.ACTIVE, S.CANCELLED)]


def test_the_audiences_of_a_dispatch(dispatch, users, supporting):
    colleague = make_user(Role.UNIT_ADMIN, supporting)
    assert set(STINT.recipients(dispatch, "home")) == {users["supporting_admin"], colleague}
    assert list(STINT.recipients(dispatch, "host")) == [users["supported_admin"]]
    with pytest.raises(ValueError, match="unknown audience"):
        STINT.recipients(dispatch, "everybody")


def test_the_home_of_an_inbound_trainee_is_its_alliance_secretariat(users, committee):
    stint = inbound_trainee_create(
        actor=users["secretariat"],
        name="John Smith",
        home=org(FOREIGN),
        host=org(MEMBER_HOST),
        committee=committee,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    assert list(STINT.recipients(stint, "home")) == [users["secretariat"]]
    assert list(STINT.recipients(stint, "host")) == [users["member_host_admin"]]


def test_the_moves_offered(dispatch, users):
    offered = {who: [m.target for m in allowed_transitions(STINT, dispatch, user)] for who, user in users.items()}
    assert {who: targets for who, targets in offered.items() if targets} == {
        "supported_admin": [S.ACTIVE],
        "supporting_admin": [S.CANCELLED],
        "commission": [S.CANCELLED],
    }
