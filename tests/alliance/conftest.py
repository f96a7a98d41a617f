"""Fixtures for the alliance's tests: the seeded alliance, users in every role, a snapshot of what may change."""

from __future__ import annotations

import pytest
from django.conf import settings

from medtalent.accounts.enums import Role
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.core.models import AuditEvent
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation
from tests.factories import CommissionFactory, OrganisationFactory, RoleFactory, UserFactory
from tests.helpers import rows

ALLIANCE = "bri-medical-talent-alliance"
EVENT = "2019-10-vienna-delegation"
PARTNER = "mayo-clinic"  # a partner abroad (US)
MEMBER = "fudan-zhongshan-hospital"  # a Chinese member institution

# Everybody who must NOT manage the alliance (the visitor is tested apart: login redirect / 401).
DENIED = [
    "plain_user",
    "applicant",
    "reviewer",
    "unit_admin_unrelated",
    "unit_admin_member",
    "unit_admin_partner",
    "host_coordinator_partner",
    "commission_admin_zhejiang",
    "commission_admin_other_province",
    "secretariat_other_alliance",
    "staff_without_role",
]
ALLOWED = ["secretariat", "superuser"]


@pytest.fixture
def alliance():
    return Organisation.objects.get(code=ALLIANCE)


@pytest.fixture
def other_alliance():
    return OrganisationFactory(code="other-alliance", name_zh="另一个联盟", kind=OrganisationKind.ASSOCIATION)


def _with_role(role, organisation=None, **extra):
    user = RoleFactory(role=role, organisation=organisation).user
    for name, value in extra.items():
        setattr(user, name, value)
    if extra:
        user.save()
    return user


def make_user(who: str, *, other_alliance=None):
    """A user of the kind named (see DENIED and ALLOWED)."""
    org = Organisation.objects.get
    if who == "secretariat":
        return _with_role(Role.ALLIANCE_SECRETARIAT, org(code=ALLIANCE))
    if who == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if who == "plain_user":
        return UserFactory()
    if who == "staff_without_role":
        return UserFactory(is_staff=True)
    if who == "applicant":
        return _with_role(Role.APPLICANT)
    if who == "reviewer":
        return _with_role(Role.REVIEWER)
    if who == "unit_admin_unrelated":
        return _with_role(Role.UNIT_ADMIN, OrganisationFactory())
    if who == "unit_admin_member":
        return _with_role(Role.UNIT_ADMIN, org(code=MEMBER))
    if who == "unit_admin_partner":
        return _with_role(Role.UNIT_ADMIN, org(code=PARTNER))
    if who == "host_coordinator_partner":
        return _with_role(Role.HOST_COORDINATOR, org(code=PARTNER))
    if who == "commission_admin_zhejiang":
        return _with_role(Role.COMMISSION_ADMIN, org(code="zj-hc"))
    if who == "commission_admin_other_province":
        return _with_role(Role.COMMISSION_ADMIN, CommissionFactory())
    if who == "secretariat_other_alliance":
        other = other_alliance or OrganisationFactory(kind=OrganisationKind.ASSOCIATION)
        return _with_role(Role.ALLIANCE_SECRETARIAT, other)
    raise ValueError(who)


@pytest.fixture
def secretariat():
    return make_user("secretariat")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def en_secretariat_client(secretariat_client):
    """The secretariat with the English interface: messages are checked as their msgids."""
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return secretariat_client


def snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return rows(
        Membership, Event, Event.countries.through, Event.organisers.through, Committee, Organisation, AuditEvent
    )
