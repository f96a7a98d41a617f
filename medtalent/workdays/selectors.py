"""Reads of the working-day calendar.

`work_calendar()` is built once per process from the `CalendarDay` rows and kept: saving or deleting a row clears
it (`signals`, connected by `WorkdaysConfig.ready()`), and it is rebuilt at most `MAX_AGE` after it was built so
that the other processes of a deployment see an administrator's change too.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from medtalent.workdays.enums import DayKind, DaySource
from medtalent.workdays.models import CalendarDay
from medtalent.workdays.workcalendar import WorkCalendar

# How long a process keeps the calendar it built (seconds): a change made in another process shows by then.
MAX_AGE = 300

_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None
_generation = 0  # counts the clearings: a calendar built while one happened is not kept


def build_work_calendar() -> WorkCalendar:
    """The calendar of the database, in one query. A year counts as known (`covers`) when it has a day of the
    State Council's arrangement."""
    days_off: list[dt.date] = []
    workdays: list[dt.date] = []
    years: set[int] = set()
    for day, kind, source in CalendarDay.objects.values_list("date", "kind", "source"):
        (workdays if kind == DayKind.WORKDAY else days_off).append(day)
        if source == DaySource.STATE_COUNCIL:
            years.add(day.year)
    return WorkCalendar(days_off=days_off, workdays=workdays, years=years)


def work_calendar() -> WorkCalendar:
    """The working-day calendar, cached for the process (cleared when a calendar day is saved or deleted)."""
    global _cached
    cached = _cached
    if cached is not None and time.monotonic() - cached[0] < MAX_AGE:
        return cached[1]
    generation = _generation
    calendar = build_work_calendar()
    with _lock:
        if generation == _generation:
            _cached = (time.monotonic(), calendar)
    return calendar


def clear_work_calendar() -> None:
    global _cached, _generation
    with _lock:
        _cached = None
        _generation += 1


def calendar_days_of_year(year: int):
    """The entries of one year, in date order (for the admin and reports)."""
    return CalendarDay.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)).order_by("date")
