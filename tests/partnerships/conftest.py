"""Users of every role around one real pairing (seed document 003): 浙江大学医学院附属第一医院 supports
景宁县人民医院 (Annex 1); 景宁县人民医院 is also supported by 丽水市人民医院 (Annex 2, 丽水市)."""

import pytest

from medtalent.accounts.enums import Role
from medtalent.core.models import AuditEvent
from medtalent.partnerships.models import Agreement, AgreementClause, Pairing
from tests.factories import CommissionFactory, OrganisationFactory
from tests.helpers import LOGIN_TRAIL, make_user

SUPPORTING_CODE = "zju-first-hospital"  # 浙江大学医学院附属第一医院: supports 3 hospitals (Annex 1)
SUPPORTED_CODE = "zj-h-331127-1"  # 景宁县人民医院: supported by 浙大一院 and 丽水市人民医院
COMMISSION_CODE = "zj-hc"  # 浙江省卫生健康委员会


# Every role of the briefs: name -> a function making such a user (None: a visitor).
ROLE_MAKERS = {
    "visitor": None,
    "applicant": lambda: make_user(Role.APPLICANT),
    "reviewer": lambda: make_user(Role.REVIEWER),
    "unit_unrelated": lambda: make_user(Role.UNIT_ADMIN, OrganisationFactory()),
    "unit_supporting": lambda: make_user(Role.UNIT_ADMIN, SUPPORTING_CODE),
    "unit_supported": lambda: make_user(Role.UNIT_ADMIN, SUPPORTED_CODE),
    "commission_zhejiang": lambda: make_user(Role.COMMISSION_ADMIN, COMMISSION_CODE),
    "commission_fujian": lambda: make_user(Role.COMMISSION_ADMIN, CommissionFactory()),
}


def user_for(name):
    maker = ROLE_MAKERS[name]
    return maker() if maker else None


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("supporting", "supported", "programme").get(
        supporting__code=SUPPORTING_CODE, supported__code=SUPPORTED_CODE
    )


@pytest.fixture
def commission():
    return make_user(Role.COMMISSION_ADMIN, COMMISSION_CODE)


@pytest.fixture
def supporting_admin():
    return make_user(Role.UNIT_ADMIN, SUPPORTING_CODE)


@pytest.fixture
def supported_admin():
    return make_user(Role.UNIT_ADMIN, SUPPORTED_CODE)


def db_state(agreement=None):
    """Row counts (pairings, agreements, clauses, audit events) and, for an agreement, its state and term."""
    rows = (
        Pairing.objects.count(),
        Agreement.objects.count(),
        AgreementClause.objects.count(),
        AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count(),
    )
    if agreement is None:
        return rows
    fresh = Agreement.objects.get(pk=agreement.pk)
    return (*rows, fresh.state, fresh.starts_on, fresh.ends_on, fresh.updated_at)
