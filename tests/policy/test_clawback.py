"""Refunds when a clawback trigger happens (`policy.clawback.refunds`): in full, pro rata, a fixed percentage."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from medtalent.policy.clawback import ClawbackSpec, Refund, refunds
from medtalent.policy.funding import CostShareRuleSpec, ShareSpec, SplitError, split

pytestmark = pytest.mark.usefixtures("english")

PAID = split(
    CostShareRuleSpec(
        shares=(ShareSpec("foundation", D(50)), ShareSpec("sending_unit", D(40)), ShareSpec("individual", D(10)))
    ),
    D("75000.00"),
).shares


def test_full_refund_of_the_foundation_and_unit_shares_for_the_trigger_only():
    rules = [
        ClawbackSpec("left_early", "foundation"),
        ClawbackSpec("left_early", "sending_unit"),
        ClawbackSpec("tasks_not_completed", "foundation"),
    ]
    assert refunds(paid=PAID, rules=rules, trigger="left_early") == [
        Refund("foundation", "full", D("37500.00")),
        Refund("sending_unit", "full", D("30000.00")),
    ]
    assert refunds(paid=PAID, rules=rules, trigger="failing_grade") == []


def test_pro_rata_by_the_unserved_time():
    rules = [
        ClawbackSpec("left_early", "foundation", "pro_rata"),
        ClawbackSpec("left_early", "sending_unit", "pro_rata"),
    ]
    # 5 years required, 2 served: 3/5 of each share.
    assert refunds(paid=PAID, rules=rules, trigger="left_early", served=24, required=60) == [
        Refund("foundation", "pro_rata", D("22500.00")),
        Refund("sending_unit", "pro_rata", D("18000.00")),
    ]
    # One month of three served: 2/3 of 37,500 and of 30,000, to the cent.
    assert refunds(paid=PAID, rules=rules, trigger="left_early", served=1, required=3) == [
        Refund("foundation", "pro_rata", D("25000.00")),
        Refund("sending_unit", "pro_rata", D("20000.00")),
    ]
    # Served in full (or more): nothing; nothing served: everything.
    assert [r.amount for r in refunds(paid=PAID, rules=rules, trigger="left_early", served=70, required=60)] == [
        D("0.00"),
        D("0.00"),
    ]
    assert [r.amount for r in refunds(paid=PAID, rules=rules, trigger="left_early", served=0, required=60)] == [
        D("37500.00"),
        D("30000.00"),
    ]


def test_pro_rata_rounds_like_the_split_and_adds_up_to_the_total_refund():
    paid = {"foundation": D("100.00"), "sending_unit": D("100.00")}
    rules = [
        ClawbackSpec("left_early", "foundation", "pro_rata"),
        ClawbackSpec("left_early", "sending_unit", "pro_rata"),
    ]
    # 2/3 of 100 each = 66.666…: 133.33 in all, the cent to the first (to the yuan: the yuan and the cents below it).
    assert [r.amount for r in refunds(paid=paid, rules=rules, trigger="left_early", served=1, required=3)] == [
        D("66.67"),
        D("66.66"),
    ]
    assert [
        r.amount for r in refunds(paid=paid, rules=rules, trigger="left_early", served=1, required=3, rounding="yuan")
    ] == [D("67.33"), D("66.00")]


def test_a_fixed_percentage():
    rules = [ClawbackSpec("unauthorised_extension", "foundation", "percentage", D(30))]
    assert refunds(paid=PAID, rules=rules, trigger="unauthorised_extension") == [
        Refund("foundation", "percentage", D("11250.00"))
    ]


def test_a_payer_who_paid_nothing_refunds_nothing():
    rules = [ClawbackSpec("left_early", "host")]
    assert refunds(paid=PAID, rules=rules, trigger="left_early") == [Refund("host", "full", D("0.00"))]


def test_pro_rata_without_the_service_times_and_a_percentage_without_its_number_are_refused():
    with pytest.raises(SplitError) as error:
        refunds(paid=PAID, rules=[ClawbackSpec("left_early", "foundation", "pro_rata")], trigger="left_early", served=1)
    assert (error.value.field, error.value.message) == (
        "required",
        "A pro-rata refund needs the required service time (more than 0).",
    )
    with pytest.raises(SplitError) as error:
        refunds(paid=PAID, rules=[ClawbackSpec("left_early", "foundation", "percentage")], trigger="left_early")
    assert error.value.field == "percentage"
