"""Fixtures for the stint tests: the seeded pairing 浙江大学医学院附属第一医院 → 景宁县人民医院
(programme zj-pairing-2014, commission 浙江省卫生健康委员会), the alliance's minimally invasive surgery
committee, one user per role, and people on the two hospitals' staff."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.accounts.enums import Role
from medtalent.alliance.models import Committee
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from medtalent.partnerships.models import Pairing
from medtalent.people.models import Person
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint
from medtalent.stints.services import stint_create
from tests.factories import CommissionFactory, OrganisationFactory, code
from tests.helpers import LOGIN_TRAIL, make_user

SUPPORTING = "zju-first-hospital"  # 浙江大学医学院附属第一医院
SUPPORTED = "zj-h-331127-1"  # 景宁县人民医院
COMMISSION = "zj-hc"  # 浙江省卫生健康委员会
ALLIANCE = "bri-medical-talent-alliance"
COMMITTEE = "minimally-invasive-surgery"
MEMBER_HOST = "zju-sir-run-run-shaw-hospital"  # a member of the alliance and of the committee
FOREIGN = "mayo-clinic"  # country US
CHINESE_MEMBER = "fudan-zhongshan-hospital"  # a Chinese member (region, no country)

START = dt.date(2025, 9, 1)
END = dt.date(2026, 2, 28)


def org(code_: str) -> Organisation:
    return Organisation.objects.select_related("region", "country").get(code=code_)


def make_person(*, employer, title="232", obtained=None, name="王医生", user=None, department="心内科"):
    return Person.objects.create(
        name=name,
        employer=employer,
        title=code("title", title) if title else None,
        title_obtained_on=obtained,
        user=user,
        department=department,
    )


def state(stint=None):
    """Row counts (and the stint's fields) that a refused request must leave as they were."""
    rows = (Stint.objects.count(), Person.objects.count(), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count())
    if stint is None:
        return rows
    fresh = Stint.objects.get(pk=stint.pk)
    return (
        *rows,
        fresh.state,
        fresh.starts_on,
        fresh.ends_on,
        fresh.home_department,
        fresh.host_department,
        fresh.role,
        fresh.schedule,
        fresh.mentor,
    )


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("supporting", "supported", "programme").get(
        supporting__code=SUPPORTING, supported__code=SUPPORTED
    )


@pytest.fixture
def supporting(pairing):
    return pairing.supporting


@pytest.fixture
def supported(pairing):
    return pairing.supported


@pytest.fixture
def committee():
    return Committee.objects.get(code=COMMITTEE)


@pytest.fixture
def users(supporting, supported):
    """One user per role, by name."""
    return {
        "applicant": make_user(Role.APPLICANT),
        "reviewer": make_user(Role.REVIEWER),
        "unrelated_unit": make_user(Role.UNIT_ADMIN, OrganisationFactory()),
        "supporting_admin": make_user(Role.UNIT_ADMIN, supporting),
        "supported_admin": make_user(Role.UNIT_ADMIN, supported),
        "commission": make_user(Role.COMMISSION_ADMIN, org(COMMISSION)),
        "other_commission": make_user(Role.COMMISSION_ADMIN, CommissionFactory()),
        "secretariat": make_user(Role.ALLIANCE_SECRETARIAT, org(ALLIANCE)),
        "member_host_admin": make_user(Role.UNIT_ADMIN, org(MEMBER_HOST)),
        "person": make_user(),
    }


@pytest.fixture
def doctor(supporting, users):
    """An associate chief physician (副主任医师) of the supporting hospital, with an account."""
    return make_person(employer=supporting, title="232", obtained=dt.date(2018, 1, 1), user=users["person"])


@pytest.fixture
def county_doctor(supported):
    """An attending physician (主治医师) of the supported hospital."""
    return make_person(employer=supported, title="233", obtained=dt.date(2022, 1, 1), name="李医生", department="外科")


def make_dispatch(*, pairing, person, actor, starts_on=START, ends_on=END, **kwargs):
    return stint_create(
        actor=actor,
        kind=StintKind.DISPATCH,
        person=person,
        home=pairing.supporting,
        host=pairing.supported,
        starts_on=starts_on,
        ends_on=ends_on,
        pairing=pairing,
        **kwargs,
    )


@pytest.fixture
def dispatch(pairing, doctor, users):
    return make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], host_department="内科")


def set_state(stint, to: StintState) -> Stint:
    Stint.objects.filter(pk=stint.pk).update(state=to)
    stint.refresh_from_db()
    return stint
