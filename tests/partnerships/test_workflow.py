"""The agreement machine as the notices and the to-do list read it: who is told of each move, who is offered which
move, and the announcement after commit of a real approval."""

from __future__ import annotations

import pytest

from medtalent.accounts.enums import Role
from medtalent.core.workflow import allowed_transitions, transitioned
from medtalent.partnerships import services
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.workflow import AGREEMENT
from tests.helpers import make_user
from tests.partnerships.conftest import COMMISSION_CODE

pytestmark = pytest.mark.django_db
S = AgreementState


@pytest.fixture
def agreement(pairing, commission):
    return services.agreement_create_from_template(actor=commission, pairing=pairing)


def test_who_is_told_of_each_move():
    assert {key: move.notify for key, move in AGREEMENT.table.items()} == {
        (S.DRAFT, S.AWAITING_APPROVAL): ("other_party",),
        (S.AWAITING_APPROVAL, S.APPROVED): ("parties", "commission"),
        (S.AWAITING_APPROVAL, S.DRAFT): ("parties",),
        (S.APPROVED, S.SUPERSEDED): (),
    }
    assert AGREEMENT.table[(S.APPROVED, S.SUPERSEDED)].system  # made by the approval of the newer version


def test_the_audiences_of_an_agreement(agreement, commission, supporting_admin, supported_admin):
    other_commission = make_user(Role.COMMISSION_ADMIN, COMMISSION_CODE)
    assert set(AGREEMENT.recipients(agreement, "parties")) == {supporting_admin, supported_admin}
    assert set(AGREEMENT.recipients(agreement, "commission")) == {commission, other_commission}
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert list(AGREEMENT.recipients(agreement, "other_party")) == [supported_admin]  # its approval is missing
    with pytest.raises(ValueError, match="unknown audience"):
        AGREEMENT.recipients(agreement, "everybody")


def test_the_moves_offered(agreement, commission, supporting_admin, supported_admin):
    assert [m.target for m in allowed_transitions(AGREEMENT, agreement, supporting_admin)] == [S.AWAITING_APPROVAL]
    assert allowed_transitions(AGREEMENT, agreement, commission) == []  # the commission approves nothing
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert [m.target for m in allowed_transitions(AGREEMENT, agreement, supporting_admin)] == [S.DRAFT]
    assert [m.target for m in allowed_transitions(AGREEMENT, agreement, supported_admin)] == [S.APPROVED, S.DRAFT]
    assert [m.target for m in allowed_transitions(AGREEMENT, agreement, commission)] == [S.DRAFT]


def test_an_approval_is_announced_after_commit(agreement, supporting_admin, django_capture_on_commit_callbacks):
    heard = []

    def listen(sender, machine, obj, transition, actor, **kwargs):
        heard.append((machine.name, transition.target, actor, obj.pk))

    transitioned.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.agreement_approve(actor=supporting_admin, agreement=agreement)
            assert heard == []
    finally:
        transitioned.disconnect(listen)
    assert heard == [("agreement", S.AWAITING_APPROVAL, supporting_admin, agreement.pk)]
