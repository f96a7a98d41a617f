"""Admin changelists filter only by their own list filters and date hierarchy, never through a personal field
(issue 10, finding 2: `?phone__startswith=` narrowed a full phone number down one digit at a time), and search
no personal field."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from medtalent.core.admin import PersonalDataLookupsMixin, is_personal_field
from tests.factories import PersonFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    PersonFactory(phone="13812345678", id_number="11010519491231002X")
    return client


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("admin:people_person_changelist", {"phone__startswith": "138"}),
        ("admin:people_person_changelist", {"id_number": "11010519491231002X"}),
        ("admin:people_person_changelist", {"id_number__regex": "^1101"}),
        ("admin:people_person_changelist", {"birth_date__year": "1985"}),
        ("admin:people_person_changelist", {"user__email__startswith": "a"}),
        ("admin:people_person_changelist", {"name__startswith": "测"}),  # not a filter of the list
        ("admin:people_document_changelist", {"person__phone__regex": "^138"}),
        ("admin:people_consent_changelist", {"person__id_number__startswith": "1101"}),
        ("admin:stints_stint_changelist", {"person__phone__startswith": "138"}),
        ("admin:indicators_indicatorvalue_changelist", {"entered_by__email__startswith": "a"}),
        ("admin:orgs_organisation_changelist", {"staff__phone__startswith": "138"}),
    ],
)
def test_a_lookup_through_a_personal_field_is_refused(superuser_client, page, query):
    assert superuser_client.get(reverse(page), query).status_code == 400


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("admin:people_person_changelist", {"serious_incident_declared__exact": "1"}),
        ("admin:people_person_changelist", {"serious_incident_confirmed__isnull": "True"}),
        ("admin:people_document_changelist", {"kind__exact": "cv"}),
        ("admin:stints_stint_changelist", {"starts_on__year": "2024", "kind__exact": "dispatch"}),
        ("admin:orgs_organisation_changelist", {"kind__exact": "hospital"}),
        ("admin:codes_code_changelist", {"table__id__exact": "1"}),
        ("admin:catalog_programme_changelist", {"status__exact": "published"}),
    ],
)
def test_the_list_filters_still_work(superuser_client, page, query):
    assert superuser_client.get(reverse(page), query).status_code == 200


def _project_admins():
    return [
        model_admin for model, model_admin in admin.site._registry.items() if model.__module__.startswith("medtalent.")
    ]


def test_every_admin_of_the_project_restricts_its_lookups():
    assert [type(m).__name__ for m in _project_admins() if not isinstance(m, PersonalDataLookupsMixin)] == []


def test_no_admin_searches_a_personal_field():
    searched = [
        (type(m).__name__, field)
        for m in _project_admins()
        for field in m.search_fields
        if any(is_personal_field(part.lstrip("^=@")) for part in field.split("__"))
    ]
    assert searched == []
