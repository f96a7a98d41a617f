"""Fixtures of the indicator tests: the real Zhejiang pairings (景宁县人民医院 is supported by 浙大一院 and by
丽水市人民医院), users of every role, and a small hand-made pairing programme for exact trend figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeType
from medtalent.catalog.models import Programme
from medtalent.core.models import AuditEvent
from medtalent.indicators.models import IndicatorValue
from medtalent.orgs.models import Organisation
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import Pairing, PairingRule
from tests.factories import CommissionFactory, OrganisationFactory, ProgrammeFactory, code
from tests.helpers import LOGIN_TRAIL, make_user

JINGNING = "zj-h-331127-1"  # 景宁县人民医院 (331127), supported by the two below
ZJU_FIRST = "zju-first-hospital"  # 浙江大学医学院附属第一医院 (Annex 1)
LISHUI_PEOPLE = "zj-h-331100-2"  # 丽水市人民医院 (Annex 2, city 331100)
ZJU_SECOND = "zju-second-hospital"  # supports other hospitals, not 景宁
PROGRAMME = "zj-pairing-2014"
IC = "in_county_visit_rate"
RO = "referral_out_rate"


def org(code_: str) -> Organisation:
    return Organisation.objects.select_related("region").get(code=code_)


def state(organisation=None) -> tuple:
    """What a refused request must leave alone: the values (all, and the hospital's), the audit rows."""
    values = IndicatorValue.objects.all()
    mine = list(
        values.filter(organisation=organisation).order_by("year", "kind").values_list("year", "kind", "value", "note")
        if organisation
        else []
    )
    return (values.count(), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count(), mine)


# (label, role, organisation code or a factory key) → the roles every page and endpoint is tried with.
ROLE_CASES = {
    "applicant": (Role.APPLICANT, None),
    "reviewer": (Role.REVIEWER, None),
    "unrelated_unit_admin": (Role.UNIT_ADMIN, "unrelated"),
    "own_unit_admin": (Role.UNIT_ADMIN, JINGNING),
    "supporting_unit_admin": (Role.UNIT_ADMIN, ZJU_FIRST),
    "city_supporting_unit_admin": (Role.UNIT_ADMIN, LISHUI_PEOPLE),
    "other_supporting_unit_admin": (Role.UNIT_ADMIN, ZJU_SECOND),
    "host_coordinator": (Role.HOST_COORDINATOR, ZJU_FIRST),
    "zhejiang_commission": (Role.COMMISSION_ADMIN, "zj-hc"),
    "lishui_commission": (Role.COMMISSION_ADMIN, "lishui"),
    "wenzhou_commission": (Role.COMMISSION_ADMIN, "wz-hc"),
    "fujian_commission": (Role.COMMISSION_ADMIN, "fujian"),
    "alliance_secretariat": (Role.ALLIANCE_SECRETARIAT, "zj-hc"),
}


def role_user(label: str):
    role, where = ROLE_CASES[label]
    if where == "unrelated":
        organisation = OrganisationFactory()
    elif where == "lishui":
        organisation = CommissionFactory(region=code("region", "331100"))
    elif where == "fujian":
        organisation = CommissionFactory()
    elif where:
        organisation = Organisation.objects.get(code=where)
    else:
        organisation = None
    return make_user(role, organisation)


@pytest.fixture
def jingning():
    return org(JINGNING)


@pytest.fixture
def programme():
    return Programme.objects.select_related("owner__region").get(code=PROGRAMME)


@pytest.fixture
def zj_commission():
    return make_user(Role.COMMISSION_ADMIN, Organisation.objects.get(code="zj-hc"))


@pytest.fixture
def jingning_admin(jingning):
    return make_user(Role.UNIT_ADMIN, jingning)


def put_values(organisation, values: dict[tuple[int, str], str | Decimal]):
    """Values written straight to the table (test data, not the behaviour under test)."""
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(organisation=organisation, year=year, kind=kind, value=Decimal(str(value)))
            for (year, kind), value in values.items()
        ]
    )


class Network:
    """A hand-made pairing programme: one supporting hospital in 杭州, supported hospitals in two cities."""

    def __init__(self, *, target_params: dict | None = None):
        owner = Organisation.objects.get(code="zj-hc")
        self.programme = ProgrammeFactory(
            owner=owner, programme_type=ProgrammeType.PAIRING_SUPPORT, code="test-pairing-indicators"
        )
        self.rule = PairingRule.objects.create(
            programme=self.programme,
            kind=PairingRuleKind.INDICATOR_TARGET,
            params=target_params
            if target_params is not None
            else {IC: {"target": 90, "better": "higher"}, RO: {"better": "lower"}},
        )
        self.supporting = OrganisationFactory(region=code("region", "330100"), level="3A")
        self.hospitals: dict[str, Organisation] = {}

    def supported(self, name: str, region: str, *, city: str | None = None) -> Organisation:
        hospital = OrganisationFactory(region=code("region", region))
        Pairing.objects.create(
            programme=self.programme,
            supporting=self.supporting,
            supported=hospital,
            city=code("region", city) if city else None,
            starts_on=dt.date(2014, 1, 1),
            ends_on=dt.date(2016, 12, 31),
        )
        self.hospitals[name] = hospital
        return hospital


@pytest.fixture
def network():
    return Network()
