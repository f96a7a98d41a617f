"""Properties of the split (hypothesis): for any amount, any ratios adding up to 100 % and any caps, the shares add
up exactly to the amount, none is negative, and a capped share that receives no excess stays within its cap."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from medtalent.policy.clawback import ClawbackSpec, refunds
from medtalent.policy.enums import CapPer, Payer, Rounding
from medtalent.policy.funding import CostShareRuleSpec, ShareSpec, split

PAYERS = list(Payer.values)
CENTS = Decimal("0.01")


@st.composite
def ratios(draw) -> list[Decimal]:
    """2 to 5 ratios in hundredths of a per cent, adding up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=len(PAYERS)))
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10000]
    return [Decimal(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def rules(draw) -> CostShareRuleSpec:
    parts = draw(ratios())
    payers = draw(st.permutations(PAYERS))[: len(parts)]
    shares = []
    for payer, ratio in zip(payers, parts, strict=True):
        cap = draw(st.none() | st.integers(0, 10_000_000).map(lambda c: Decimal(c) * CENTS))
        excess_payer = draw(st.sampled_from([p for p in PAYERS if p != payer])) if cap is not None else ""
        cap_per = draw(st.sampled_from(CapPer.values))
        shares.append(ShareSpec(payer, ratio, cap, cap_per, excess_payer))
    return CostShareRuleSpec(shares=tuple(shares), rounding=draw(st.sampled_from(Rounding.values)))


amounts = st.integers(0, 10**11).map(lambda cents: Decimal(cents) * CENTS)


@settings(max_examples=400, deadline=None)
@given(rule=rules(), amount=amounts, months=st.integers(1, 36))
def test_shares_add_up_exactly_none_negative_caps_kept(rule, amount, months):
    result = split(rule, amount, months)
    assert sum((s.amount for s in result.shares), Decimal(0)) == amount
    assert all(s.amount >= 0 for s in result.shares)
    assert all(s.amount == s.amount.quantize(CENTS) for s in result.shares)
    receivers = {s.excess_payer for s in rule.shares if s.cap is not None}
    for spec in rule.shares:
        if spec.cap is None or spec.payer in receivers:
            continue
        cap = spec.cap * months if spec.cap_per == CapPer.MONTH else spec.cap
        assert result.amount_of(spec.payer) <= cap
    assert 0 <= result.excess <= amount


@settings(max_examples=200, deadline=None)
@given(rule=rules(), amount=amounts, months=st.integers(1, 36))
def test_without_caps_each_share_is_within_one_unit_of_its_ratio(rule, amount, months):
    uncapped = CostShareRuleSpec(shares=tuple(ShareSpec(s.payer, s.ratio) for s in rule.shares), rounding=rule.rounding)
    result = split(uncapped, amount, months)
    unit = Decimal(1) if rule.rounding == Rounding.YUAN else CENTS
    below_unit = amount - (amount // unit) * unit  # the cents of a total that is not a whole number of yuan
    for share in result.shares:
        assert abs(share.amount - amount * share.ratio / 100) < unit + below_unit
    assert result.excess == 0


@settings(max_examples=200, deadline=None)
@given(
    rule=rules(),
    amount=amounts,
    served=st.integers(0, 120),
    required=st.integers(1, 120),
    method=st.sampled_from(["full", "pro_rata", "percentage"]),
    percentage=st.integers(0, 10000).map(lambda p: Decimal(p) / 100),
)
def test_refunds_never_exceed_what_was_paid_and_add_up(rule, amount, served, required, method, percentage):
    paid = split(rule, amount, 12).shares
    specs = [ClawbackSpec("left_early", s.payer, method, percentage) for s in paid]
    result = refunds(paid=paid, rules=specs, trigger="left_early", served=served, required=required)
    by_payer = {s.payer: s.amount for s in paid}
    assert all(Decimal(0) <= r.amount <= by_payer[r.payer] for r in result)
