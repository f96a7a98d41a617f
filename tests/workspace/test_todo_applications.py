"""The applications' to-do items: the unit's applications waiting for its decision, its failed imports, the
applicant's returned applications and drafts. One query per kind whatever the number of items; nothing for
someone outside the scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.applications.enums import ApplicationState as S
from medtalent.applications.models import ImportJob
from medtalent.applications.todo import todo_items
from medtalent.core.todo import TODO_LIMIT
from tests.factories import ApplicationFactory, OrganisationFactory, PersonFactory, RoundFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def open_round():
    today = timezone.localdate()
    return RoundFactory(
        application_opens=today - dt.timedelta(days=5), application_closes=today + dt.timedelta(days=30)
    )


@pytest.fixture
def unit():
    return OrganisationFactory()


def submitted(unit, n: int, days_ago: int = 3) -> list:
    round_ = open_round()
    return [
        ApplicationFactory(
            person=PersonFactory(employer=unit),
            round=round_,
            state=S.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(days=days_ago + i),
        )
        for i in range(n)
    ]


def kinds(items) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in items:
        out.setdefault(item.kind, []).append(item)
    return out


@pytest.mark.parametrize("count", [1, 3])
def test_a_unit_administrator_sees_the_applications_waiting_oldest_first(unit, count, fresh, django_assert_num_queries):
    applications = submitted(unit, count)
    ApplicationFactory(person=PersonFactory(employer=unit), round=open_round(), state=S.RECOMMENDED)  # decided
    admin = make_user(Role.UNIT_ADMIN, unit)
    user = fresh(admin)

    # roles, the applications waiting, the failed imports, the applicant's own
    with django_assert_num_queries(4):
        items = kinds(todo_items(user=user))

    waiting = items["applications.decide"]
    assert [i.url for i in waiting] == [f"/applications/{a.pk}/" for a in reversed(applications)]
    assert [i.title for i in waiting] == [a.person.name for a in reversed(applications)]
    assert all(i.since is not None and not i.more for i in waiting)


def test_past_the_limit_a_summary_line_links_to_the_filtered_list(unit, fresh):
    submitted(unit, TODO_LIMIT + 2)
    user = fresh(make_user(Role.UNIT_ADMIN, unit))

    waiting = kinds(todo_items(user=user))["applications.decide"]

    assert len(waiting) == TODO_LIMIT + 1
    assert (waiting[-1].more, waiting[-1].count, waiting[-1].url) == (True, 2, "/unit/applications/?state=submitted")
    assert sum(i.count for i in waiting) == TODO_LIMIT + 2


def test_another_units_administrator_sees_nothing_of_them(unit, fresh):
    submitted(unit, 2)
    other = fresh(make_user(Role.UNIT_ADMIN, OrganisationFactory()))

    assert todo_items(user=other) == []


@pytest.mark.parametrize("count", [1, 3])
def test_a_unit_administrator_sees_the_failed_imports_not_followed_by_another(
    unit, count, fresh, django_assert_num_queries
):
    admin = make_user(Role.UNIT_ADMIN, unit)
    round_ = open_round()
    old = ImportJob.objects.create(unit=unit, round=round_, uploaded_by=admin, original_name="旧.xlsx", state="failed")
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    fixed = ImportJob.objects.create(
        unit=unit, round=round_, uploaded_by=admin, original_name="错.xlsx", state="failed"
    )
    ImportJob.objects.filter(pk=fixed.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    ImportJob.objects.create(unit=unit, round=round_, uploaded_by=admin, original_name="好.xlsx", state="done")
    other_unit = OrganisationFactory()
    failed = []
    for i in range(count):
        job = ImportJob.objects.create(
            unit=other_unit, round=round_, uploaded_by=admin, original_name=f"名单{i}.xlsx", state="failed"
        )
        failed.append(job)
    admin.roles.create(role=Role.UNIT_ADMIN, organisation=other_unit)
    user = fresh(admin)

    with django_assert_num_queries(4):
        items = kinds(todo_items(user=user))

    # Only the newest failed job of a unit counts: an older one was followed by another upload.
    assert [i.title for i in items["applications.import_failed"]] == [failed[-1].original_name]
    assert items["applications.import_failed"][0].url == f"/unit/imports/{failed[-1].pk}/"


@pytest.mark.parametrize("count", [1, 3])
def test_an_applicant_sees_returned_applications_then_drafts(count, fresh, django_assert_num_queries):
    applicant = make_user(Role.APPLICANT)
    person = PersonFactory(user=applicant)
    returned = [
        ApplicationFactory(person=person, round=open_round(), state=S.RETURNED, unit_opinion="请补充学习计划")
        for _ in range(count)
    ]
    drafts = [ApplicationFactory(person=person, round=open_round()) for _ in range(count)]
    closed = RoundFactory(application_opens=dt.date(2020, 1, 1), application_closes=dt.date(2020, 2, 1))
    ApplicationFactory(person=person, round=closed)  # a draft of a closed round: nothing to do any more
    ApplicationFactory(person=person, round=open_round(), state=S.SUBMITTED)
    user = fresh(applicant)

    with django_assert_num_queries(2):  # roles, the applicant's applications
        items = todo_items(user=user)

    assert [i.kind for i in items] == ["applications.returned"] * count + ["applications.draft"] * count
    assert {i.url for i in items} == {f"/applications/{a.pk}/edit/" for a in returned + drafts}
    assert items[0].detail == "请补充学习计划"


def test_someone_elses_applications_are_not_on_my_list(fresh):
    ApplicationFactory(person=PersonFactory(user=make_user(Role.APPLICANT)))
    me = fresh(make_user(Role.APPLICANT))

    assert todo_items(user=me) == []
