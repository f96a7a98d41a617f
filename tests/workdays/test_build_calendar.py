"""scripts/build_calendar.py rebuilds exactly the shipped calendar from the chinese-calendar package."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from medtalent.workdays.loaders import DATA_FILE

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_calendar.py"


def build_calendar():
    spec = importlib.util.spec_from_file_location("build_calendar", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_file_is_what_the_script_builds(tmp_path):
    pytest.importorskip("chinese_calendar")
    output = tmp_path / "calendar.yaml"
    assert build_calendar().main(["2024", "2025", "2026", "-o", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == DATA_FILE.read_text(encoding="utf-8")


def test_the_2026_arrangement_is_in():
    days = build_calendar().calendar_days([2026])
    spring = [d["date"] for d in days if d["name_en"] == "Spring Festival" and d["kind"] == "holiday"]
    assert (spring[0], spring[-1], len(spring)) == (dt.date(2026, 2, 15), dt.date(2026, 2, 23), 9)
    assert [d["date"] for d in days if d["kind"] == "workday"] == [
        dt.date(2026, 1, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 9),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    ]


def test_a_year_the_package_does_not_know_stops_the_script():
    with pytest.raises(SystemExit, match="has no data for 1990"):
        build_calendar().calendar_days([1990])
