"""The rules an application meets however it is made: by its applicant (`services.application_create`) and by
a unit's bulk import (`imports`). One function holds each rule; both callers raise or list its message."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog.enums import DAYS_PER_UNIT
from medtalent.catalog.formatting import format_duration
from medtalent.catalog.models import Category, Round
from medtalent.catalog.selectors import unit_may_send
from medtalent.eligibility.selectors import frozen_category_duration


def application_target_problem(round_: Round, category: Category | None) -> str | None:
    """Why an application may not go to this round and category (a problem of its `category` field), or None:
    the category belongs to the round's programme, and is required when the programme has categories."""
    if category is not None and category.programme_id != round_.programme_id:
        return _("This category does not belong to the programme of this round.")
    if category is None and round_.programme.categories.exists():
        return _("Choose a category: this programme has several.")
    return None


def live_applications(*, round_id: int, category_id: int | None) -> QuerySet[Application]:
    """The applications to a round and category that count: all but the withdrawn. A person has at most one."""
    applications = Application.objects.filter(round_id=round_id).exclude(state=ApplicationState.WITHDRAWN)
    if category_id is None:
        return applications.filter(category__isnull=True)
    return applications.filter(category_id=category_id)


def sending_unit_problem(*, programme, organisation) -> str:
    """Why `organisation` may not send applicants to `programme` (its sending regions, tags or units), or ""."""
    if unit_may_send(programme=programme, organisation=organisation):
        return ""
    # Translators: 中文：%(unit)s不在“%(programme)s”可选派的单位范围内。
    return _("%(unit)s is not among the units that may send applicants to “%(programme)s”.") % {
        "unit": organisation.name if organisation is not None else "—",
        "programme": programme.name,
    }


def duration_limits(round_: Round, category: Category | None) -> tuple[int | None, int | None, str]:
    """The (shortest, longest, unit) duration an application may request: the category's (as the round opened
    with it), else the programme's."""
    if category is not None:
        low, high, unit = frozen_category_duration(round_, category)
        if low is not None or high is not None:
            return low, high, unit
    programme = round_.programme
    return programme.duration_min, programme.duration_max, programme.duration_unit


def _days(value: int, unit: str) -> int:
    return value * DAYS_PER_UNIT.get(unit, 1)


def duration_problem(round_: Round, category: Category | None, value: int | None, unit: str) -> str | None:
    """Why a requested duration lies outside the allowed range (a problem of `requested_duration`), or None."""
    if value is None:
        return None
    low, high, limit_unit = duration_limits(round_, category)
    if low is None and high is None:
        return None
    if unit == limit_unit:
        too_short = low is not None and value < low
        too_long = high is not None and value > high
    else:  # compared in days only when the units differ
        days = _days(value, unit)
        too_short = low is not None and days < _days(low, limit_unit)
        too_long = high is not None and days > _days(high, limit_unit)
    if not (too_short or too_long):
        return None
    if low is not None and high is not None:
        # Translators: 中文：申请研修时长须在允许范围内：%(range)s。
        return _("The requested duration must be within the allowed range: %(range)s.") % {
            "range": format_duration(low, high, limit_unit)
        }
    if low is not None:
        # Translators: 中文：申请研修时长至少为%(duration)s。
        return _("The requested duration must be at least %(duration)s.") % {
            "duration": format_duration(low, low, limit_unit)
        }
    # Translators: 中文：申请研修时长最多为%(duration)s。
    return _("The requested duration must be at most %(duration)s.") % {
        "duration": format_duration(high, high, limit_unit)
    }
