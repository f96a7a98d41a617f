"""Issue 12 in the bulk import: the licence and a language result in the template and the rows, the requested
duration within the allowed range, and which units may send applicants to the programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from medtalent.applications import imports
from medtalent.applications.models import ImportJob
from medtalent.core.errors import ApplicationError
from medtalent.people.models import LanguageCertificate, Person
from medtalent.people.selectors import person_by_id_number
from tests.applications import test_imports
from tests.applications.test_imports import counts, good_row, make_xlsx, run_import, upload

iw = test_imports.iw  # the fixture: a unit with its administrator and an open round

LICENCE = {"执业证书编号": "110330000012345", "执业证书取得时间": dt.datetime(2012, 8, 1)}  # noqa: DTZ001 (an Excel date)


def test_the_licence_and_a_language_result_are_imported(iw):
    rows = [
        good_row(1, **LICENCE, 外语考试="IELTS", 外语成绩=6.5, 外语考试时间=dt.datetime(2024, 3, 15)),  # noqa: DTZ001
        good_row(2, 外语考试="卫健委外语能力评估", 外语等级="B2"),
        good_row(3),
    ]

    job = run_import(iw, make_xlsx(rows))

    assert job.state == ImportJob.State.DONE
    first = person_by_id_number(id_number=good_row(1)["身份证号"])
    second = person_by_id_number(id_number=good_row(2)["身份证号"])
    assert (first.licence_number, first.licence_obtained_on) == ("110330000012345", dt.date(2012, 8, 1))
    assert list(
        LanguageCertificate.objects.order_by("person__name").values_list("person", "test", "score", "level", "taken_on")
    ) == [
        (first.pk, "ielts", "6.5", "", dt.date(2024, 3, 15)),
        (second.pk, "assessment", "", "B2", None),
    ]


def test_a_wrong_language_result_or_duration_is_listed_by_row_and_column_and_nothing_written(iw):
    rows = [
        good_row(1, 外语考试="IELTS", 外语成绩="良好"),  # row 2
        good_row(2, 外语考试="TOEFL"),  # row 3: neither a score nor a level
        good_row(3, 外语等级="B7"),  # row 4
        good_row(4, **{"申请时长（月）": 12}),  # row 5: the programme allows 2–3 months
        good_row(5, 执业证书取得时间="2099-01-01"),  # row 6
    ]
    before = (counts(), LanguageCertificate.objects.count())

    with translation.override("en"):
        job = run_import(iw, make_xlsx(rows))

    assert job.state == ImportJob.State.FAILED
    assert (counts(), LanguageCertificate.objects.count()) == before
    assert [(p["row"], p["column"], p["cell"], p["message"]) for p in job.errors] == [
        (2, "外语成绩", "AE2", "The IELTS score must be a number, e.g. 6.5."),
        (3, "外语成绩", "AE3", "Enter the score or the level (at least one)."),
        (4, "外语等级", "AF4", "“B7” is not one of the choices: pick one from the drop-down list."),
        (5, "申请时长（月）", "V5", "The requested duration must be within the allowed range: 2–3 months."),
        (6, "执业证书取得时间", "AC6", "The date 2099-01-01 is not between 1900 and today."),
    ]


def test_a_unit_that_may_not_send_cannot_upload(iw):
    programme = iw.round.programme
    programme.sending_units.add(iw.other_unit)
    before = (counts(), ImportJob.objects.count())

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        imports.import_job_create(
            actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(make_xlsx([good_row(1)]))
        )

    assert (error.value.field, error.value.message) == (
        "unit",
        f"{iw.unit.name_en} is not among the units that may send applicants to “{programme.name_en}”.",
    )
    assert (counts(), ImportJob.objects.count()) == before


def test_a_programme_narrowed_after_the_upload_fails_the_job_and_writes_nothing(iw):
    job = imports.import_job_create(
        actor=iw.admin, unit=iw.unit, round_=iw.round, category=iw.category, upload=upload(make_xlsx([good_row(1)]))
    )
    iw.round.programme.sending_units.add(iw.other_unit)
    before = counts()

    with translation.override("en"):
        imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert counts() == before
    assert [p["message"] for p in job.errors] == [
        f"{iw.unit.name_en} is not among the units that may send applicants to “{iw.round.programme.name_en}”."
    ]
    assert Person.objects.filter(name__startswith="导入测试").count() == 0
