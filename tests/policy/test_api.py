"""POST /api/v1/funding/split: the split of a category's (or programme's) cost, its errors and who may ask."""

from __future__ import annotations

import pytest

from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Category, Programme
from medtalent.policy.models import CostShare, CostShareRule
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/funding/split"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client(client):
    client.force_login(make_user())
    return client


@pytest.fixture
def leaders():
    return Category.objects.filter(programme__code="wz-bysh").order_by("sort", "code").first()


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_wenzhou_75000_is_split_50_40_10(client, leaders):
    response = post(client, {"category": leaders.code, "year": 2025, "amount": "75000.00"})
    assert response.status_code == 200
    assert response.json() == {
        "shares": [
            {"payer": "foundation", "ratio": "50.00", "amount": "37500.00"},
            {"payer": "sending_unit", "ratio": "40.00", "amount": "30000.00"},
            {"payer": "individual", "ratio": "10.00", "amount": "7500.00"},
        ],
        "excess": "0.00",
    }


def test_a_programme_code_uses_the_programme_wide_rule(client):
    response = post(client, {"category": "wz-bysh", "year": 2030, "amount": "1000"})
    assert response.status_code == 200
    assert [s["amount"] for s in response.json()["shares"]] == ["500.00", "400.00", "100.00"]


@pytest.fixture
def capped(leaders):
    """A 2026 rule of the leaders' category: the foundation's half capped at 10,000 a month, the rest to the unit."""
    rule = CostShareRule.objects.create(programme=leaders.programme, category=leaders, year=2026, rounding="yuan")
    CostShare.objects.create(
        rule=rule, payer="foundation", ratio=50, cap=10000, cap_per="month", excess_payer="sending_unit", sort=1
    )
    CostShare.objects.create(rule=rule, payer="sending_unit", ratio=40, sort=2)
    CostShare.objects.create(rule=rule, payer="individual", ratio=10, sort=3)
    return rule


def test_a_cap_per_month_takes_the_months_and_moves_the_excess(client, leaders, capped):
    response = post(client, {"category": leaders.code, "year": 2026, "amount": "150000.00", "months": 6})
    assert response.status_code == 200
    assert response.json() == {
        "shares": [
            {"payer": "foundation", "ratio": "50.00", "amount": "60000.00"},
            {"payer": "sending_unit", "ratio": "40.00", "amount": "75000.00"},
            {"payer": "individual", "ratio": "10.00", "amount": "15000.00"},
        ],
        "excess": "15000.00",
    }


def test_a_cap_per_month_without_months_is_422_naming_months(client, leaders, capped):
    response = post(client, {"category": leaders.code, "year": 2026, "amount": "150000.00"}, **EN)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "months",
                "message": "This rule caps a share per person per month: give the number of months (1 or more).",
            }
        ]
    }


def test_an_unknown_field_is_422_naming_it(client, leaders):
    response = post(client, {"category": leaders.code, "year": 2025, "amount": "75000.00", "currency": "EUR"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "-1"), ("amount", "1.001"), ("amount", "abc"), ("year", "2025"), ("months", 0), ("category", "")],
)
def test_a_malformed_value_is_422_naming_its_field(client, leaders, field, value):
    body = {"category": leaders.code, "year": 2025, "amount": "75000.00", field: value}
    response = post(client, body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {field}


def test_an_unknown_category_is_404(client):
    response = post(client, {"category": "no-such-thing", "year": 2025, "amount": "1.00"}, **EN)
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": "category", "message": "No programme or category has the code no-such-thing."}]
    }


def test_a_category_of_a_draft_programme_the_user_may_not_see_is_404(client, leaders):
    Programme.objects.filter(pk=leaders.programme_id).update(status=ProgrammeStatus.DRAFT)
    response = post(client, {"category": leaders.code, "year": 2025, "amount": "1.00"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "category"


def test_a_programme_without_a_cost_share_rule_is_404_naming_the_year(client):
    response = post(client, {"category": "gx-excellent-young", "year": 2025, "amount": "1.00"}, **EN)
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": "year", "message": "gx-excellent-young has no cost-share rule for 2025."}]
    }


def test_a_visitor_is_401(leaders, client):
    client.logout()
    response = post(client, {"category": leaders.code, "year": 2025, "amount": "1.00"})
    assert response.status_code == 401


def test_the_split_costs_a_few_queries(client, leaders, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # session, user, category, rule, shares (and the throttle)
        response = post(client, {"category": leaders.code, "year": 2025, "amount": "75000.00"})
    assert response.status_code == 200
