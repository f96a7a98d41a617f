"""Seed data of the workdays app: the State Council's public holidays and make-up working days
(`data/calendar.yaml`, built by scripts/build_calendar.py).

Idempotent: a day is matched by its date, created when missing, updated when it differs (unless an administrator
changed it since; `load_seeds --overwrite` restores it). A local day (source `local`, entered in the admin) is
never touched, not even with --overwrite: it is counted as kept. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from medtalent.core.seeding import SeedDataError, SeedReport, read_yaml, upsert_known
from medtalent.workdays.enums import DayKind, DaySource
from medtalent.workdays.models import CalendarDay

DATA_FILE = Path(__file__).resolve().parent / "data" / "calendar.yaml"


def load_calendar(report: SeedReport, path: Path = DATA_FILE) -> None:
    try:
        data = read_yaml(path) or {}
    except (yaml.YAMLError, ValueError) as exc:  # e.g. 2026-13-01 read as a date
        raise SeedDataError(f"{path.name}: {exc}") from exc
    years = set(data.get("years") or [])
    existing = {day.date: day for day in CalendarDay.objects.all()}
    seen: set[dt.date] = set()
    for position, entry in enumerate(data.get("days") or [], start=1):
        where = f"{path.name}, day {position}"
        day = entry.get("date")
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise SeedDataError(f"{where}: {day!r} is not a date (YYYY-MM-DD)")
        if day in seen:
            raise SeedDataError(f"{where}: {day} is listed twice")
        seen.add(day)
        if day.year not in years:
            raise SeedDataError(f"{where}: {day} is outside the years of the file {sorted(years)}")
        if entry.get("kind") not in DayKind.values:
            raise SeedDataError(f"{where}: unknown kind {entry.get('kind')!r}")
        current = existing.get(day)
        if current is not None and current.source == DaySource.LOCAL:
            report.count(CalendarDay, "kept")
            continue
        upsert_known(
            CalendarDay,
            existing=existing,
            key=day,
            create={"date": day},
            values={
                "kind": entry["kind"],
                "name_zh": entry.get("name_zh", ""),
                "name_en": entry.get("name_en", ""),
                "source": DaySource.STATE_COUNCIL,
            },
            report=report,
        )
