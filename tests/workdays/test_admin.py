"""The calendar in the admin: commission administrators list it by year and edit it, audited; others may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.models import AuditEvent
from medtalent.workdays.models import CalendarDay
from medtalent.workdays.selectors import work_calendar
from tests.helpers import LOGIN_TRAIL, make_user, rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_browser")]

D = dt.date


def staff(role=None, organisation=None):
    user = make_user(role, organisation)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def commission_admin():
    return staff(Role.COMMISSION_ADMIN, "zj-hc")


def test_changelist_by_year(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get(reverse("admin:workdays_calendarday_changelist"), {"year": "2025"})
    assert response.status_code == 200
    days = [day.date for day in response.context["cl"].result_list]
    assert (len(days), days[0], days[-1]) == (33, D(2025, 1, 1), D(2025, 10, 11))
    assert {d.year for d in days} == {2025}


def test_changelist_filters(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get(reverse("admin:workdays_calendarday_changelist"), {"year": "2026", "kind__exact": "workday"})
    assert [day.date for day in response.context["cl"].result_list] == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]


def test_adding_a_local_day_off_saves_audits_and_reaches_the_calendar(client, commission_admin):
    assert work_calendar().is_working_day(D(2026, 11, 9)) is True
    client.force_login(commission_admin)
    response = client.post(
        reverse("admin:workdays_calendarday_add"),
        {
            "date": "2026-11-09",
            "kind": "holiday",
            "name_zh": "地方节日",
            "name_en": "Local festival",
            "source": "local",
        },
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 11, 9))
    assert (day.kind, day.source, day.name_zh) == ("holiday", "local", "地方节日")
    event = AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).get(actor=commission_admin)
    assert (event.action, event.object_type, event.object_id) == ("admin.add", "workdays.calendarday", str(day.pk))
    assert work_calendar().is_working_day(D(2026, 11, 9)) is False


def test_a_make_up_working_day_on_a_weekday_is_refused(client, commission_admin):
    client.force_login(commission_admin)
    before = rows(CalendarDay)
    response = client.post(
        reverse("admin:workdays_calendarday_add"),
        {"date": "2026-11-10", "kind": "workday", "name_zh": "", "name_en": "", "source": "local"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kind"] == [
        "A make-up working day is a Saturday or Sunday: 2026-11-10 is a Tuesday, a working day."
    ]
    assert rows(CalendarDay) == before


def test_deleting_a_day_is_audited(client, commission_admin):
    day = CalendarDay.objects.get(date=D(2026, 10, 7))
    client.force_login(commission_admin)
    response = client.post(reverse("admin:workdays_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2026, 10, 7)).exists()
    event = AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).get(actor=commission_admin)
    assert (event.action, event.object_id) == ("admin.delete", str(day.pk))


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.REVIEWER, None])
def test_other_staff_may_not_change_the_calendar_and_nothing_changes(client, role):
    user = staff(role, "zju-first-hospital" if role == Role.UNIT_ADMIN else None) if role else staff()
    client.force_login(user)
    before = rows(CalendarDay, AuditEvent)
    day = CalendarDay.objects.get(date=D(2026, 10, 7))
    assert client.get(reverse("admin:workdays_calendarday_changelist")).status_code == 403
    response = client.post(
        reverse("admin:workdays_calendarday_add"),
        {"date": "2026-11-09", "kind": "holiday", "name_zh": "", "name_en": "", "source": "local"},
    )
    assert response.status_code == 403
    response = client.post(reverse("admin:workdays_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert rows(CalendarDay, AuditEvent) == before
