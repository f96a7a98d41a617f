"""Who pays which part of a training's cost: the split of a total by a cost-share rule. Pure: plain values in,
plain values out, no database (`policy.selectors.cost_share_rule_for` finds the rule, `CostShareRuleSpec.of` reads
it).

The split, in order:

1. each payer's share is `amount × ratio / 100` (the ratios add up to 100 %);
2. a capped share keeps at most its cap (a cap per person per month counts `months` times); what lies above the
   cap moves to the share's excess payer. The excess a payer receives is never capped itself (the excess payer's
   own share, by its ratio, may be capped and move on in its turn; moved money moves once). An excess payer that
   has no ratio in the rule appears in the answer with a ratio of 0;
3. every share is rounded to the rule's unit (the cent or the yuan) by the largest-remainder method: each share
   is rounded down, and the units left over go one each to the shares with the largest remainders (ties: the
   order of the rule), never to a share held at its cap (should every share be held at a cap that is not a whole
   number of yuan, they are rounded to the cent instead). So the shares always add up EXACTLY to the total. When
   the total itself is not a whole number of units (yuan rounding of 75,000.50), the cents below the unit go to
   the share that receives the first leftover unit (or, when there is none, to the first share with the largest
   remainder).

`excess` in the answer is the total moved above caps, to the cent. Decimal throughout, never float.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from medtalent.policy.enums import CapPer, Payer, Rounding

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)
UNITS: dict[str, Decimal] = {Rounding.CENT: CENT, Rounding.YUAN: Decimal(1)}
_PRECISION = 60  # digits: amount × ratio / 100 is exact at this precision for any amount a rule can hold


def percent(value: Decimal) -> str:
    """A ratio as people write it: 90, 33.5, 33.33 (no exponent, no trailing zeros)."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def payer_name(payer: str) -> str:
    """A payer's name in the active language ("基金会"), or its code when it is not a known payer."""
    return str(Payer(payer).label) if payer in Payer.values else payer


class SplitError(ValueError):
    """The rule or the request cannot give a split; `field` names what is wrong ("months", "amount", "ratio")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ShareSpec:
    """One payer's part of a rule: a ratio in % (50 for 50 %), optionally capped (in yuan, per person or per person
    per month); above the cap the excess goes to `excess_payer`."""

    payer: str
    ratio: Decimal
    cap: Decimal | None = None
    cap_per: str = CapPer.PERSON
    excess_payer: str = ""


@dataclass(frozen=True)
class CostShareRuleSpec:
    shares: tuple[ShareSpec, ...]
    rounding: str = Rounding.CENT

    @classmethod
    def of(cls, rule) -> CostShareRuleSpec:
        """The spec of a `policy.CostShareRule` row (its `shares`, prefetched or not, in their order)."""
        return cls(
            shares=tuple(
                ShareSpec(
                    payer=s.payer,
                    ratio=Decimal(s.ratio),
                    cap=None if s.cap is None else Decimal(s.cap),
                    cap_per=s.cap_per,
                    excess_payer=s.excess_payer or "",
                )
                for s in rule.shares.all()
            ),
            rounding=rule.rounding,
        )

    @property
    def needs_months(self) -> bool:
        """Whether a split needs the number of months: a share is capped per person per month."""
        return any(s.cap is not None and s.cap_per == CapPer.MONTH for s in self.shares)


@dataclass(frozen=True)
class Share:
    payer: str
    ratio: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Split:
    shares: list[Share]
    excess: Decimal

    def amount_of(self, payer: str) -> Decimal:
        return next((s.amount for s in self.shares if s.payer == payer), ZERO)


def spec_problems(rule: CostShareRuleSpec) -> list[SplitError]:
    """What makes a rule unusable: ratios not adding up to 100 %, a payer twice, a cap without an excess payer
    (or with itself as the excess payer), a negative cap, an unknown rounding. Empty: the rule is sound."""
    problems = []
    total = sum((s.ratio for s in rule.shares), ZERO)
    if total != HUNDRED:
        # Translators: 中文：各方承担比例之和应为 100%%，现为 %(total)s%%。
        message = _("The ratios add up to %(total)s %%, not 100 %%.")
        problems.append(SplitError("ratio", message % {"total": percent(total)}))
    payers = [s.payer for s in rule.shares]
    for payer in sorted({p for p in payers if payers.count(p) > 1}):
        # Translators: 中文：承担方 %(payer)s 出现了两次。
        problems.append(SplitError("payer", _("The payer %(payer)s appears twice.") % {"payer": payer_name(payer)}))
    for s in rule.shares:
        if s.ratio < ZERO or s.ratio > HUNDRED:
            # Translators: 中文：%(payer)s 的比例应在 0 到 100%% 之间。
            message = _("The ratio of %(payer)s is not between 0 and 100 %%.")
            problems.append(SplitError("ratio", message % {"payer": payer_name(s.payer)}))
        if s.cap is None:
            continue
        if s.cap < ZERO:
            # Translators: 中文：%(payer)s 的封顶金额不能为负数。
            problems.append(SplitError("cap", _("The cap of %(payer)s is negative.") % {"payer": payer_name(s.payer)}))
        if not s.excess_payer or s.excess_payer == s.payer:
            # Translators: 中文：%(payer)s 设有封顶金额，需指定另一方承担超出部分。
            message = _("The share of %(payer)s is capped: name another payer for the part above the cap.")
            problems.append(SplitError("excess_payer", message % {"payer": payer_name(s.payer)}))
    if rule.rounding not in UNITS:
        # Translators: 中文：未知的取整方式 %(rounding)s。
        problems.append(SplitError("rounding", _("Unknown rounding %(rounding)s.") % {"rounding": rule.rounding}))
    return problems


def split(rule: CostShareRuleSpec, amount: Decimal, months: int | None = None) -> Split:
    """Split `amount` (yuan, at most 2 decimals, not negative) by `rule`; `months` is required when a share is
    capped per person per month (ignored otherwise). Raises SplitError for a rule or a request that cannot be
    split."""
    problems = spec_problems(rule)
    if problems:
        raise problems[0]
    amount = Decimal(amount)
    if not amount.is_finite() or amount < ZERO or amount != amount.quantize(CENT):
        # Translators: 中文：金额应为不小于 0、最多两位小数的数。
        raise SplitError("amount", _("The amount must be a number of yuan, not negative, with at most 2 decimals."))
    if rule.needs_months and (months is None or months < 1):
        # Translators: 中文：此规则按每人每月封顶，请填写月数（至少 1）。
        message = _("This rule caps a share per person per month: give the number of months (1 or more).")
        raise SplitError("months", message)

    with localcontext(prec=_PRECISION):
        ideal = [amount * s.ratio / HUNDRED for s in rule.shares]
        payers = [s.payer for s in rule.shares]
        ratios = [s.ratio for s in rule.shares]
        exact = list(ideal)
        at_cap: set[int] = set()
        excess = ZERO
        received: dict[str, Decimal] = {}
        for index, s in enumerate(rule.shares):
            if s.cap is None:
                continue
            cap = s.cap * months if s.cap_per == CapPer.MONTH and months else s.cap
            unit = UNITS[rule.rounding]
            if ideal[index] < cap and (ideal[index] / unit).to_integral_value(rounding=ROUND_CEILING) * unit > cap:
                # Below its cap, but rounding it up to the unit would pass the cap: held like a share at its cap.
                at_cap.add(index)
            if ideal[index] >= cap:
                at_cap.add(index)
                moved = ideal[index] - cap
                exact[index] = cap
                if moved:
                    excess += moved
                    received[s.excess_payer] = received.get(s.excess_payer, ZERO) + moved
        for payer, moved in received.items():
            if payer not in payers:
                payers.append(payer)
                ratios.append(ZERO)
                exact.append(ZERO)
            index = payers.index(payer)
            exact[index] += moved
            at_cap.discard(index)  # it receives money: it is no longer held at a cap
        amounts = allocate(exact, amount, UNITS[rule.rounding], no_round_up=at_cap)
        shares = [Share(p, r, a) for p, r, a in zip(payers, ratios, amounts, strict=True)]
        return Split(shares=shares, excess=excess.quantize(CENT, rounding=ROUND_HALF_UP))


def allocate(
    exact: Sequence[Decimal], total: Decimal, unit: Decimal, *, no_round_up: Iterable[int] = ()
) -> list[Decimal]:
    """Round each of `exact` (which add up to `total`) to `unit` by the largest-remainder method, so that the
    results add up exactly to `total` (a number of cents). The entries of `no_round_up` are only rounded down
    while another entry can take the units left over. Shared by the split and the clawback."""
    with localcontext(prec=_PRECISION):
        floors = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
        remainders = [e - f for e, f in zip(exact, floors, strict=True)]
        whole_total = (total / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
        below_unit = total - whole_total  # a total that is not a whole number of units leaves these cents
        leftover = int((whole_total - sum(floors, ZERO)) / unit)
        held = set(no_round_up)
        # By the largest remainder (ties: the given order), the held entries left out while there are others; when
        # more units are left than entries to take them (the held ones had the remainders), they go round again.
        candidates = sorted((i for i in range(len(exact)) if i not in held), key=lambda i: (-remainders[i], i))
        if not candidates and (leftover > 0 or below_unit) and unit != CENT:
            # Every entry is held (each capped share exactly at a cap that is not a whole number of yuan): the
            # yuan cannot add up without going above a cap, so these are rounded to the cent instead.
            return allocate(exact, total, CENT)
        candidates = candidates or sorted(range(len(exact)), key=lambda i: (-remainders[i], i))
        amounts = list(floors)
        for position in range(max(leftover, 0)):
            amounts[candidates[position % len(candidates)]] += unit
        if below_unit and candidates:
            amounts[candidates[0]] += below_unit
        return [a.quantize(CENT) for a in amounts]
