"""The programme state machine: every pair allowed or forbidden, by whom, with its audit row."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.services import programme_set_status
from medtalent.catalog.workflow import PROGRAMME
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from tests.factories import CommissionFactory, ProgrammeFactory, RoleFactory, code

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.permutations(ProgrammeStatus.values, 2))


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_transition_table_by_the_owning_commission(source, target):
    programme = ProgrammeFactory(status=source)
    admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=programme.owner).user
    if (source, target) in PROGRAMME.table:
        programme_set_status(actor=admin, programme=programme, status=target, note="ok")
        programme.refresh_from_db()
        assert programme.status == target
        event = AuditEvent.objects.get(object_type="catalog.programme", object_id=str(programme.pk))
        assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
            "programme.status",
            admin,
            source,
            target,
            "ok",
        )
    else:
        with pytest.raises(ApplicationError) as excinfo:
            programme_set_status(actor=admin, programme=programme, status=target)
        assert excinfo.value.field == "status"
        programme.refresh_from_db()
        assert programme.status == source
        assert not AuditEvent.objects.filter(object_id=str(programme.pk), object_type="catalog.programme").exists()


def test_transition_table_has_exactly_the_intended_pairs():
    assert set(PROGRAMME.table) == {
        ("draft", "published"),
        ("published", "draft"),
        ("published", "archived"),
        ("archived", "published"),
    }


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.UNIT_ADMIN, Role.REVIEWER, Role.HOST_COORDINATOR])
def test_other_roles_cannot_publish_and_nothing_changes(role):
    programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    user = RoleFactory(role=role, organisation=programme.owner if role != Role.APPLICANT else None).user
    if role == Role.REVIEWER:
        user.roles.update(organisation=None)
    with pytest.raises(PermissionDenied):
        programme_set_status(actor=user, programme=programme, status=ProgrammeStatus.PUBLISHED)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    assert AuditEvent.objects.filter(object_type="catalog.programme", object_id=str(programme.pk)).count() == 0


def test_commission_outside_the_jurisdiction_cannot_publish_and_nothing_changes():
    programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT, owner=CommissionFactory(region=code("region", "330300")))
    guangxi = RoleFactory(
        role=Role.COMMISSION_ADMIN, organisation=CommissionFactory(region=code("region", "450000"))
    ).user
    with pytest.raises(PermissionDenied):
        programme_set_status(actor=guangxi, programme=programme, status=ProgrammeStatus.PUBLISHED)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    assert AuditEvent.objects.filter(object_type="catalog.programme", object_id=str(programme.pk)).count() == 0


def test_province_commission_manages_a_city_commissions_programme():
    programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT, owner=CommissionFactory(region=code("region", "330300")))
    province = RoleFactory(
        role=Role.COMMISSION_ADMIN, organisation=CommissionFactory(region=code("region", "330000"))
    ).user
    programme_set_status(actor=province, programme=programme, status=ProgrammeStatus.PUBLISHED)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PUBLISHED
