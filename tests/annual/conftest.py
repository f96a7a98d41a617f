"""Fixtures of the yearly-work tests: the seed pairing 浙江大学医学院附属第一医院 → 景宁县人民医院 (2014–2016)
of `zj-pairing-2014`, a user for every role, and a snapshot of everything the annual services write."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.accounts.enums import Role
from medtalent.annual.models import AnnualReview, AnnualReviewScore, EvaluationDimension, YearlyTarget
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from medtalent.partnerships import services as agreements
from medtalent.partnerships.models import Pairing
from tests.factories import CommissionFactory, OrganisationFactory
from tests.helpers import make_user, rows

SUPPORTING = "浙江大学医学院附属第一医院"
SUPPORTED = "景宁县人民医院"
OTHER_SUPPORTED = "三门县人民医院"  # supported by the same hospital: another pairing
COMMISSION = "浙江省卫生健康委员会"
# Inside every window of the seed calendar (self-assessment from 1 December, evaluation from 1 October).
OPEN_DAY = dt.date(2015, 12, 15)


def org(name_zh: str) -> Organisation:
    return Organisation.objects.get(name_zh=name_zh)


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("supporting", "supported", "programme__owner__region").get(
        supporting__name_zh=SUPPORTING, supported__name_zh=SUPPORTED
    )


@pytest.fixture
def other_pairing():
    return Pairing.objects.select_related("supporting", "supported", "programme__owner__region").get(
        supporting__name_zh=SUPPORTING, supported__name_zh=OTHER_SUPPORTED
    )


@pytest.fixture
def supporting_admin():
    return make_user(Role.UNIT_ADMIN, org(SUPPORTING))


@pytest.fixture
def supported_admin():
    return make_user(Role.UNIT_ADMIN, org(SUPPORTED))


@pytest.fixture
def other_supported_admin():
    return make_user(Role.UNIT_ADMIN, org(OTHER_SUPPORTED))


@pytest.fixture
def commission():
    return make_user(Role.COMMISSION_ADMIN, org(COMMISSION))


@pytest.fixture
def dimensions(pairing):
    return list(EvaluationDimension.objects.filter(programme=pairing.programme).order_by("sort"))


def full_scores(dimensions, value="8"):
    return {d.pk: (value, f"评语{d.code}") for d in dimensions}


# Roles that may not see the pairing-year at all. Each entry builds a user (None: a visitor).
def _no_role():
    return make_user()


def _applicant():
    return make_user(Role.APPLICANT)


def _reviewer():
    return make_user(Role.REVIEWER)


def _unrelated_unit_admin():
    return make_user(Role.UNIT_ADMIN, OrganisationFactory())


def _other_pairing_unit_admin():
    return make_user(Role.UNIT_ADMIN, org(OTHER_SUPPORTED))  # another pairing of the same supporting hospital


def _other_province_commission():
    return make_user(Role.COMMISSION_ADMIN, CommissionFactory())


def _city_commission():
    return make_user(Role.COMMISSION_ADMIN, Organisation.objects.get(code="wz-hc"))  # 温州: not the programme's owner


def _alliance_secretariat():
    return make_user(Role.ALLIANCE_SECRETARIAT, OrganisationFactory())


def _host_coordinator():
    return make_user(Role.HOST_COORDINATOR, org(SUPPORTING))


OUTSIDERS = {
    "no_role": _no_role,
    "applicant": _applicant,
    "reviewer": _reviewer,
    "unrelated_unit_admin": _unrelated_unit_admin,
    "other_pairing_unit_admin": _other_pairing_unit_admin,
    "other_province_commission": _other_province_commission,
    "city_commission": _city_commission,
    "alliance_secretariat": _alliance_secretariat,
    "host_coordinator": _host_coordinator,
}


@pytest.fixture(params=sorted(OUTSIDERS))
def outsider(request):
    return OUTSIDERS[request.param]()


def snapshot():
    """Every row the annual services write, field by field, and the audit trail."""
    return rows(YearlyTarget, AnnualReview, AnnualReviewScore, AuditEvent)


@pytest.fixture(autouse=True)
def _english(english_browser):
    """Messages are asserted in English (the msgids), in the services and in the pages."""


def renew(pairing, supporting_admin, supported_admin, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31)):
    """The pairing's agreement approved for 2014–2016, then renewed (a new version, approved) for another term."""
    first = agreements.agreement_create_from_template(actor=supporting_admin, pairing=pairing)
    agreements.agreement_approve(actor=supporting_admin, agreement=first)
    agreements.agreement_approve(actor=supported_admin, agreement=first)
    renewal = agreements.agreement_new_version(actor=supporting_admin, agreement=first)
    agreements.agreement_set_term(actor=supporting_admin, agreement=renewal, starts_on=starts_on, ends_on=ends_on)
    agreements.agreement_approve(actor=supporting_admin, agreement=renewal)
    agreements.agreement_approve(actor=supported_admin, agreement=renewal)
    return renewal
