"""The people services check permissions themselves, write audit rows and never log personal values."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict

from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.models import Document, LanguageCertificate, Person
from tests.factories import UserFactory
from tests.people.conftest import ID_NUMBER, PDF_BYTES, png_bytes, upload

pytestmark = pytest.mark.django_db


def stored(person: Person) -> dict:
    return model_to_dict(Person.objects.get(pk=person.pk))


def test_get_or_create_needs_a_logged_in_user():
    with pytest.raises(PermissionDenied):
        services.person_get_or_create_for_user(user=AnonymousUser())


@pytest.mark.parametrize("role", ["other_unit_admin", "commission", "other_commission", "reviewer", "host"])
def test_only_the_person_and_their_unit_may_update_the_profile(world, role):
    before = stored(world.person)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=world.user(role), person=world.person, data={"name": "改名"})
    assert stored(world.person) == before
    assert AuditEvent.objects.count() == 0


def test_the_unit_administrator_may_update_the_profile(world):
    assert services.person_update(actor=world.unit_admin, person=world.person, data={"department": "骨科"}) == [
        "department"
    ]
    assert stored(world.person)["department"] == "骨科"


def test_the_permission_is_checked_on_the_stored_employer_not_on_the_one_in_memory(world):
    world.person.employer = world.other_hospital  # as a form would have set it before saving
    with pytest.raises(PermissionDenied):
        services.person_update(actor=world.other_unit_admin, person=world.person, data={"name": "改名"})


def test_an_unknown_field_is_refused(world):
    with pytest.raises(ApplicationError) as excinfo:
        services.person_update(actor=world.person_user, person=world.person, data={"user": None})
    assert excinfo.value.field == "user"


def test_the_audit_row_of_an_id_number_change_holds_no_number(world):
    world.person.id_number = None
    world.person.save(update_fields=["id_number"])
    services.person_update(actor=world.person_user, person=world.person, data={"id_number": ID_NUMBER})
    assert AuditEvent.objects.get(action="person.update").data == {"fields": ["id_number"]}


@pytest.mark.parametrize("role", ["person_user", "commission", "other_unit_admin"])
def test_only_the_unit_administrator_confirms_an_incident(world, role):
    with pytest.raises(PermissionDenied):
        services.person_confirm_incident(actor=world.user(role), person=world.person, confirmed=True)
    assert stored(world.person)["serious_incident_confirmed"] is None
    assert AuditEvent.objects.count() == 0


def test_certificate_rows_are_applied_in_one_go(world):
    kept = LanguageCertificate.objects.create(person=world.person, test="ielts", score="6.5")
    dropped = LanguageCertificate.objects.create(person=world.person, test="cet4", score="500")
    ids = services.person_save_language_certificates(
        actor=world.person_user,
        person=world.person,
        rows=[
            {"id": kept.pk, "test": "ielts", "score": "7.0", "taken_on": None},
            {"id": dropped.pk, "delete": True},
            None,
            {"id": None, "test": "toefl", "score": "100", "taken_on": None},
        ],
    )
    new = LanguageCertificate.objects.get(test="toefl")
    assert ids == [kept.pk, None, None, new.pk]
    assert sorted(world.person.language_certificates.values_list("test", "score")) == [
        ("ielts", "7.0"),
        ("toefl", "100"),
    ]
    assert AuditEvent.objects.get(action="person.language_certificates").data == {
        "created": 1,
        "updated": 1,
        "deleted": 1,
    }


def test_certificates_of_others_are_refused(world):
    with pytest.raises(PermissionDenied):
        services.person_save_language_certificates(actor=world.reviewer, person=world.person, rows=[])


def test_document_add_checks_content_and_permission(world, private_media):
    with pytest.raises(ApplicationError) as excinfo:
        services.document_add(
            actor=world.person_user, person=world.person, kind="photo", uploaded_file=upload("p.png", PDF_BYTES)
        )
    assert excinfo.value.field == "file"
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=world.commission, person=world.person, kind="photo", uploaded_file=upload("p.png", png_bytes())
        )
    with pytest.raises(ApplicationError):
        services.document_add(
            actor=world.person_user, person=world.person, kind="selfie", uploaded_file=upload("p.png", png_bytes())
        )
    assert Document.objects.count() == 0
    assert list(private_media.rglob("*.*")) == []


def test_a_failed_row_leaves_no_file_behind(world, private_media, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "audit_log", broken)
    with pytest.raises(RuntimeError):
        services.document_add(
            actor=world.person_user, person=world.person, kind="cv", uploaded_file=upload("cv.pdf", PDF_BYTES)
        )
    assert Document.objects.count() == 0
    assert [p for p in private_media.rglob("*") if p.is_file()] == []


def test_consent_is_given_by_the_person_only(world):
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=world.unit_admin, person=world.person)
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=UserFactory(), person=world.person)
    assert world.person.consents.filter(notice__kind="general").count() == 0  # the world gave only the sensitive one
