"""Human-readable durations, costs and quotas, in the active language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medtalent.catalog.enums import DurationUnit


def _unit(unit: str, count: int) -> str:
    if unit == DurationUnit.DAY:
        return ngettext("day", "days", count)
    if unit == DurationUnit.WEEK:
        return ngettext("week", "weeks", count)
    return ngettext("month", "months", count)


def format_duration(minimum: int | None, maximum: int | None, unit: str) -> str:
    """`1–2 个月` / `about 3 months`; empty when nothing is known."""
    if minimum is None and maximum is None:
        return ""
    if minimum is None or maximum is None or minimum == maximum:
        value = maximum if maximum is not None else minimum
        return _("%(value)s %(unit)s") % {"value": value, "unit": _unit(unit, value)}
    return _("%(min)s–%(max)s %(unit)s") % {"min": minimum, "max": maximum, "unit": _unit(unit, maximum)}


def _ten_thousand_yuan(amount: Decimal) -> str:
    value = (amount / Decimal(10000)).normalize()
    return f"{value:f}"


def format_cost(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """Costs are published in 万元 (10,000 yuan): `7.5–8.5 万元/人`."""
    if minimum is None and maximum is None:
        return ""
    if minimum is None or maximum is None or minimum == maximum:
        value = maximum if maximum is not None else minimum
        return _("about %(amount)s ×10,000 yuan per person") % {"amount": _ten_thousand_yuan(value)}
    return _("%(min)s–%(max)s ×10,000 yuan per person") % {
        "min": _ten_thousand_yuan(minimum),
        "max": _ten_thousand_yuan(maximum),
    }


def format_quota(quota) -> str:
    track = quota.get_track_display()
    if quota.minimum is not None and quota.minimum != quota.maximum:
        number = f"{quota.minimum}–{quota.maximum}"
    else:
        number = str(quota.maximum)
    if quota.approximate:
        return _("%(track)s: about %(number)s") % {"track": track, "number": number}
    return _("%(track)s: %(number)s") % {"track": track, "number": number}
