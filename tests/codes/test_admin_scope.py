"""Who edits the national code tables and specialties in the admin (issue 10, finding 1): superusers and the
reference-data editors of a national commission (one without a region). A provincial editor and commission
administrators only see them; only superusers delete. Every change leaves an audit row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.codes.models import Code, Specialty, SpecialtySynonym
from medtalent.core.models import AuditEvent
from tests.factories import CommissionFactory, SpecialtyFactory, code
from tests.helpers import make_user, rows
from tests.orgs.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def national_editor():
    return make_user(Role.REFERENCE_DATA_EDITOR, CommissionFactory(region=None), is_staff=True)


def _form(client, superuser, user, url) -> dict:
    """The change form as it stands (read by a superuser); then `user` is signed in."""
    client.force_login(superuser)
    data = change_form_data(client.get(url))
    client.force_login(user)
    return data


@pytest.mark.parametrize(
    "user",
    [
        pytest.param(lambda: make_user(Role.REFERENCE_DATA_EDITOR, "zj-hc", is_staff=True), id="province-editor"),
        pytest.param(lambda: make_user(Role.COMMISSION_ADMIN, "zj-hc", is_staff=True), id="commission-admin"),
    ],
)
def test_a_provincial_editor_or_commission_admin_cannot_change_a_region_code(client, superuser, user):
    region = code("region", "450100")
    url = reverse("admin:codes_code_change", args=[region.pk])
    data = _form(client, superuser, user(), url)
    before = rows(Code, AuditEvent)

    response = client.post(url, {**data, "name_zh": "杭州市"})

    assert response.status_code == 403
    assert client.get(url).status_code == 200  # they still see it
    assert rows(Code, AuditEvent) == before


def test_a_national_editor_changes_a_code_and_it_is_audited(client, superuser, national_editor):
    region = code("region", "450100")
    url = reverse("admin:codes_code_change", args=[region.pk])

    data = _form(client, superuser, national_editor, url)

    response = client.post(url, {**data, "name_en": "Nanning City"})

    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_en == "Nanning City"
    event = AuditEvent.objects.get(action="admin.change", object_type="codes.code")
    assert (event.actor, event.object_id, event.data) == (national_editor, str(region.pk), {"changed": ["name_en"]})


def test_a_national_editor_adds_a_synonym_inline_and_it_is_audited(client, superuser, national_editor):
    specialty = SpecialtyFactory()
    url = reverse("admin:codes_specialty_change", args=[specialty.pk])

    data = _form(client, superuser, national_editor, url)

    response = client.post(
        url, {**data, "synonyms-TOTAL_FORMS": "1", "synonyms-0-term": "Herzchirurgie", "synonyms-0-language": "de"}
    )

    assert response.status_code == 302
    assert list(specialty.synonyms.values_list("term", flat=True)) == ["Herzchirurgie"]
    event = AuditEvent.objects.get(action="admin.change", object_type="codes.specialty")
    assert event.data == {"changed": [], "related": [{"action": "added", "model": "codes.specialtysynonym"}]}


def test_a_provincial_editor_cannot_add_a_synonym(client, superuser):
    specialty = SpecialtyFactory()
    url = reverse("admin:codes_specialty_change", args=[specialty.pk])
    data = _form(client, superuser, make_user(Role.REFERENCE_DATA_EDITOR, "zj-hc", is_staff=True), url)
    before = rows(Specialty, SpecialtySynonym, AuditEvent)

    response = client.post(url, {**data, "synonyms-TOTAL_FORMS": "1", "synonyms-0-term": "Herzchirurgie"})

    assert response.status_code == 403
    assert rows(Specialty, SpecialtySynonym, AuditEvent) == before


def test_only_a_superuser_deletes_a_specialty_and_the_deletion_is_audited(client, superuser, national_editor):
    specialty = SpecialtyFactory()
    url = reverse("admin:codes_specialty_delete", args=[specialty.pk])
    client.force_login(national_editor)
    before = rows(Specialty, AuditEvent)

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert rows(Specialty, AuditEvent) == before

    client.force_login(superuser)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Specialty.objects.filter(pk=specialty.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert (event.actor, event.object_type, event.object_id) == (superuser, "codes.specialty", str(specialty.pk))


def test_a_bulk_deletion_audits_every_row(client, superuser):
    specialties = [SpecialtyFactory(), SpecialtyFactory()]
    client.force_login(superuser)

    response = client.post(
        reverse("admin:codes_specialty_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [str(s.pk) for s in specialties]},
    )

    assert response.status_code == 302
    assert not Specialty.objects.filter(pk__in=[s.pk for s in specialties]).exists()
    deleted = AuditEvent.objects.filter(action="admin.delete", object_type="codes.specialty")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in specialties)
