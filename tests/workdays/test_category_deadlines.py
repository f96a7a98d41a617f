"""Deadlines on a category: the seed files' report_due and progress_every, shown with format_deadline."""

from __future__ import annotations

import pytest
from django.utils import translation

from medtalent.catalog.formatting import format_deadline, format_every
from medtalent.catalog.loaders import load_programmes
from medtalent.catalog.models import Category
from medtalent.core.seeding import SeedDataError, SeedReport

PROGRAMME = """\
code: h4-deadlines
name_zh: 期限测试项目
owner: zj-hc
programme_type: overseas_fellowship
categories:
  - code: h4-deadlines-a
    name_zh: 甲类
    report_due: {value: 10, unit: working_days, roll: true}
    progress_every: {value: 2, unit: week}
  - code: h4-deadlines-b
    name_zh: 乙类
    report_due: {value: 1, unit: month}
  - code: h4-deadlines-c
    name_zh: 丙类
"""


def write(tmp_path, text: str):
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
def test_report_due_and_progress_every_are_loaded(tmp_path):
    load_programmes(SeedReport(), data_dir=write(tmp_path, PROGRAMME))
    rows = Category.objects.filter(programme__code="h4-deadlines").order_by("code")
    assert [
        (c.report_due_value, c.report_due_unit, c.report_due_roll, c.progress_every_value, c.progress_every_unit)
        for c in rows
    ] == [
        (10, "working_days", True, 2, "weeks"),
        (1, "months", False, None, "weeks"),
        (None, "months", False, None, "weeks"),
    ]


@pytest.mark.django_db
def test_a_second_load_changes_nothing(tmp_path):
    load_programmes(SeedReport(), data_dir=write(tmp_path, PROGRAMME))
    report = SeedReport()
    load_programmes(report, data_dir=tmp_path)
    assert report.changed is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("report_due", "problem"),
    [
        ("{value: 10, unit: fortnight}", "report_due unit 'fortnight' is not one of"),
        ("{value: 0, unit: days}", "report_due value 0 is not a whole number of at least 1"),
        ("{value: 1, unit: days, roll: maybe}", "report_due roll 'maybe' is not true or false"),
    ],
)
def test_a_wrong_deadline_stops_the_load_naming_the_category(tmp_path, report_due, problem):
    text = PROGRAMME.replace("{value: 1, unit: month}", report_due)
    with pytest.raises(SeedDataError, match=f"category h4-deadlines-b: {problem}"):
        load_programmes(SeedReport(), data_dir=write(tmp_path, text))


@pytest.mark.parametrize(
    ("amount", "unit", "english"),
    [
        (1, "months", "1 month"),
        (15, "working_days", "15 working days"),
        (1, "working_days", "1 working day"),
        (10, "days", "10 days"),
        (2, "weeks", "2 weeks"),
        (1, "month", "1 month"),  # a duration unit, as rows written before issue 12 hold
        (None, "months", ""),
    ],
)
def test_format_deadline_in_english(amount, unit, english):
    with translation.override("en"):
        assert format_deadline(amount, unit) == english


def test_format_deadline_in_chinese():
    with translation.override("zh-hans"):
        assert (format_deadline(1, "months"), format_deadline(15, "working_days")) == ("1 个月", "15 个工作日")


def test_format_every():
    with translation.override("en"):
        assert (format_every(2, "weeks"), format_every(None, "weeks")) == ("every 2 weeks", "")


def test_format_deadline_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="unknown deadline unit 'hours'"):
        format_deadline(1, "hours")
