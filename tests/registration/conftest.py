"""A small world for registration: a hospital with its administrator and a profile it imported (no account),
another hospital with its administrator, and helpers to read the invitation link out of the email."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.core import mail

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.codes.idnumber import check_character
from medtalent.core.models import AuditEvent
from medtalent.people.models import Consent, Person
from medtalent.registration.models import AccountRequest, ClaimAttempt, Invitation
from tests.factories import OrganisationFactory, PersonFactory, code
from tests.helpers import make_user, rows

PASSWORD = "Harbour-lamp-7391"
BIRTH = dt.date(1985, 3, 15)


def id_number(birth: dt.date = BIRTH, sequence: int = 123, region: str = "350102") -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


@dataclass
class World:
    unit: object
    other_unit: object
    admin: User
    other_admin: User
    imported: Person


@pytest.fixture
def world(db) -> World:
    unit = OrganisationFactory(name_zh="注册测试医院", region=code("region", "350102"))
    other_unit = OrganisationFactory(name_zh="另一家注册测试医院", region=code("region", "360102"))
    admin = make_user(Role.UNIT_ADMIN, unit, username="unitadmin")
    other_admin = make_user(Role.UNIT_ADMIN, other_unit, username="otheradmin")
    imported = PersonFactory(
        employer=unit, name="赵导入", id_number=id_number(), birth_date=BIRTH, email="zhao@example.cn"
    )
    return World(unit=unit, other_unit=other_unit, admin=admin, other_admin=other_admin, imported=imported)


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


def snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return rows(User, RoleAssignment, Person, Consent, Invitation, AccountRequest, ClaimAttempt, AuditEvent)


def link_token(message) -> str:
    """The token of the invitation link in an email."""
    match = re.search(r"/invitations/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def last_token() -> str:
    return link_token(mail.outbox[-1])


def actions(**filters) -> list[str]:
    """The audited actions (but logins and logouts), in order."""
    events = AuditEvent.objects.filter(**filters).exclude(action__in=["user.login", "user.logout"])
    return list(events.order_by("id").values_list("action", flat=True))
