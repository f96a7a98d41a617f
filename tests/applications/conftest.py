"""A small world for the application pages: one sending unit with an applicant and a colleague, another
unit, commissions inside and outside the unit's jurisdiction, a reviewer, a host coordinator, and an open
round of a programme owned by the commission inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.applications.models import Application, Preference
from medtalent.core.models import AuditEvent
from medtalent.people.models import Consent
from medtalent.people.selectors import current_privacy_notice
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoleFactory,
    RoundFactory,
    code,
)
from tests.helpers import rows

ROLES = (
    "owner",
    "other_applicant",
    "unit_admin",
    "other_unit_admin",
    "commission_in",
    "commission_out",
    "reviewer",
    "host",
    "anonymous",
)


@dataclass
class World:
    unit: object
    other_unit: object
    programme: object
    round: object
    person: object
    users: dict

    def user(self, role: str):
        return self.users.get(role)


def give_consent(person) -> None:
    """The general consent and the separate one for sensitive information (both needed to submit)."""
    Consent.objects.get_or_create(person=person, notice=current_privacy_notice())
    Consent.objects.get_or_create(person=person, notice=current_privacy_notice(kind="sensitive"))


def open_round(**kwargs):
    today = timezone.localdate()
    kwargs.setdefault("application_opens", today - dt.timedelta(days=5))
    kwargs.setdefault("application_closes", today + dt.timedelta(days=30))
    return RoundFactory(**kwargs)


@pytest.fixture
def world(db) -> World:
    unit = OrganisationFactory(region=code("region", "350102"))
    other_unit = OrganisationFactory(region=code("region", "360102"))
    commission_in = CommissionFactory(region=code("region", "350000"))
    commission_out = CommissionFactory(region=code("region", "360000"))
    programme = ProgrammeFactory(owner=commission_in)
    round_ = open_round(programme=programme)

    users = {}
    users["owner"] = RoleFactory(role=Role.APPLICANT).user
    person = PersonFactory(user=users["owner"], employer=unit, name="王晓明", id_number="350102198503151236")
    give_consent(person)
    users["other_applicant"] = RoleFactory(role=Role.APPLICANT).user
    PersonFactory(user=users["other_applicant"], employer=unit, name="李其他", id_number="350102198601011234")
    users["unit_admin"] = RoleFactory(role=Role.UNIT_ADMIN, organisation=unit).user
    users["other_unit_admin"] = RoleFactory(role=Role.UNIT_ADMIN, organisation=other_unit).user
    users["commission_in"] = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission_in).user
    users["commission_out"] = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission_out).user
    users["reviewer"] = RoleFactory(role=Role.REVIEWER).user
    users["host"] = RoleFactory(role=Role.HOST_COORDINATOR, organisation=OrganisationFactory()).user
    users["anonymous"] = None
    return World(unit=unit, other_unit=other_unit, programme=programme, round=round_, person=person, users=users)


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


def snapshot() -> dict:
    """Everything a denied request must leave as it was: applications, preferences, the audit trail."""
    return rows(Application, Preference, AuditEvent)


COMPLETE_FORM = {
    "requested_duration": "3",
    "requested_duration_unit": "month",
    "requested_department": "心血管内科",
    "reason": "提高介入诊疗水平",
    "plan_purpose": "学习先进技术",
    "plan_content": "冠脉介入、结构性心脏病",
    "plan_goals": "回院开展新技术两项",
}
