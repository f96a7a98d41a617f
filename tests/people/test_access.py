"""Every role on every people view: masked data never appears in full unless revealed by someone allowed, each
reveal is logged, and a denied request changes nothing and logs nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.models import Document, Person
from medtalent.people.selectors import people_visible_to
from tests.factories import PersonFactory
from tests.helpers import rows
from tests.people.conftest import (
    ID_MASKED,
    ID_NUMBER,
    MAY_SEE,
    PDF_BYTES,
    PHONE,
    PHONE_MASKED,
    ROLES,
    english_client,
    make_id,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def stored(person: Person) -> dict:
    return model_to_dict(Person.objects.get(pk=person.pk))


def add_document(world, kind="cv", name="简历.pdf", content=PDF_BYTES) -> Document:
    return services.document_add(
        actor=world.person_user, person=world.person, kind=kind, uploaded_file=upload(name, content)
    )


def page_urls(world) -> list[str]:
    return [
        reverse("people:profile"),
        reverse("people:detail", args=[world.person.pk]),
        reverse("people:unit_people"),
        reverse("people:consent"),
    ]


# ---- Masking on every page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_the_full_id_number_or_phone_to_any_role(world, role):
    client = english_client(world.user(role))
    for url in page_urls(world):
        response = client.get(url)
        html = response.content.decode()
        assert ID_NUMBER not in html, (role, url)
        assert PHONE not in html, (role, url)
    assert AuditEvent.objects.filter(action="person.reveal").count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_the_person_page_is_shown_masked_to_those_who_may_see_it_and_hidden_from_others(world, role):
    response = english_client(world.user(role)).get(reverse("people:detail", args=[world.person.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)
    elif role in MAY_SEE:
        html = response.content.decode()
        assert response.status_code == 200
        assert ID_MASKED in html
        assert PHONE_MASKED in html
        assert f'hx-post="/people/{world.person.pk}/reveal/id_number/"' in html
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_unit_list_is_for_unit_administrators_and_shows_only_their_people_masked(world, role):
    response = english_client(world.user(role)).get(reverse("people:unit_people"))
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "unit_admin":
        html = response.content.decode()
        assert [p.pk for p in response.context["rows"]] == [world.person.pk]
        assert ID_MASKED in html
        assert PHONE_MASKED in html
    elif role == "other_unit_admin":
        assert [p.pk for p in response.context["rows"]] == []
    else:
        assert response.status_code == 403


# ---- Reveal ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_reveal_is_allowed_to_the_person_the_unit_and_the_commission_and_logged(world, role):
    user = world.user(role)
    response = english_client(user).post(
        reverse("people:reveal", args=[world.person.pk, "id_number"]), headers={"HX-Request": "true"}
    )
    events = list(AuditEvent.objects.filter(action="person.reveal").values_list("actor", "object_id", "data"))
    if role in MAY_SEE:
        assert response.status_code == 200
        assert ID_NUMBER in response.content.decode()
        assert events == [(user.pk, str(world.person.pk), {"field": "id_number"})]
    else:
        # Who sees the person but may not reveal gets 403; who may not see them, 404, as for nobody (issue 10).
        visible = people_visible_to(user=user).filter(pk=world.person.pk).exists()
        assert response.status_code == (403 if visible else 404)
        assert ID_NUMBER not in response.content.decode()
        assert events == []


def test_reveal_of_the_phone_is_logged_too(world):
    response = english_client(world.commission).post(reverse("people:reveal", args=[world.person.pk, "phone"]))
    assert PHONE in response.content.decode()
    assert list(AuditEvent.objects.filter(action="person.reveal").values_list("data", flat=True)) == [
        {"field": "phone"}
    ]


def test_reveal_of_a_field_that_is_not_masked_is_refused(world):
    response = english_client(world.unit_admin).post(reverse("people:reveal", args=[world.person.pk, "name"]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="person.reveal").count() == 0


def test_reveal_by_get_is_not_possible(world):
    response = english_client(world.unit_admin).get(reverse("people:reveal", args=[world.person.pk, "id_number"]))
    assert response.status_code == 405
    assert AuditEvent.objects.filter(action="person.reveal").count() == 0


# ---- Incident confirmation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_unit_administrator_confirms_the_incident_record(world, role):
    world.person.serious_incident_declared = True
    world.person.save(update_fields=["serious_incident_declared"])
    before = stored(world.person)
    url = reverse("people:confirm_incident", args=[world.person.pk])
    response = english_client(world.user(role)).post(url, {"decision": "confirmed", "note": "病案室核实"})
    events = list(
        AuditEvent.objects.filter(action="person.confirm_incident").values_list(
            "actor", "from_state", "to_state", "note"
        )
    )
    if role == "unit_admin":
        assert (response.status_code, response.url) == (302, reverse("people:detail", args=[world.person.pk]))
        assert stored(world.person) == {**before, "serious_incident_confirmed": True}
        assert events == [(world.unit_admin.pk, "unchecked", "confirmed", "病案室核实")]
        return
    expected = {"anonymous": 302, "person_user": 403, "commission": 403}.get(role, 404)
    assert response.status_code == expected
    assert stored(world.person) == before
    assert events == []


def test_the_unit_administrator_clears_a_declaration_and_sees_the_form(world):
    client = english_client(world.unit_admin)
    html = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert f'action="/people/{world.person.pk}/incident/"' in html
    client.post(reverse("people:confirm_incident", args=[world.person.pk]), {"decision": "cleared"})
    world.person.refresh_from_db()
    assert world.person.serious_incident_confirmed is False


def test_an_incident_decision_must_be_chosen(world):
    response = english_client(world.unit_admin).post(reverse("people:confirm_incident", args=[world.person.pk]), {})
    assert response.status_code == 400
    assert response.context["incident_form"].errors == {"decision": ["This field is required."]}
    assert AuditEvent.objects.filter(action="person.confirm_incident").count() == 0


@pytest.mark.parametrize("role", ["person_user", "commission"])
def test_the_confirmation_form_is_shown_to_the_unit_only(world, role):
    html = english_client(world.user(role)).get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "/incident/" not in html


# ---- Documents ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_document_is_served_only_to_those_who_may_see_the_person(world, role):
    document = add_document(world)
    response = english_client(world.user(role)).get(reverse("people:document", args=[document.pk]))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in MAY_SEE:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%AE%80%E5%8E%86.pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == 404


def test_a_document_that_does_not_exist_is_a_404_too(world):
    assert english_client(world.unit_admin).get(reverse("people:document", args=[999999])).status_code == 404


def test_the_photo_is_served_as_the_type_found_in_its_content(world):
    document = add_document(world, kind="photo", name="photo.pdf", content=png_bytes())
    response = english_client(world.person_user).get(reverse("people:document", args=[document.pk]))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("role", ROLES)
def test_a_document_the_person_uploaded_is_deleted_only_by_the_person(world, role):
    document = add_document(world)
    response = english_client(world.user(role)).post(reverse("people:document_delete", args=[document.pk]))
    deleted = not Document.objects.filter(pk=document.pk).exists()
    events = AuditEvent.objects.filter(action="document.delete").count()
    if role == "person_user":
        assert (response.status_code, deleted, events) == (302, True, 1)
    else:
        # Their unit may see it but not take it away: 403, as for the commission; the others do not see it.
        expected = {"anonymous": 302, "commission": 403, "unit_admin": 403}.get(role, 404)
        assert (response.status_code, deleted, events) == (expected, False, 0)


@pytest.mark.parametrize("role", ROLES)
def test_a_document_the_unit_uploaded_is_deleted_by_the_person_or_their_unit(world, role):
    document = services.document_add(
        actor=world.unit_admin, person=world.person, kind="cv", uploaded_file=upload("简历.pdf", PDF_BYTES)
    )
    response = english_client(world.user(role)).post(reverse("people:document_delete", args=[document.pk]))
    deleted = not Document.objects.filter(pk=document.pk).exists()
    events = AuditEvent.objects.filter(action="document.delete").count()
    if role in ("person_user", "unit_admin"):
        assert (response.status_code, deleted, events) == (302, True, 1)
    else:
        expected = {"anonymous": 302, "commission": 403}.get(role, 404)
        assert (response.status_code, deleted, events) == (expected, False, 0)


def test_the_service_refuses_the_unit_a_document_the_person_uploaded(world):
    document = add_document(world)
    before = rows(Document, AuditEvent)
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.document_delete(actor=world.unit_admin, document=document)
    assert str(refused.value) == "A document the person uploaded themself can only be deleted by them."
    assert rows(Document, AuditEvent) == before


# ---- My profile is always my own ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("person_user", "anonymous")])
def test_other_roles_saving_my_profile_page_only_touch_their_own_profile(world, role):
    before = stored(world.person)
    client = english_client(world.user(role))
    data = {
        "name": "冒名",
        "id_number": make_id(birth="19700101"),
        "admin_years": "0",
        "lang-TOTAL_FORMS": "0",
        "lang-INITIAL_FORMS": "0",
        "doc-kind": "cv",
        "employer": world.person.employer_id,
    }
    client.post(reverse("people:profile_autosave"), data, headers={"HX-Request": "true"})
    client.post(reverse("people:document_upload"), {"doc-kind": "cv", "doc-file": upload("cv.pdf", PDF_BYTES)})
    own = Person.objects.get(user=world.user(role))
    assert (own.name, own.documents.count()) == ("冒名", 1)
    assert stored(world.person) == before
    assert world.person.documents.count() == 0


# ---- Query counts ---------------------------------------------------------------------------------------------

# Session, user, roles, the unit's departments (the filter's choices), count, the page of people; the full page
# adds the header's unread notices.
UNIT_LIST_QUERIES = 7


@pytest.mark.parametrize("rows", [1, 3])
def test_the_unit_list_costs_the_same_queries_for_1_and_3_people(world, django_assert_num_queries, rows):
    for n in range(rows - 1):
        PersonFactory(employer=world.hospital, department=f"科室{n}", phone="13700000000")
    client = english_client(world.unit_admin)
    with django_assert_num_queries(UNIT_LIST_QUERIES):
        response = client.get(reverse("people:unit_people"))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_unit_list_fragment_costs_the_same_queries_for_1_and_3_people(world, django_assert_num_queries, rows):
    for _ in range(rows - 1):
        PersonFactory(employer=world.hospital, department="心内科")
    Person.objects.filter(pk=world.person.pk).update(department="心内科")
    client = english_client(world.unit_admin)
    with django_assert_num_queries(UNIT_LIST_QUERIES - 1):
        response = client.get(reverse("people:unit_people"), {"department": "心内科"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="kit-results"')
    assert html.count('<td data-label="Name"') == rows


def test_the_unit_list_filters_by_name_and_department(world):
    PersonFactory(employer=world.hospital, name="王小明", department="骨科")
    PersonFactory(employer=world.hospital, name="王大明", department="心内科")
    client = english_client(world.unit_admin)
    by_name = client.get(reverse("people:unit_people"), {"q": "王"}).context["rows"]
    by_both = client.get(reverse("people:unit_people"), {"q": "王", "department": "心内科"}).context["rows"]
    assert [p.name for p in by_name] == ["王大明", "王小明"]
    assert [p.name for p in by_both] == ["王大明"]
