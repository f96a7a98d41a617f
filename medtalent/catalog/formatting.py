"""Human-readable durations, costs and quotas, in the active language."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from medtalent.catalog.enums import DurationUnit, QuotaUnused, Track
from medtalent.workdays.enums import DeadlineUnit


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


def _deadline_unit(unit: str, count: int) -> str:
    """A deadline's unit (workdays.enums.DeadlineUnit; the duration units day/week/month are read alike)."""
    if unit in (DeadlineUnit.DAYS, DurationUnit.DAY):
        return ngettext("day", "days", count)
    if unit in (DeadlineUnit.WEEKS, DurationUnit.WEEK):
        return ngettext("week", "weeks", count)
    if unit == DeadlineUnit.WORKING_DAYS:
        # Translators: 中文：个工作日
        return ngettext("working day", "working days", count)
    if unit in (DeadlineUnit.MONTHS, DurationUnit.MONTH):
        return ngettext("month", "months", count)
    raise ValueError(f"unknown deadline unit {unit!r}")


def format_deadline(amount: int | None, unit: str) -> str:
    """`1 个月` / `15 个工作日` / `15 working days`; "" when no amount is given."""
    if amount is None:
        return ""
    return _("%(value)s %(unit)s") % {"value": amount, "unit": _deadline_unit(unit, amount)}


def format_every(amount: int | None, unit: str) -> str:
    """A cadence: `每 2 周` / `every 2 weeks`; "" when no amount is given."""
    if amount is None:
        return ""
    # Translators: 中文：每 %(period)s
    return _("every %(period)s") % {"period": format_deadline(amount, unit)}


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


def _list_separator() -> str:
    return "、" if _counts_in_ten_thousands() else ", "


def _quota_scope(quota) -> list[str]:
    """The group a quota counts, besides its track: category, place, sending unit or region, unit tag."""
    scope = []
    if quota.category_id:
        scope.append(quota.category.name)
    if quota.offering_id:
        # Translators: 中文：赴%(place)s
        scope.append(_("at %(place)s") % {"place": quota.offering})
    elif quota.host_id:
        # Translators: 中文：赴%(place)s
        scope.append(_("at %(place)s") % {"place": quota.host.name})
    for related in ("sending_unit", "sending_region", "tag"):
        if getattr(quota, f"{related}_id"):
            scope.append(getattr(quota, related).name)
    return scope


def format_quota(quota) -> str:
    """`医生约 40 人` / `Doctor: about 40`; with a group: `医生（A 类、山区海岛县）约 30 人`; a quota reserved
    inside another: `其中山区海岛县预留 5 人` / `of which 5 reserved for mountain-area and island counties`.
    Reads the quota's category, offering, host, sending unit or region and tag when set (select them)."""
    if quota.minimum is not None and quota.minimum != quota.maximum:
        number = f"{quota.minimum}–{quota.maximum}"
    else:
        number = str(quota.maximum)
    scope = _quota_scope(quota)
    if quota.parent_id:
        if quota.track and quota.track != Track.ANY:
            scope.insert(0, str(quota.get_track_display()))
        values = {"scope": _list_separator().join(scope) or quota.get_track_display(), "number": number}
        if quota.approximate:
            # Translators: 中文：其中%(scope)s预留约 %(number)s 人
            text = _("of which about %(number)s reserved for %(scope)s") % values
        else:
            # Translators: 中文：其中%(scope)s预留 %(number)s 人
            text = _("of which %(number)s reserved for %(scope)s") % values
        if quota.unused == QuotaUnused.LAPSE:
            # Translators: 中文：%(quota)s（未用名额作废）
            text = _("%(quota)s (unused places lapse)") % {"quota": text}
        return text
    track = quota.get_track_display()
    if scope:
        # Translators: 中文：%(track)s（%(scope)s）
        track = _("%(track)s (%(scope)s)") % {"track": track, "scope": _list_separator().join(scope)}
    if quota.approximate:
        return _("%(track)s: about %(number)s") % {"track": track, "number": number}
    return _("%(track)s: %(number)s") % {"track": track, "number": number}
