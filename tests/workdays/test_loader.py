"""The calendar seed: loaded by load_seeds, idempotent, local days never overwritten; the cached calendar follows."""

from __future__ import annotations

import datetime as dt

import pytest

from medtalent.core.seeding import SeedDataError, SeedReport
from medtalent.workdays.enums import DayKind, DaySource
from medtalent.workdays.loaders import DATA_FILE, load_calendar
from medtalent.workdays.models import CalendarDay
from medtalent.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

D = dt.date


def test_the_seed_holds_every_day_of_2024_to_2026():
    # Loaded with the other seeds for the test session (tests/conftest.py).
    rows = CalendarDay.objects.filter(date__year__in=[2024, 2025, 2026])
    assert (rows.filter(kind=DayKind.HOLIDAY).count(), rows.filter(kind=DayKind.WORKDAY).count()) == (89, 19)
    national_day = CalendarDay.objects.get(date=D(2025, 10, 1))
    assert (national_day.kind, national_day.name_zh, national_day.name_en, national_day.source) == (
        "holiday",
        "国庆节",
        "National Day",
        "state_council",
    )
    make_up = CalendarDay.objects.get(date=D(2026, 2, 14))
    assert (make_up.kind, make_up.name_zh) == ("workday", "春节")


def test_a_second_load_changes_nothing():
    report = SeedReport()
    load_calendar(report)
    assert (report.created["workdays.CalendarDay"], report.updated["workdays.CalendarDay"]) == (0, 0)
    assert report.unchanged["workdays.CalendarDay"] == 108
    assert report.changed is False


def test_a_missing_day_is_created_again():
    CalendarDay.objects.filter(date=D(2026, 10, 1)).delete()
    report = SeedReport()
    load_calendar(report)
    assert report.created["workdays.CalendarDay"] == 1
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).kind == DayKind.HOLIDAY


def test_a_local_day_is_never_overwritten_not_even_with_overwrite():
    CalendarDay.objects.create(
        date=D(2026, 10, 8), kind=DayKind.HOLIDAY, source=DaySource.LOCAL, name_zh="本地调整", name_en="Local"
    )
    # A seeded day an administrator made local:
    CalendarDay.objects.filter(date=D(2026, 10, 7)).update(source=DaySource.LOCAL, name_zh="本地")
    report = SeedReport(overwrite=True)
    load_calendar(report)
    assert (report.kept["workdays.CalendarDay"], report.updated["workdays.CalendarDay"]) == (1, 0)
    assert list(
        CalendarDay.objects.filter(date__in=[D(2026, 10, 7), D(2026, 10, 8)]).values_list("date", "name_zh", "source")
    ) == [(D(2026, 10, 7), "本地", "local"), (D(2026, 10, 8), "本地调整", "local")]


def test_a_day_an_administrator_changed_is_kept_unless_overwrite():
    CalendarDay.objects.filter(date=D(2026, 10, 7)).update(name_en="Golden week")
    report = SeedReport()
    load_calendar(report)
    assert (report.kept["workdays.CalendarDay"], CalendarDay.objects.get(date=D(2026, 10, 7)).name_en) == (
        1,
        "Golden week",
    )
    load_calendar(SeedReport(overwrite=True))
    assert CalendarDay.objects.get(date=D(2026, 10, 7)).name_en == "National Day"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("years: [2026]\ndays:\n  - {date: 2026-13-01, kind: holiday}\n", "month must be in 1..12"),
        ("years: [2026]\ndays:\n  - {date: nope, kind: holiday}\n", "'nope' is not a date"),
        ("years: [2026]\ndays:\n  - {date: 2027-01-01, kind: holiday}\n", "outside the years of the file"),
        ("years: [2026]\ndays:\n  - {date: 2026-01-01, kind: rest}\n", "unknown kind 'rest'"),
        (
            "years: [2026]\ndays:\n  - {date: 2026-01-01, kind: holiday}\n  - {date: 2026-01-01, kind: holiday}\n",
            "2026-01-01 is listed twice",
        ),
    ],
)
def test_wrong_data_stops_the_load(tmp_path, text, problem):
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedDataError, match=problem):
        load_calendar(SeedReport(), path)


def test_the_cached_calendar_follows_a_saved_and_a_deleted_day():
    calendar = work_calendar()
    assert work_calendar() is calendar  # cached
    assert calendar.is_working_day(D(2026, 10, 9)) is True
    day = CalendarDay.objects.create(date=D(2026, 10, 9), kind=DayKind.HOLIDAY, source=DaySource.LOCAL)
    assert work_calendar().is_working_day(D(2026, 10, 9)) is False
    day.delete()
    assert work_calendar().is_working_day(D(2026, 10, 9)) is True


def test_the_calendar_covers_the_years_of_the_state_council_only():
    CalendarDay.objects.create(date=D(2027, 3, 1), kind=DayKind.HOLIDAY, source=DaySource.LOCAL)
    calendar = work_calendar()
    assert [calendar.covers(y) for y in (2023, 2024, 2025, 2026, 2027)] == [False, True, True, True, False]


def test_the_calendar_is_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        work_calendar()
        work_calendar()


def test_the_shipped_file_is_where_the_loader_reads():
    assert DATA_FILE.relative_to(DATA_FILE.parents[3]).as_posix() == "medtalent/workdays/data/calendar.yaml"
