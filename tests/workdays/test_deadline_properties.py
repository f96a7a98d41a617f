"""Properties of due_date (hypothesis), on the shipped calendar and on calendars hypothesis makes up."""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from medtalent.workdays.deadlines import WorkCalendar, due_date
from tests.workdays.conftest import shipped_calendar

SHIPPED = shipped_calendar()
starts = st.dates(min_value=dt.date(2023, 6, 1), max_value=dt.date(2027, 6, 30))
amounts = st.integers(min_value=0, max_value=400)
units = st.sampled_from(["days", "working_days", "weeks", "months"])


@st.composite
def calendars(draw):
    """A made-up calendar over 2024–2026: some weekdays off, some weekend days worked."""
    days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31))
    off = draw(st.frozensets(days.filter(lambda d: d.weekday() < 5), max_size=60))
    worked = draw(st.frozensets(days.filter(lambda d: d.weekday() >= 5), max_size=20))
    return WorkCalendar(days_off=off, workdays=worked, years=[2024, 2025, 2026])


any_calendar = st.one_of(st.just(SHIPPED), calendars())


@settings(max_examples=300, deadline=None)
@given(calendar=any_calendar, start=starts, amount=st.integers(min_value=1, max_value=400))
def test_a_working_day_count_never_lands_on_a_day_off(calendar, start, amount):
    assert calendar.is_working_day(due_date(start, amount, "working_days", calendar=calendar))


@settings(max_examples=300, deadline=None)
@given(calendar=any_calendar, start=starts, amount=st.integers(min_value=1, max_value=400))
def test_the_nth_working_day_is_after_the_previous_one(calendar, start, amount):
    previous = due_date(start, amount - 1, "working_days", calendar=calendar)
    nth = due_date(start, amount, "working_days", calendar=calendar)
    assert nth > previous
    # ... and every day between them is a day off.
    between = [previous + dt.timedelta(days=i) for i in range(1, (nth - previous).days)]
    assert not any(calendar.is_working_day(day) for day in between)


@settings(max_examples=300, deadline=None)
@given(calendar=any_calendar, start=starts, amount=amounts)
def test_working_days_counted_between_start_and_due_equal_the_amount(calendar, start, amount):
    due = due_date(start, amount, "working_days", calendar=calendar)
    counted = sum(calendar.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (due - start).days + 1))
    assert counted == amount


@settings(max_examples=500, deadline=None)
@given(start=starts, amount=st.integers(min_value=0, max_value=240))
def test_months_keep_the_day_number_or_end_on_the_month_end(start, amount):
    due = due_date(start, amount, "months")
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == amount
    month_end = std_calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, month_end)


@settings(max_examples=300, deadline=None)
@given(start=starts, amount=st.integers(min_value=0, max_value=240))
def test_a_month_end_start_ends_on_or_before_the_same_day_number(start, amount):
    due = due_date(start, amount, "months")
    if start.day > std_calendar.monthrange(due.year, due.month)[1]:
        next_day = due + dt.timedelta(days=1)
        assert next_day.day == 1  # the month's last day


@settings(max_examples=400, deadline=None)
@given(calendar=any_calendar, start=starts, amount=amounts, unit=units)
def test_roll_never_returns_a_day_off_and_never_moves_a_working_day(calendar, start, amount, unit):
    plain = due_date(start, amount, unit, calendar=calendar)
    rolled = due_date(start, amount, unit, roll=True, calendar=calendar)
    assert calendar.is_working_day(rolled)
    assert rolled >= plain
    if calendar.is_working_day(plain):
        assert rolled == plain
    else:
        assert not any(calendar.is_working_day(plain + dt.timedelta(days=i)) for i in range((rolled - plain).days))


@settings(max_examples=300, deadline=None)
@given(calendar=any_calendar, start=starts, amount=amounts, unit=units)
def test_the_due_date_is_never_before_the_event(calendar, start, amount, unit):
    due = due_date(start, amount, unit, calendar=calendar)
    assert due >= start
    if amount > 0:
        assert due > start
