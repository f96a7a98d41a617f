"""due_date on the shipped calendar: Civil Code arts. 201–203 on real dates of 2024–2026."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.workdays.deadlines import WEEKENDS_ONLY, WorkCalendar, add_months, due_date, due_dates_every
from medtalent.workdays.enums import DeadlineUnit
from tests.workdays.conftest import shipped_calendar

D = dt.date
CALENDAR = shipped_calendar()


@pytest.mark.parametrize(
    ("start", "amount", "unit", "roll", "due"),
    [
        # 15 working days across the National Day holiday of 2025 (1–8 October off; 28 Sep and 11 Oct worked).
        (D(2025, 9, 25), 15, "working_days", False, D(2025, 10, 22)),
        # The example: 25 September 2026 is itself a day off (Mid-autumn); 10 October 2026 is worked.
        (D(2026, 9, 25), 15, "working_days", False, D(2026, 10, 22)),
        # Months: the same day number, or the month's last day (art. 202).
        (D(2026, 1, 31), 1, "months", False, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, "months", False, D(2024, 2, 29)),
        (D(2025, 8, 31), 1, "months", False, D(2025, 9, 30)),
        (D(2025, 11, 30), 3, "months", False, D(2026, 2, 28)),
        (D(2025, 3, 15), 12, "months", False, D(2026, 3, 15)),
        # Days and weeks start the day after the event (art. 201).
        (D(2026, 9, 25), 15, "days", False, D(2026, 10, 10)),
        (D(2025, 6, 30), 2, "weeks", False, D(2025, 7, 14)),
        # Roll (art. 203): one month after 16 January 2026 is 16 February, a Spring Festival day off (16–23 off).
        (D(2026, 1, 16), 1, "months", False, D(2026, 2, 16)),
        (D(2026, 1, 16), 1, "months", True, D(2026, 2, 24)),
        # A due date on a make-up working day (Saturday 10 October 2026) stays.
        (D(2026, 9, 25), 15, "days", True, D(2026, 10, 10)),
        # Onto the National Day holiday of 2025, moved to 9 October.
        (D(2025, 9, 30), 1, "days", True, D(2025, 10, 9)),
        # Onto a weekend, moved to the Monday.
        (D(2025, 3, 7), 1, "days", True, D(2025, 3, 10)),
        # Zero: the event's own day.
        (D(2025, 3, 7), 0, "working_days", False, D(2025, 3, 7)),
    ],
)
def test_due_date_on_the_shipped_calendar(start, amount, unit, roll, due):
    assert due_date(start, amount, unit, roll=roll, calendar=CALENDAR) == due


def test_unit_may_be_the_enum_or_its_value():
    assert due_date(D(2025, 9, 25), 15, DeadlineUnit.WORKING_DAYS, calendar=CALENDAR) == D(2025, 10, 22)


def test_legacy_duration_units_are_read_as_deadline_units():
    assert due_date(D(2026, 1, 31), 1, "month") == D(2026, 2, 28)
    assert due_date(D(2026, 1, 31), 2, "week") == D(2026, 2, 14)


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown deadline unit 'fortnights'"):
        due_date(D(2026, 1, 1), 1, "fortnights")


def test_negative_amount_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        due_date(D(2026, 1, 1), -1, "days")


def test_amount_must_be_a_whole_number():
    with pytest.raises(TypeError):
        due_date(D(2026, 1, 1), 1.5, "days")  # type: ignore[arg-type]


def test_past_the_year_9999_is_an_overflow():
    with pytest.raises(OverflowError):
        due_date(D(9999, 12, 31), 1, "days")


def test_outside_the_loaded_years_only_weekends_are_days_off():
    assert (CALENDAR.covers(2026), CALENDAR.covers(2027), CALENDAR.covers(2023)) == (True, False, False)
    # 1 October 2027 is a Friday: without the 2027 arrangement it is a working day.
    assert CALENDAR.is_working_day(D(2027, 10, 1)) is True
    assert due_date(D(2027, 9, 30), 1, "working_days", calendar=CALENDAR) == D(2027, 10, 1)
    assert due_date(D(2027, 10, 1), 1, "days", roll=True, calendar=CALENDAR) == D(2027, 10, 4)


def test_weekends_only_calendar():
    assert (WEEKENDS_ONLY.is_working_day(D(2025, 10, 1)), WEEKENDS_ONLY.is_working_day(D(2025, 10, 4))) == (
        True,
        False,
    )
    assert WEEKENDS_ONLY.covers(2025) is False


def test_make_up_working_days_count():
    assert CALENDAR.is_working_day(D(2025, 9, 28)) is True  # a Sunday worked for National Day
    assert CALENDAR.is_working_day(D(2025, 10, 6)) is False  # a Monday off (Mid-autumn)
    # Friday 26 September 2025 + 1 working day is Sunday 28 September (a make-up working day), not Monday.
    assert due_date(D(2025, 9, 26), 1, "working_days", calendar=CALENDAR) == D(2025, 9, 28)


def test_a_calendar_day_cannot_be_both_off_and_worked():
    with pytest.raises(ValueError, match="both off and working"):
        WorkCalendar(days_off=[D(2026, 1, 1)], workdays=[D(2026, 1, 1)])


def test_add_months_crosses_years():
    assert add_months(D(2025, 12, 31), 2) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_due_dates_every_two_weeks_during_a_stint():
    dates = list(due_dates_every(D(2026, 3, 2), D(2026, 4, 30), 2, "weeks", calendar=CALENDAR))
    assert dates == [D(2026, 3, 16), D(2026, 3, 30), D(2026, 4, 13), D(2026, 4, 27)]


def test_due_dates_every_month_do_not_drift_after_a_short_month():
    dates = list(due_dates_every(D(2026, 1, 31), D(2026, 5, 31), 1, "months", calendar=CALENDAR))
    assert dates == [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]


def test_due_dates_every_rolled():
    dates = list(due_dates_every(D(2026, 1, 16), D(2026, 3, 31), 1, "months", roll=True, calendar=CALENDAR))
    assert dates == [D(2026, 2, 24), D(2026, 3, 16)]
