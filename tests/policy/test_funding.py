"""The split of a training's cost (`policy.funding.split`) with real numbers: ratios, caps, rounding."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from medtalent.policy.funding import CostShareRuleSpec, Share, ShareSpec, SplitError, spec_problems, split

pytestmark = pytest.mark.usefixtures("english")

WENZHOU = CostShareRuleSpec(
    shares=(ShareSpec("foundation", D(50)), ShareSpec("sending_unit", D(40)), ShareSpec("individual", D(10)))
)


def amounts(result) -> list[tuple[str, str]]:
    return [(s.payer, str(s.amount)) for s in result.shares]


def test_75000_split_50_40_10():
    result = split(WENZHOU, D("75000.00"))
    assert result.shares == [
        Share("foundation", D(50), D("37500.00")),
        Share("sending_unit", D(40), D("30000.00")),
        Share("individual", D(10), D("7500.00")),
    ]
    assert result.excess == D("0.00")


def test_a_cap_of_10000_per_month_for_6_months_sends_the_excess_to_the_sending_unit():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D(10000), cap_per="month", excess_payer="sending_unit"),
            ShareSpec("sending_unit", D(40)),
            ShareSpec("individual", D(10)),
        )
    )
    result = split(rule, D("150000.00"), months=6)
    assert amounts(result) == [("foundation", "60000.00"), ("sending_unit", "75000.00"), ("individual", "15000.00")]
    assert result.excess == D("15000.00")
    # Below the cap nothing moves.
    assert amounts(split(rule, D("75000.00"), months=6)) == [
        ("foundation", "37500.00"),
        ("sending_unit", "30000.00"),
        ("individual", "7500.00"),
    ]


def test_a_cap_per_person_ignores_months():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("city_finance", D(80), cap=D(50000), excess_payer="sending_unit"),
            ShareSpec("sending_unit", D(20)),
        )
    )
    result = split(rule, D("100000.00"))
    assert amounts(result) == [("city_finance", "50000.00"), ("sending_unit", "50000.00")]
    assert result.excess == D("30000.00")


def test_an_excess_payer_outside_the_rule_appears_with_ratio_0():
    rule = CostShareRuleSpec(shares=(ShareSpec("foundation", D(100), cap=D(20000), excess_payer="host"),))
    result = split(rule, D("30000.00"))
    assert result.shares == [Share("foundation", D(100), D("20000.00")), Share("host", D(0), D("10000.00"))]
    assert result.excess == D("10000.00")


def test_yuan_rounding_of_100000_by_33_33_33_33_33_34():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D("33.33")),
            ShareSpec("city_finance", D("33.33")),
            ShareSpec("sending_unit", D("33.34")),
        ),
        rounding="yuan",
    )
    assert amounts(split(rule, D("100000"))) == [
        ("foundation", "33330.00"),
        ("city_finance", "33330.00"),
        ("sending_unit", "33340.00"),
    ]
    # 100 yuan: 33.33, 33.33, 33.34 round down to 33 each; the one yuan left goes to the largest remainder.
    assert amounts(split(rule, D("100"))) == [
        ("foundation", "33.00"),
        ("city_finance", "33.00"),
        ("sending_unit", "34.00"),
    ]
    # A total that is not a whole number of yuan: its cents go with that leftover yuan.
    assert amounts(split(rule, D("100.55"))) == [
        ("foundation", "33.00"),
        ("city_finance", "33.00"),
        ("sending_unit", "34.55"),
    ]


def test_cent_rounding_gives_the_cent_left_over_to_the_largest_remainder_then_the_first():
    rule = CostShareRuleSpec(shares=(ShareSpec("foundation", D("33.33")), ShareSpec("individual", D("66.67"))))
    # 0.10 × 33.33 % = 0.03333, × 66.67 % = 0.06667: 0.03 + 0.06 and the cent left to the individual.
    assert amounts(split(rule, D("0.10"))) == [("foundation", "0.03"), ("individual", "0.07")]
    even = CostShareRuleSpec(shares=(ShareSpec("foundation", D(50)), ShareSpec("individual", D(50))))
    assert amounts(split(even, D("0.01"))) == [("foundation", "0.01"), ("individual", "0.00")]


def test_a_capped_share_is_never_rounded_above_its_cap():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D("100.50"), excess_payer="individual"),
            ShareSpec("individual", D(50)),
        ),
        rounding="yuan",
    )
    result = split(rule, D("300"))
    assert amounts(result) == [("foundation", "100.00"), ("individual", "200.00")]
    assert result.excess == D("49.50")


def test_zero_splits_into_zeros():
    assert amounts(split(WENZHOU, D(0))) == [("foundation", "0.00"), ("sending_unit", "0.00"), ("individual", "0.00")]


def test_months_are_required_where_a_share_is_capped_per_month():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D(10000), cap_per="month", excess_payer="individual"),
            ShareSpec("individual", D(50)),
        )
    )
    with pytest.raises(SplitError) as error:
        split(rule, D("1000.00"))
    assert (error.value.field, error.value.message) == (
        "months",
        "This rule caps a share per person per month: give the number of months (1 or more).",
    )


@pytest.mark.parametrize("amount", [D("-1"), D("1.001"), D("NaN")])
def test_an_amount_that_is_negative_or_has_more_than_two_decimals_is_refused(amount):
    with pytest.raises(SplitError) as error:
        split(WENZHOU, amount)
    assert error.value.field == "amount"


def test_the_problems_of_a_rule_are_named():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D(100)),
            ShareSpec("individual", D(40), cap=D(100), excess_payer="individual"),
            ShareSpec("individual", D(5)),
        )
    )
    assert [(p.field, p.message) for p in spec_problems(rule)] == [
        ("ratio", "The ratios add up to 95 %, not 100 %."),
        ("payer", "The payer Individual appears twice."),
        ("excess_payer", "The share of Foundation is capped: name another payer for the part above the cap."),
        ("excess_payer", "The share of Individual is capped: name another payer for the part above the cap."),
    ]
    with pytest.raises(SplitError):
        split(rule, D(100))


def test_units_left_over_go_round_the_uncapped_shares_never_above_a_cap():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D("100.50"), excess_payer="individual"),
            ShareSpec("sending_unit", D(30), cap=D("60.90"), excess_payer="individual"),
            ShareSpec("individual", D(20)),
        ),
        rounding="yuan",
    )
    # Exactly 100.50, 60.90 and 138.60: rounded down to 100, 60 and 138, the two yuan left to the individual.
    result = split(rule, D("300"))
    assert amounts(result) == [("foundation", "100.00"), ("sending_unit", "60.00"), ("individual", "140.00")]
    assert result.excess == D("78.60")


def test_every_share_exactly_at_a_cap_of_cents_is_rounded_to_the_cent():
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D(50), cap=D("100.50"), excess_payer="individual"),
            ShareSpec("individual", D(50), cap=D("100.50"), excess_payer="foundation"),
        ),
        rounding="yuan",
    )
    assert amounts(split(rule, D("201"))) == [("foundation", "100.50"), ("individual", "100.50")]


def test_rounding_to_the_yuan_never_lifts_a_share_just_under_its_cap_above_it():
    # Found by the property test: 54.85 % of 10.31 is 5.655, under the cap of 5.66; rounded up to the yuan it was 6.
    rule = CostShareRuleSpec(
        shares=(
            ShareSpec("foundation", D("54.85"), D("5.66"), "person", "city_finance"),
            ShareSpec("city_finance", D("45.15"), None, "person", ""),
        ),
        rounding="yuan",
    )

    result = split(rule, D("10.31"))

    assert [(s.payer, s.amount) for s in result.shares] == [
        ("foundation", D("5.00")),
        ("city_finance", D("5.31")),
    ]
    assert result.excess == D("0.00")
