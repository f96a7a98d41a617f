"""Which days are working days: a plain value built from the calendar data (`selectors.work_calendar()` builds it
from the `CalendarDay` rows), or made by hand in tests. No database here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

ONE_DAY = dt.timedelta(days=1)
# Monday is 0: Saturday and Sunday are days off unless a make-up working day (调休) says otherwise.
WEEKEND = frozenset({5, 6})


class WorkCalendar:
    """Days off and make-up working days; every other day follows the week (Monday–Friday work).

    `years` are the years whose State Council arrangement is loaded: for a date in another year only weekends
    are known (`covers(year)` says which case a date is in).
    """

    __slots__ = ("_days_off", "_workdays", "_years")

    def __init__(
        self, *, days_off: Iterable[dt.date] = (), workdays: Iterable[dt.date] = (), years: Iterable[int] = ()
    ) -> None:
        self._days_off = frozenset(days_off)
        self._workdays = frozenset(workdays)
        self._years = frozenset(years)
        both = self._days_off & self._workdays
        if both:
            raise ValueError(f"days both off and working: {sorted(both)}")

    @property
    def years(self) -> frozenset[int]:
        return self._years

    def covers(self, year: int) -> bool:
        """Whether the public holidays of `year` are known (else its days off are only the weekends)."""
        return year in self._years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._workdays:
            return True
        if day in self._days_off:
            return False
        return day.weekday() not in WEEKEND

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, amount: int) -> dt.date:
        """The `amount`-th working day after `start` (`start` itself does not count; 0: `start`)."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        day = start
        for _ in range(amount):
            day = self.next_working_day(day + ONE_DAY)
        return day

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (self._days_off, self._workdays, self._years) == (other._days_off, other._workdays, other._years)

    def __hash__(self) -> int:
        return hash((self._days_off, self._workdays, self._years))

    def __repr__(self) -> str:
        years = ", ".join(str(y) for y in sorted(self._years)) or "none"
        return f"<WorkCalendar years: {years}; {len(self._days_off)} days off, {len(self._workdays)} make-up days>"


# A calendar that knows no public holiday: weekends only.
WEEKENDS_ONLY = WorkCalendar()
