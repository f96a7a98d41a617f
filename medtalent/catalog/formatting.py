"""Human-readable durations, costs and quotas, in the active language."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from medtalent.catalog.enums import DurationUnit


def _unit(unit: str, count: int) -> str:
    if unit == DurationUnit.DAY:
        return ngettext("day", "days", count)
    if unit == DurationUnit.WEEK:
        return ngettext("week", "weeks", count)
    return ngettext("month", "months", count)


def _largest_exact_unit(days: int) -> tuple[int, str]:
    """7 days → (1, week); 90 days → (3, month); 10 days → (10, day)."""
    if days and days % 30 == 0:
        return days // 30, DurationUnit.MONTH
    if days and days % 7 == 0:
        return days // 7, DurationUnit.WEEK
    return days, DurationUnit.DAY


def format_duration(minimum: int | None, maximum: int | None, unit: str) -> str:
    """`1–2 个月` / `3 months`; a range stored in days shows each end in its own unit (`1 周–3 个月`)."""
    if minimum is None and maximum is None:
        return ""
    if unit == DurationUnit.DAY and minimum is not None and maximum is not None and minimum != maximum:
        (low, low_unit), (high, high_unit) = _largest_exact_unit(minimum), _largest_exact_unit(maximum)
        if low_unit != high_unit:
            return _("%(min)s %(min_unit)s – %(max)s %(max_unit)s") % {
                "min": low,
                "min_unit": _unit(low_unit, low),
                "max": high,
                "max_unit": _unit(high_unit, high),
            }
        minimum, maximum, unit = low, high, low_unit
    if minimum is None or maximum is None or minimum == maximum:
        value = maximum if maximum is not None else minimum
        return _("%(value)s %(unit)s") % {"value": value, "unit": _unit(unit, value)}
    return _("%(min)s–%(max)s %(unit)s") % {"min": minimum, "max": maximum, "unit": _unit(unit, maximum)}


def _ten_thousand_yuan(amount: Decimal) -> str:
    value = (amount / Decimal(10000)).normalize()
    return f"{value:f}"


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal(1)):,f}"


def _counts_in_ten_thousands() -> bool:
    """Chinese states money in 万 (10,000 yuan), as the policies print it; English in whole yuan."""
    return (get_language() or settings.LANGUAGE_CODE).startswith("zh")


def format_cost(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """`7.5–8.5 万元/人` in Chinese, `75,000–85,000 yuan per person` in English; "" when no figure is given."""
    if minimum is None or maximum is None or minimum == maximum:
        value = maximum if maximum is not None else minimum
        if value is None:
            return ""
        if _counts_in_ten_thousands():
            return _("about %(amount)s ×10,000 yuan per person") % {"amount": _ten_thousand_yuan(value)}
        # Translators: 中文：约 %(amount)s 元/人
        return _("about %(amount)s yuan per person") % {"amount": _yuan(value)}
    if _counts_in_ten_thousands():
        return _("%(min)s–%(max)s ×10,000 yuan per person") % {
            "min": _ten_thousand_yuan(minimum),
            "max": _ten_thousand_yuan(maximum),
        }
    # Translators: 中文：%(min)s–%(max)s 元/人
    return _("%(min)s–%(max)s yuan per person") % {"min": _yuan(minimum), "max": _yuan(maximum)}


def format_quota(quota) -> str:
    track = quota.get_track_display()
    if quota.minimum is not None and quota.minimum != quota.maximum:
        number = f"{quota.minimum}–{quota.maximum}"
    else:
        number = str(quota.maximum)
    if quota.approximate:
        return _("%(track)s: about %(number)s") % {"track": track, "number": number}
    return _("%(track)s: %(number)s") % {"track": track, "number": number}
