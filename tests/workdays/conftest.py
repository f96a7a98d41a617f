"""The working-day calendar of the tests: the shipped file read without the database (`shipped_calendar`), and the
process's cached calendar cleared around every test (a test's rows are rolled back without a signal)."""

from __future__ import annotations

import pytest

from medtalent.core.seeding import read_yaml
from medtalent.workdays.loaders import DATA_FILE
from medtalent.workdays.selectors import clear_work_calendar
from medtalent.workdays.workcalendar import WorkCalendar


def shipped_calendar() -> WorkCalendar:
    data = read_yaml(DATA_FILE)
    return WorkCalendar(
        days_off=[e["date"] for e in data["days"] if e["kind"] == "holiday"],
        workdays=[e["date"] for e in data["days"] if e["kind"] == "workday"],
        years=data["years"],
    )


@pytest.fixture(autouse=True)
def _fresh_work_calendar():
    clear_work_calendar()
    yield
    clear_work_calendar()
