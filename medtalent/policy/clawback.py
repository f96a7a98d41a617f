"""What a trained person refunds when a clawback trigger happens. Pure: plain values in, plain values out.

For a trigger, each clawback rule of that trigger refunds one payer's share (the amount that payer paid):
- `full`: all of it;
- `pro_rata`: the unserved part of the service period, `paid × (required − served) / required` (served and
  required in the same unit, e.g. months or days; nothing once the period is served, all of it when nothing was);
- `percentage`: `paid × percentage / 100`.
The refunds are rounded like the split (`funding.allocate`, the rule's unit, largest remainder): they add up to
the exact total refund to the cent, and no refund exceeds what its payer paid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from medtalent.policy.enums import ClawbackMethod, Rounding
from medtalent.policy.funding import CENT, HUNDRED, UNITS, ZERO, Share, SplitError, allocate


@dataclass(frozen=True)
class ClawbackSpec:
    """One clawback rule: when `trigger` happens, `payer`'s share is refunded by `method`."""

    trigger: str
    payer: str
    method: str = ClawbackMethod.FULL
    percentage: Decimal | None = None

    @classmethod
    def of(cls, rule) -> ClawbackSpec:
        """The spec of a `policy.ClawbackRule` row."""
        percentage = None if rule.percentage is None else Decimal(rule.percentage)
        return cls(trigger=rule.trigger, payer=rule.payer, method=rule.method, percentage=percentage)


@dataclass(frozen=True)
class Refund:
    payer: str
    method: str
    amount: Decimal


def _paid_by_payer(paid: Mapping[str, Decimal] | Iterable[Share]) -> dict[str, Decimal]:
    if isinstance(paid, Mapping):
        return {payer: Decimal(amount) for payer, amount in paid.items()}
    return {share.payer: share.amount for share in paid}


def refunds(
    *,
    paid: Mapping[str, Decimal] | Iterable[Share],
    rules: Sequence[ClawbackSpec],
    trigger: str,
    served: Decimal | int | None = None,
    required: Decimal | int | None = None,
    rounding: str = Rounding.CENT,
) -> list[Refund]:
    """The refund of each payer's share that `trigger` claws back, in the order of `rules` (those of other
    triggers are left out). `paid`: what each payer paid (a split's shares, or payer -> amount); a payer who paid
    nothing refunds nothing. `served` and `required` (same unit) are needed by a pro-rata rule. Raises SplitError
    (field "served", "required" or "percentage") when a rule cannot be applied."""
    by_payer = _paid_by_payer(paid)
    applicable = [r for r in rules if r.trigger == trigger]
    exact: list[Decimal] = []
    with localcontext(prec=60):
        for rule in applicable:
            amount = by_payer.get(rule.payer, ZERO)
            exact.append(amount * _fraction(rule, served, required))
        total = sum(exact, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)
        unit = UNITS[rounding]
        # Rounding these up would refund more than their payer paid.
        held = {
            i
            for i, rule in enumerate(applicable)
            if (exact[i] / unit).to_integral_value(rounding=ROUND_FLOOR) * unit + unit > by_payer.get(rule.payer, ZERO)
        }
        amounts = allocate(exact, total, unit, no_round_up=held)
    return [Refund(r.payer, r.method, a) for r, a in zip(applicable, amounts, strict=True)]


def _fraction(rule: ClawbackSpec, served, required) -> Decimal:
    if rule.method == ClawbackMethod.FULL:
        return Decimal(1)
    if rule.method == ClawbackMethod.PERCENTAGE:
        if rule.percentage is None or not ZERO <= rule.percentage <= HUNDRED:
            # Translators: 中文：按固定比例退还需要 0 到 100 之间的百分比。
            raise SplitError("percentage", _("A fixed-percentage refund needs a percentage between 0 and 100."))
        return rule.percentage / HUNDRED
    if rule.method == ClawbackMethod.PRO_RATA:
        if required is None or Decimal(required) <= ZERO:
            # Translators: 中文：按比例退还需要应服务期限（大于 0）。
            raise SplitError("required", _("A pro-rata refund needs the required service time (more than 0)."))
        if served is None or Decimal(served) < ZERO:
            # Translators: 中文：按比例退还需要已服务期限（不小于 0）。
            raise SplitError("served", _("A pro-rata refund needs the time served (0 or more)."))
        unserved = max(Decimal(required) - Decimal(served), ZERO)
        return unserved / Decimal(required)
    # Translators: 中文：未知的退还方式 %(method)s。
    raise SplitError("method", _("Unknown refund method %(method)s.") % {"method": rule.method})
