import pytest
from django.contrib.auth.models import AnonymousUser

from tests.indicators.conftest import ROLE_CASES, org, role_user

pytestmark = pytest.mark.django_db

# label → (may view 景宁's indicators, may change them, may see the programme's trend)
EXPECTED = {
    "applicant": (False, False, False),
    "reviewer": (False, False, False),
    "unrelated_unit_admin": (False, False, False),
    "own_unit_admin": (True, True, False),
    "supporting_unit_admin": (True, False, False),  # 浙大一院 supports 景宁 (Annex 1)
    "city_supporting_unit_admin": (True, False, False),  # 丽水市人民医院 supports 景宁 (Annex 2)
    "other_supporting_unit_admin": (False, False, False),  # 浙大二院 supports other hospitals
    "host_coordinator": (False, False, False),
    "zhejiang_commission": (True, True, True),
    "lishui_commission": (True, True, False),  # covers 景宁 (3311xx), not the provincial programme
    "wenzhou_commission": (False, False, False),
    "fujian_commission": (False, False, False),
    "alliance_secretariat": (False, False, False),
}


def test_every_role_case_has_an_expectation():
    assert set(EXPECTED) == set(ROLE_CASES)


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_permissions_per_role(label, jingning, programme):
    user = role_user(label)
    view, change, trend = EXPECTED[label]
    assert user.has_perm("indicators.view_indicators", jingning) is view
    assert user.has_perm("indicators.change_indicators", jingning) is change
    assert user.has_perm("indicators.view_trend", programme) is trend


def test_visitor_has_no_permission(jingning, programme):
    visitor = AnonymousUser()
    assert visitor.has_perm("indicators.view_indicators", jingning) is False
    assert visitor.has_perm("indicators.change_indicators", jingning) is False
    assert visitor.has_perm("indicators.view_trend", programme) is False


def test_supporting_admin_sees_only_the_hospitals_it_supports():
    user = role_user("supporting_unit_admin")
    assert user.has_perm("indicators.view_indicators", org("zj-h-331022-1")) is True  # 三门县人民医院, supported
    assert user.has_perm("indicators.view_indicators", org("jiande-first-peoples-hospital")) is False  # 浙大二院's
    assert user.has_perm("indicators.change_indicators", org("zju-first-hospital")) is True  # its own hospital


def test_no_object_means_no_permission():
    user = role_user("zhejiang_commission")
    assert user.has_perm("indicators.view_indicators", None) is False
    assert user.has_perm("indicators.change_indicators", None) is False
