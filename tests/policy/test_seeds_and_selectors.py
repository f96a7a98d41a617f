"""The shipped policies (Wenzhou's cost share and clawback, Guangxi's grading) and the selectors that find the most
specific rule for a category and year."""

from __future__ import annotations

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from medtalent.catalog.models import Category, Programme
from medtalent.core.seeding import SeedReport
from medtalent.policy.clawback import refunds
from medtalent.policy.funding import split
from medtalent.policy.loaders import load_policies
from medtalent.policy.models import ClawbackRule, CostShare, CostShareRule, GradeLevel, GradingScale, ServiceTerms
from medtalent.policy.selectors import (
    clawback_rules_for,
    clawback_specs_for,
    cost_share_rule_for,
    cost_share_spec_for,
    grading_scale_for,
    service_terms_for,
)
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wenzhou():
    return Programme.objects.get(code="wz-bysh")


@pytest.fixture
def leaders(wenzhou):
    return wenzhou.categories.order_by("sort", "code").first()


def test_wenzhou_shares_its_cost_50_40_10(leaders):
    spec = cost_share_spec_for(category=leaders, year=2025)
    result = split(spec, D("75000.00"))
    assert [(s.payer, s.ratio, s.amount) for s in result.shares] == [
        ("foundation", D("50.00"), D("37500.00")),
        ("sending_unit", D("40.00"), D("30000.00")),
        ("individual", D("10.00"), D("7500.00")),
    ]


def test_wenzhou_claws_back_the_foundation_and_unit_shares_on_its_three_triggers(leaders):
    rules = clawback_rules_for(category=leaders)
    assert sorted((r.trigger, r.payer, r.method) for r in rules) == [
        ("left_early", "foundation", "full"),
        ("left_early", "sending_unit", "full"),
        ("tasks_not_completed", "foundation", "full"),
        ("tasks_not_completed", "sending_unit", "full"),
        ("unauthorised_extension", "foundation", "full"),
        ("unauthorised_extension", "sending_unit", "full"),
    ]
    paid = split(cost_share_spec_for(category=leaders, year=2025), D("75000.00")).shares
    specs = clawback_specs_for(category=leaders, trigger="left_early")
    assert [(r.payer, r.amount) for r in refunds(paid=paid, rules=specs, trigger="left_early")] == [
        ("foundation", D("37500.00")),
        ("sending_unit", D("30000.00")),
    ]
    assert service_terms_for(category=leaders) is None  # the document gives no length


def test_guangxi_grades_excellent_pass_fail():
    scale = grading_scale_for(programme=Programme.objects.get(code="gx-excellent-young"))
    assert [
        (lvl.code, lvl.name_zh, lvl.passes, lvl.certificate, lvl.triggers_clawback) for lvl in scale.levels.all()
    ] == [
        ("excellent", "优秀", True, True, False),
        ("pass", "合格", True, True, False),
        ("fail", "不合格", False, False, False),
    ]


def test_loading_the_seeds_again_changes_nothing():
    counts = [
        m.objects.count() for m in (CostShareRule, CostShare, ClawbackRule, GradingScale, GradeLevel, ServiceTerms)
    ]
    report = SeedReport()
    load_policies(report)
    assert not report.changed
    assert report.unchanged["policy.CostShareRule"] == 1
    assert report.unchanged["policy.GradeLevel"] == 3
    out = StringIO()
    call_command("load_seeds", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert [
        m.objects.count() for m in (CostShareRule, CostShare, ClawbackRule, GradingScale, GradeLevel, ServiceTerms)
    ] == counts


def test_the_most_specific_cost_share_rule_wins(wenzhou, leaders):
    other = Category.objects.filter(programme=wenzhou).exclude(pk=leaders.pk).first()
    everyone = CostShareRule.objects.get(programme=wenzhou, category=None, year=None)
    programme_2026 = CostShareRule.objects.create(programme=wenzhou, year=2026)
    leaders_any_year = CostShareRule.objects.create(programme=wenzhou, category=leaders)
    leaders_2026 = CostShareRule.objects.create(programme=wenzhou, category=leaders, year=2026)
    assert cost_share_rule_for(category=leaders, year=2026) == leaders_2026
    assert cost_share_rule_for(category=leaders, year=2025) == leaders_any_year
    assert cost_share_rule_for(category=other, year=2026) == programme_2026
    assert cost_share_rule_for(category=other, year=2025) == everyone
    assert cost_share_rule_for(programme=wenzhou, year=2026) == programme_2026
    assert cost_share_rule_for(programme=wenzhou, year=None) == everyone


def test_a_programme_without_policies_has_none(django_assert_num_queries):
    programme = ProgrammeFactory()
    with django_assert_num_queries(1):
        assert cost_share_rule_for(programme=programme, year=2025) is None
    assert grading_scale_for(programme=programme) is None
    assert clawback_rules_for(programme=programme) == []


def test_a_category_rule_for_a_trigger_replaces_the_programmes_for_that_trigger(wenzhou, leaders):
    ClawbackRule.objects.create(
        programme=wenzhou, category=leaders, trigger="left_early", payer="foundation", method="pro_rata"
    )
    rules = clawback_rules_for(category=leaders)
    assert sorted((r.trigger, r.payer, r.method) for r in rules) == [
        ("left_early", "foundation", "pro_rata"),
        ("tasks_not_completed", "foundation", "full"),
        ("tasks_not_completed", "sending_unit", "full"),
        ("unauthorised_extension", "foundation", "full"),
        ("unauthorised_extension", "sending_unit", "full"),
    ]


def test_a_category_grading_scale_wins_over_the_programmes(wenzhou, leaders):
    programme_scale = GradingScale.objects.create(programme=wenzhou, name_zh="项目考核")
    own = GradingScale.objects.create(programme=wenzhou, category=leaders, name_zh="领军人才考核")
    assert grading_scale_for(category=leaders) == own
    other = Category.objects.filter(programme=wenzhou).exclude(pk=leaders.pk).first()
    assert grading_scale_for(category=other) == programme_scale
