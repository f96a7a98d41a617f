"""POST /api/v1/deadlines: due dates on the loaded calendar, 422 naming the field, sign-in required."""

from __future__ import annotations

import pytest
from django.utils import translation

from medtalent.core.models import AuditEvent
from medtalent.workdays.models import CalendarDay
from tests.helpers import make_user, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def client(client):
    client.force_login(make_user())
    return client


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("body", "due"),
    [
        ({"start": "2026-09-25", "amount": 15, "unit": "working_days"}, "2026-10-22"),
        ({"start": "2025-09-25", "amount": 15, "unit": "working_days"}, "2025-10-22"),
        ({"start": "2026-01-31", "amount": 1, "unit": "months"}, "2026-02-28"),
        ({"start": "2024-01-31", "amount": 1, "unit": "months"}, "2024-02-29"),
        ({"start": "2026-09-25", "amount": 15, "unit": "days"}, "2026-10-10"),
        ({"start": "2025-06-30", "amount": 2, "unit": "weeks"}, "2025-07-14"),
        ({"start": "2026-01-16", "amount": 1, "unit": "months"}, "2026-02-16"),
        ({"start": "2026-01-16", "amount": 1, "unit": "months", "roll": "next_working_day"}, "2026-02-24"),
        ({"start": "2026-01-16", "amount": 1, "unit": "months", "roll": "none"}, "2026-02-16"),
        ({"start": "2026-01-16", "amount": 1, "unit": "months", "roll": None}, "2026-02-16"),
    ],
)
def test_due_date(client, body, due):
    response = post(client, body)
    assert (response.status_code, response.json()) == (200, {"due": due})


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"start": "2026-09-25", "amount": 15, "unit": "fortnights"},
            "unit",
            "Unknown unit; the units are days, working_days, weeks, months.",
        ),
        ({"start": "2026-02-30", "amount": 1, "unit": "days"}, "start", "Give a valid date as YYYY-MM-DD."),
        ({"start": "25/09/2026", "amount": 1, "unit": "days"}, "start", "Give a valid date as YYYY-MM-DD."),
        ({"start": 20260925, "amount": 1, "unit": "days"}, "start", "Give a valid date as YYYY-MM-DD."),
        ({"start": "2026-09-25", "amount": -1, "unit": "days"}, "amount", "Give a whole number from 0 to 3660."),
        ({"start": "2026-09-25", "amount": 3661, "unit": "days"}, "amount", "Give a whole number from 0 to 3660."),
        ({"start": "2026-09-25", "amount": "15", "unit": "days"}, "amount", "Give a whole number from 0 to 3660."),
        ({"start": "2026-09-25", "amount": 1.5, "unit": "days"}, "amount", "Give a whole number from 0 to 3660."),
        (
            {"start": "2026-09-25", "amount": 1, "unit": "days", "roll": "yes"},
            "roll",
            'Give "next_working_day" (a due date on a day off moves to the next working day) or leave it out.',
        ),
        (
            {"start": "2026-09-25", "amount": 1, "unit": "days", "event": "return"},
            "event",
            "Unknown field; the fields are start, amount, unit, roll.",
        ),
        ({"amount": 1, "unit": "days"}, "start", "Required."),
        ({"start": "9999-12-30", "amount": 2, "unit": "days"}, "amount", "The due date would be after the year 9999."),
    ],
)
def test_refused_request_names_the_field(client, body, field, message):
    response = post(client, body, **EN)
    assert (response.status_code, response.json()) == (422, {"errors": [{"field": field, "message": message}]})


def test_every_problem_is_reported_at_once(client):
    response = post(client, {"start": "x", "amount": 1, "unit": "hours", "extra": 1}, **EN)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["start", "unit", "extra"]


def test_a_body_that_is_not_an_object_is_refused(client):
    response = post(client, ["2026-09-25", 15], **EN)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "request")


def test_messages_in_chinese(client):
    with translation.override("zh-hans"):
        response = post(client, {"start": "2026-09-25", "amount": 1, "unit": "days", "x": 1}, **ZH)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "未知字段；可用字段：start, amount, unit, roll。"


def test_anonymous_is_refused_and_nothing_changes(client):
    client.logout()
    before = rows(CalendarDay, AuditEvent)
    response = post(client, {"start": "2026-09-25", "amount": 15, "unit": "working_days"})
    assert response.status_code == 401
    assert rows(CalendarDay, AuditEvent) == before


def test_one_query_for_the_calendar_then_none(client, django_assert_max_num_queries):
    body = {"start": "2026-09-25", "amount": 15, "unit": "working_days"}
    post(client, body)  # the calendar is built once per process
    with django_assert_max_num_queries(3):  # the session and its user, nothing for the calendar
        response = post(client, body)
    assert response.json() == {"due": "2026-10-22"}
