"""Deadlines: every due date in MedTalent is computed by `due_date`, from a policy's amount and unit.

Chinese law counts a period from the day after the event (Civil Code art. 201): 15 days after 25 September end on
10 October. A period in months ends on the same day number `amount` months later, or on that month's last day when
it has no such day (art. 202: one month after 31 January is the last day of February). A period in working days ends
on the `amount`-th working day after the event, on the working-day calendar (public holidays are days off, make-up
working days are working days). Whether a due date on a day off moves to the next working day (art. 203) is a
switch of the deadline rule (`roll`), off unless the policy says so.

`due_date` is pure when given a calendar; without one it reads the calendar of the database
(`selectors.work_calendar()`), and only when the unit or `roll` needs it.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterator

from medtalent.workdays.enums import DeadlineUnit
from medtalent.workdays.selectors import work_calendar
from medtalent.workdays.workcalendar import WEEKENDS_ONLY, WorkCalendar

__all__ = ["WEEKENDS_ONLY", "DeadlineUnit", "WorkCalendar", "add_months", "due_date", "due_dates_every"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number `months` later, or that month's last day if it has none (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


# The duration units (catalog.enums.DurationUnit) that rows written before deadlines had their own units hold.
LEGACY_UNITS = {"day": DeadlineUnit.DAYS, "week": DeadlineUnit.WEEKS, "month": DeadlineUnit.MONTHS}


def _unit(unit: DeadlineUnit | str) -> DeadlineUnit:
    try:
        return DeadlineUnit(LEGACY_UNITS.get(unit, unit))
    except ValueError:
        raise ValueError(f"unknown deadline unit {unit!r}; one of {', '.join(DeadlineUnit.values)}") from None


def due_date(
    start: dt.date,
    amount: int,
    unit: DeadlineUnit | str,
    *,
    roll: bool = False,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The last day of a period of `amount` `unit`s counted from the event on `start` (the period starts the day
    after it). `roll`: a due date on a day off moves to the next working day. Raises ValueError for an unknown unit
    or a negative amount, OverflowError past the year 9999."""
    unit = _unit(unit)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("amount must be a whole number")
    if amount < 0:
        raise ValueError("amount must not be negative")
    if unit == DeadlineUnit.WORKING_DAYS or roll:
        calendar = calendar if calendar is not None else work_calendar()
    if unit == DeadlineUnit.DAYS:
        due = start + dt.timedelta(days=amount)
    elif unit == DeadlineUnit.WEEKS:
        due = start + dt.timedelta(weeks=amount)
    elif unit == DeadlineUnit.MONTHS:
        due = add_months(start, amount)
    else:
        assert calendar is not None
        due = calendar.add_working_days(start, amount)
    if roll:
        assert calendar is not None
        due = calendar.next_working_day(due)
    return due


def due_dates_every(
    start: dt.date,
    end: dt.date,
    amount: int,
    unit: DeadlineUnit | str,
    *,
    roll: bool = False,
    calendar: WorkCalendar | None = None,
) -> Iterator[dt.date]:
    """The due dates of a report every `amount` `unit`s from `start` until `end` (included): the k-th is
    `due_date(start, k × amount, unit)`, so months do not drift after a short month (e.g. progress reports every
    2 weeks during a stint)."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    unit = _unit(unit)
    if unit == DeadlineUnit.WORKING_DAYS or roll:
        calendar = calendar if calendar is not None else work_calendar()
    k = 1
    while True:
        due = due_date(start, k * amount, unit, calendar=calendar)
        if due > end:
            return
        yield calendar.next_working_day(due) if roll and calendar is not None else due
        k += 1
