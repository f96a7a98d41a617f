"""The application lists cost the same number of queries for 1 row as for 3."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.applications.enums import ApplicationState
from tests.applications.conftest import open_round
from tests.factories import ApplicationFactory, PersonFactory, code


@pytest.mark.parametrize("rows", [1, 3])
def test_my_applications_queries(world, login, django_assert_num_queries, rows):
    for _ in range(rows):
        ApplicationFactory(person=world.person, round=open_round(programme=world.programme))
    client = login(world.user("owner"))

    # session, user, roles (for the navigation), the applications with round, programme, category and unit
    with django_assert_num_queries(5):  # … and the header's unread notices
        response = client.get(reverse("applications:mine"))

    assert len(response.context["applications"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_unit_list_queries(world, login, django_assert_num_queries, rows):
    for n in range(rows):
        person = PersonFactory(employer=world.unit, title=code("title", ["231", "232", "233"][n]))
        ApplicationFactory(person=person, round=world.round, state=ApplicationState.SUBMITTED)
    client = login(world.user("unit_admin"))

    # session, user, roles, filter choices (rounds, categories), count, rows
    with django_assert_num_queries(8):  # … and the header's unread notices
        response = client.get(reverse("applications:unit_list"))

    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_unit_list_htmx_queries(world, login, django_assert_num_queries, rows):
    for _ in range(rows):
        ApplicationFactory(person=PersonFactory(employer=world.unit), round=world.round)
    client = login(world.user("unit_admin"))

    # session, user, roles, count, rows (the filter choices are not redrawn)
    with django_assert_num_queries(5):
        response = client.get(reverse("applications:unit_list"), {"sort": "title"}, headers={"HX-Request": "true"})

    assert response.content.decode().count('href="/applications/') == rows
