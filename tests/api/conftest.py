"""Fixtures of the API security tests: seed organisations and a pairing, users with roles, tokens, the cache of
the rate limits emptied before each test, and a snapshot of everything an API write may change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment
from medtalent.alliance.models import Event
from medtalent.annual.models import AnnualReview, AnnualReviewScore
from medtalent.api import services
from medtalent.api.models import AccessToken
from medtalent.core.models import AuditEvent
from medtalent.indicators.models import IndicatorValue
from medtalent.orgs.models import Organisation
from medtalent.partnerships.models import Pairing
from medtalent.people.models import Person
from medtalent.stints.models import Stint
from tests.factories import code
from tests.helpers import make_user, rows

SUPPORTING = "zju-first-hospital"  # 浙江大学医学院附属第一医院
SUPPORTED = "zj-h-331127-1"  # 景宁县人民医院
COMMISSION = "zj-hc"  # 浙江省卫生健康委员会
ALLIANCE = "bri-medical-talent-alliance"
CHANGED = (AnnualReview, AnnualReviewScore, IndicatorValue, Stint, Event, Person, AuditEvent, AccessToken)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def snapshot(*, tokens: bool = True) -> dict:
    """Every row an API write may change; `tokens=False` leaves the tokens out (a refused request made with a valid
    token still records its use)."""
    return rows(*(m for m in CHANGED if tokens or m is not AccessToken))


def token_for(user, role: Role | None = None, *, days: int = 30, name: str = "HR system") -> str:
    """A new token of `user` acting with their assignment of `role` (their first role when None): its secret."""
    assignments = RoleAssignment.objects.filter(user=user).order_by("id")
    assignment = assignments.filter(role=role).first() if role else assignments.first()
    _, secret = services.token_create(actor=user, name=name, role=assignment, days=days)
    return secret


def without_two_factor_middleware():
    """The settings without the [auth] part's TwoFactorMiddleware (which sends a session without its second factor
    to the two-factor page): what the API itself does with such a session."""
    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.endswith(".TwoFactorMiddleware")])


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("supporting", "supported").get(
        supporting__code=SUPPORTING, supported__code=SUPPORTED, programme__code="zj-pairing-2014"
    )


@pytest.fixture
def supporting_admin():
    return make_user(Role.UNIT_ADMIN, SUPPORTING)


@pytest.fixture
def supported_admin():
    return make_user(Role.UNIT_ADMIN, SUPPORTED)


@pytest.fixture
def secretariat():
    return make_user(Role.ALLIANCE_SECRETARIAT, ALLIANCE)


@pytest.fixture
def doctor():
    """An associate chief physician (副主任医师) of the supporting hospital, who may be dispatched."""
    return Person.objects.create(
        name="王医生",
        employer=org(SUPPORTING),
        title=code("title", "232"),
        title_obtained_on=dt.date(2018, 1, 1),
        department="心内科",
    )
