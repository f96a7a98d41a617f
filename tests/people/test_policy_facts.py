"""Issue 12's facts on the profile: language results with a score or a CEFR level, the practising licence, earlier
titles with their dates, and the facts the person's unit verifies (title, education, licence)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.models import FactVerification, LanguageCertificate, Person, TitleRecord
from medtalent.people.selectors import fact_value, fact_verifications, verified_facts
from tests.factories import code
from tests.people.conftest import english_client
from tests.people.test_profile import PROFILE, form_data, snapshot

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


def title_rows(*rows) -> dict:
    data = {
        "titles-TOTAL_FORMS": str(len(rows)),
        "titles-INITIAL_FORMS": "0",
        "titles-MIN_NUM_FORMS": "0",
        "titles-MAX_NUM_FORMS": "10",
    }
    for i, row in enumerate(rows):
        data.update({f"titles-{i}-{k}": v for k, v in {"id": "", "title": "", "obtained_on": "", **row}.items()})
    return data


def language_row(**row) -> dict:
    return {
        f"lang-0-{k}": v for k, v in {"id": "", "test": "", "score": "", "level": "", "taken_on": "", **row}.items()
    }


def stored(person: Person) -> dict:
    return {
        **snapshot(person),
        "levels": list(LanguageCertificate.objects.filter(person=person).values_list("level", flat=True)),
        "titles": list(TitleRecord.objects.filter(person=person).values_list("title__code", "obtained_on")),
        "verifications": list(FactVerification.objects.filter(person=person).values_list("fact", "value")),
    }


# ---- fact_value --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fact_value_of_each_verified_fact(world):
    person = world.person
    person.title = code("title", "233")
    person.education = code("education", "14")
    person.licence_number = "110330000012345"
    person.licence_obtained_on = dt.date(2015, 6, 30)

    assert [fact_value(person, fact) for fact in ("title", "education", "licence")] == [
        "233",
        "14",
        "2015-06-30|110330000012345",
    ]


@pytest.mark.django_db
def test_fact_value_is_empty_for_what_the_profile_does_not_state(world):
    person = world.person
    person.title = person.education = None
    person.licence_number, person.licence_obtained_on = "", None

    assert [fact_value(person, fact) for fact in ("title", "education", "licence")] == ["", "", ""]


# ---- the profile form ----------------------------------------------------------------------------------------------


def test_licence_language_level_and_earlier_titles_are_saved(world):
    client = english_client(world.person_user)
    data = form_data(
        world.person,
        title=code("title", "232").pk,
        title_obtained_on="2020-12-31",
        licence_number=" 110330000012345 ",
        licence_obtained_on="2012-08-01",
        **language_row(test="delf_dalf", level="B2", taken_on="2024-03-15"),
        **title_rows({"title": code("title", "233").pk, "obtained_on": "2014-12-31"}),
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 302
    person = Person.objects.get(pk=world.person.pk)
    assert (person.licence_number, person.licence_obtained_on) == ("110330000012345", dt.date(2012, 8, 1))
    assert list(person.language_certificates.values_list("test", "score", "level", "taken_on")) == [
        ("delf_dalf", "", "B2", dt.date(2024, 3, 15))
    ]
    assert list(person.title_records.values_list("title__code", "obtained_on")) == [("233", dt.date(2014, 12, 31))]
    actions = set(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert {"person.update", "person.language_certificates", "person.title_records"} <= actions


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"test": "ielts", "score": "abc"}, "score", "The IELTS score must be a number, e.g. 6.5."),
        ({"test": "ielts", "score": "9.5"}, "score", "The IELTS score must be from 0 to 9, in steps of 0.5."),
        ({"test": "toefl", "score": "85.5"}, "score", "The TOEFL score must be from 0 to 120, in steps of 1."),
        ({"test": "assessment", "level": "B7"}, "level", "The level must be one of A1, A2, B1, B2, C1, C2."),
        ({"test": "assessment"}, "score", "Enter the score or the level (at least one)."),
        (
            {"test": "ielts", "score": "6.5", "taken_on": TOMORROW.isoformat()},
            "taken_on",
            f"The date cannot be later than today ({TODAY.isoformat()}).",
        ),
    ],
)
def test_a_wrong_language_result_is_refused_with_its_field_and_nothing_is_saved(world, row, field, message):
    before = stored(world.person)

    response = english_client(world.person_user).post(PROFILE, form_data(world.person, **language_row(**row)))

    assert response.status_code == 200
    assert response.context["formset"].errors == [{field: [message]}]
    assert stored(world.person) == before


@pytest.mark.parametrize("field", ["licence_obtained_on", "title_obtained_on", "graduated_on"])
def test_a_date_in_the_future_is_refused(world, field):
    before = stored(world.person)

    response = english_client(world.person_user).post(PROFILE, form_data(world.person, **{field: TOMORROW.isoformat()}))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [f"The date cannot be later than today ({TODAY.isoformat()})."]}
    assert stored(world.person) == before


def test_an_earlier_title_listed_twice_or_in_the_future_is_refused(world):
    before = stored(world.person)
    title = code("title", "233").pk
    rows = title_rows(
        {"title": title, "obtained_on": "2014-12-31"},
        {"title": title, "obtained_on": TOMORROW.isoformat()},
    )

    response = english_client(world.person_user).post(PROFILE, form_data(world.person, **rows))

    assert response.status_code == 200
    assert response.context["title_formset"].errors == [
        {},
        {
            "obtained_on": [f"The date cannot be later than today ({TODAY.isoformat()})."],
            "title": ["This title is listed twice."],
        },
    ]
    assert stored(world.person) == before


def test_autosave_saves_earlier_titles_and_answers_their_ids(world):
    client = english_client(world.person_user)
    data = {
        "_fields": "name",
        "name": world.person.name,
        **title_rows({"title": code("title", "233").pk, "obtained_on": "2014-12-31"}),
    }

    response = client.post(reverse("people:profile_autosave"), data, headers={"HX-Request": "true"})

    record = TitleRecord.objects.get(person=world.person)
    assert response.status_code == 200
    assert f'name="titles-0-id" id="id_titles-0-id" value="{record.pk}"' in response.content.decode()


def test_the_title_row_view_answers_one_more_row(world):
    response = english_client(world.person_user).get(reverse("people:title_row"), {"titles-TOTAL_FORMS": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="titles-1-obtained_on"' in html
    assert 'name="titles-TOTAL_FORMS" value="2"' in html


def test_the_service_refuses_a_wrong_language_result(world):
    before = stored(world.person)

    with pytest.raises(services.ApplicationError) as error:
        services.person_save_language_certificates(
            actor=world.person_user,
            person=world.person,
            rows=[{"id": None, "test": "toefl", "score": "eighty", "level": "", "taken_on": None, "delete": False}],
        )

    assert (error.value.field, str(error.value.message)) == ("score", "The TOEFL score must be a number, e.g. 85.")
    assert stored(world.person) == before


# ---- facts the unit verifies ---------------------------------------------------------------------------------------


def _with_facts(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(
        title=code("title", "233"),
        education=code("education", "14"),
        licence_number="110330000012345",
        licence_obtained_on=dt.date(2015, 6, 30),
    )
    return Person.objects.select_related("title", "education", "employer").get(pk=person.pk)


def test_the_unit_verifies_a_fact_and_a_change_of_it_unverifies_it(world):
    person = _with_facts(world.person)

    services.fact_verify(actor=world.unit_admin, person=person, fact="licence")
    services.fact_verify(actor=world.unit_admin, person=person, fact="title")

    assert list(FactVerification.objects.filter(person=person).order_by("fact").values_list("fact", "value")) == [
        ("licence", "2015-06-30|110330000012345"),
        ("title", "233"),
    ]
    assert verified_facts(person=person) == frozenset({"licence", "title"})
    audit = AuditEvent.objects.filter(action="person.verify_fact", object_id=str(person.pk))
    assert sorted(a.data["fact"] for a in audit) == ["licence", "title"]

    services.person_update(actor=world.person_user, person=person, data={"title": code("title", "232")})

    person = Person.objects.select_related("title", "education").get(pk=person.pk)
    assert verified_facts(person=person) == frozenset({"licence"})
    rows = {row["fact"]: row["verified"] for row in fact_verifications(person=person)}
    assert rows == {"title": False, "education": False, "licence": True}


@pytest.mark.parametrize("role", ["person_user", "other_unit_admin", "commission", "reviewer"])
def test_only_the_unit_that_employs_the_person_verifies(world, role):
    person = _with_facts(world.person)
    before = stored(person)

    with pytest.raises(PermissionDenied):
        services.fact_verify(actor=world.user(role), person=person, fact="title")

    assert stored(person) == before
    assert not AuditEvent.objects.filter(action="person.verify_fact").exists()


def test_a_fact_the_profile_does_not_state_cannot_be_verified(world):
    before = stored(world.person)

    with pytest.raises(services.ApplicationError) as error:
        services.fact_verify(actor=world.unit_admin, person=world.person, fact="licence")

    assert error.value.field == "fact"
    assert stored(world.person) == before


def test_the_verify_view_marks_the_fact_and_the_pages_show_it(world):
    person = _with_facts(world.person)
    url = reverse("people:verify_fact", args=[person.pk, "title"])

    response = english_client(world.unit_admin).post(url)

    assert response.status_code == 302
    assert FactVerification.objects.filter(person=person, fact="title", value="233").count() == 1
    detail = english_client(world.unit_admin).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert '<li data-fact="title">' in detail
    assert "Verified" in detail
    assert reverse("people:verify_fact", args=[person.pk, "education"]) in detail
    profile = english_client(world.person_user).get(PROFILE).content.decode()
    assert "Verified" in profile
    assert reverse("people:verify_fact", args=[person.pk, "education"]) not in profile


@pytest.mark.parametrize(("role", "status"), [("person_user", 403), ("commission", 403), ("other_unit_admin", 404)])
def test_the_verify_view_refuses_others_and_changes_nothing(world, role, status):
    person = _with_facts(world.person)
    before = stored(person)

    response = english_client(world.user(role)).post(reverse("people:verify_fact", args=[person.pk, "title"]))

    assert response.status_code == status
    assert stored(person) == before
