"""People in the administration pages: commission staff see those in their jurisdiction, masked, read-only."""

import pytest
from django.urls import reverse

from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.models import Person
from tests.factories import UserFactory
from tests.people.conftest import ID_MASKED, ID_NUMBER, PDF_BYTES, PHONE, PHONE_MASKED, english_client, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_the_commission_sees_the_people_of_its_jurisdiction_masked(world):
    response = english_client(world.commission).get(reverse("admin:people_person_changelist"))
    html = response.content.decode()
    assert [p.pk for p in response.context["cl"].result_list] == [world.person.pk]
    assert ID_MASKED in html
    assert ID_NUMBER not in html


def test_another_commission_sees_nobody_and_cannot_open_the_person(world):
    client = english_client(world.other_commission)
    response = client.get(reverse("admin:people_person_changelist"))
    assert list(response.context["cl"].result_list) == []
    assert client.get(reverse("admin:people_person_change", args=[world.person.pk])).status_code == 302


def test_the_person_form_is_read_only_and_masked_for_the_commission(world):
    client = english_client(world.commission)
    url = reverse("admin:people_person_change", args=[world.person.pk])
    html = client.get(url).content.decode()
    assert ID_MASKED in html
    assert PHONE_MASKED in html
    assert ID_NUMBER not in html
    assert PHONE not in html
    before = Person.objects.filter(pk=world.person.pk).values().get()
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert Person.objects.filter(pk=world.person.pk).values().get() == before


def test_a_superuser_may_correct_a_name_and_it_is_logged_but_the_id_number_stays_masked(world, superuser):
    client = english_client(superuser)
    url = reverse("admin:people_person_change", args=[world.person.pk])
    html = client.get(url).content.decode()
    assert ID_NUMBER not in html
    data = {
        "name": "改名",
        "admin_years": "0",
        "language_certificates-TOTAL_FORMS": "0",
        "language_certificates-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "title_records-TOTAL_FORMS": "0",
        "title_records-INITIAL_FORMS": "0",
        "verifications-TOTAL_FORMS": "0",
        "verifications-INITIAL_FORMS": "0",
        "employer": world.hospital.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert (world.person.name, world.person.id_number) == ("改名", ID_NUMBER)
    assert AuditEvent.objects.filter(action="person.admin_change", object_id=str(world.person.pk)).count() == 1


@pytest.mark.parametrize("role", ["unit_admin", "person_user", "reviewer"])
def test_other_roles_have_no_people_administration(world, role):
    user = world.user(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    response = english_client(user).get(reverse("admin:people_person_changelist"))
    assert response.status_code == 403


def test_documents_and_consents_are_read_only(world):
    document = services.document_add(
        actor=world.person_user, person=world.person, kind="cv", uploaded_file=upload("cv.pdf", PDF_BYTES)
    )
    services.consent_give(actor=world.person_user, person=world.person)
    client = english_client(world.commission)
    assert [d.pk for d in client.get(reverse("admin:people_document_changelist")).context["cl"].result_list] == [
        document.pk
    ]
    assert client.post(reverse("admin:people_document_change", args=[document.pk]), {}).status_code == 403
    assert client.get(reverse("admin:people_consent_changelist")).status_code == 200
    assert client.get(reverse("admin:people_consent_add")).status_code == 403
    assert (
        english_client(world.other_commission)
        .get(reverse("admin:people_document_changelist"))
        .context["cl"]
        .result_list.count()
        == 0
    )


def test_the_commission_publishes_a_new_privacy_notice(world):
    client = english_client(world.commission)
    response = client.post(
        reverse("admin:people_privacynotice_add"),
        {
            "kind": "general",
            "version": "2027.1",
            "published_at_0": "2027-01-01",
            "published_at_1": "00:00:00",
            "text_zh": "新版隐私说明",
            "text_en": "",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="privacy_notice.save").count() == 1
