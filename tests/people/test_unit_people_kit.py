"""The unit's people in the table kit: filters by name and department, sort by title, and the Excel export —
the page's rows, masked as on the page, audited as an export of personal data, refused to anybody else."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from tests.factories import PersonFactory, code
from tests.people.conftest import english_client

pytestmark = pytest.mark.django_db


def test_the_export_is_the_page_masked_and_audited(world):
    PersonFactory(employer=world.hospital, name="Zed Doctor", department="Cardiology", phone="13712345678")
    client = english_client(world.unit_admin)

    response = client.get(reverse("people:unit_people"), {"department": "Cardiology", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Name", "Sex", "ID number", "Phone", "Department", "Title", "Education", "Serious incident"]
    assert rows[1][0] == "Zed Doctor"
    assert rows[1][3] == "137****5678"
    assert rows[1][4] == "Cardiology"
    assert len(rows) == 2
    event = AuditEvent.objects.get(action="people.export")
    assert (event.actor_id, event.data) == (world.unit_admin.pk, {"rows": 1, "filters": ["department"]})


def test_senior_titles_first(world):
    PersonFactory(employer=world.hospital, name="Attending", title=code("title", "233"))
    PersonFactory(employer=world.hospital, name="Chief", title=code("title", "231"))
    Person.objects.filter(pk=world.person.pk).update(title=None)
    client = english_client(world.unit_admin)

    rows = client.get(reverse("people:unit_people"), {"sort": "title"}).context["rows"]

    assert [p.name for p in rows] == ["Chief", "Attending", world.person.name]


def test_another_units_administrator_exports_only_their_own_people(world):
    response = english_client(world.other_unit_admin).get(reverse("people:unit_people"), {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == []


def test_the_list_is_refused_to_a_user_without_a_unit(world):
    response = english_client(world.person_user).get(reverse("people:unit_people"), {"export": "xlsx"})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="people.export").exists()
