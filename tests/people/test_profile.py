"""My profile: created on the first visit, every field in one form, ID number checks on the field, autosave,
language certificates, uploads, and nothing lost when something is wrong or the session has expired."""

import datetime as dt
import re

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from medtalent.codes.models import Code
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.models import Document, LanguageCertificate, Person
from medtalent.people.views import DRAFT_KEY
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, code
from tests.helpers import LOGIN_TRAIL
from tests.people.conftest import ID_NUMBER, PDF_BYTES, english_client, make_id, png_bytes, upload

pytestmark = pytest.mark.django_db

PROFILE = reverse("people:profile")
AUTOSAVE = reverse("people:profile_autosave")


def snapshot(person: Person) -> dict:
    """Everything stored about a person, to compare before and after a refused request."""
    person = Person.objects.get(pk=person.pk)
    return {
        **model_to_dict(person),
        "certificates": list(person.language_certificates.values_list("test", "score", "taken_on")),
        "documents": list(person.documents.values_list("kind", "original_name")),
    }


def form_data(person: Person, **overrides) -> dict:
    """What the profile page posts for `person`, with `overrides` typed in."""
    data = {
        "name": person.name,
        "sex": "",
        "ethnicity": "",
        "political_status": "",
        "birth_date": "",
        "id_number": "",
        "native_place": "",
        "education": person.education_id or "",
        "degree": "",
        "graduated_from": "",
        "graduated_on": "",
        "title": person.title_id or "",
        "title_obtained_on": "",
        "specialty": "",
        "employer": person.employer_id or "",
        "department": person.department,
        "phone": "",
        "email": "",
        "health_status": "",
        "admin_years": "0",
        "teaching_note": "",
        "language_self_assessment": "",
        "cv_text": "",
        "lang-TOTAL_FORMS": "1",
        "lang-INITIAL_FORMS": "0",
        "lang-MIN_NUM_FORMS": "0",
        "lang-MAX_NUM_FORMS": "10",
        "lang-0-id": "",
        "lang-0-test": "",
        "lang-0-score": "",
        "lang-0-taken_on": "",
        "doc-kind": "photo",
    }
    data.update(overrides)
    return data


def sex(value: str) -> Code:
    return Code.objects.get(table__slug="sex", code=value)


def field_errors(html: str, field: str) -> list[str]:
    block = re.search(rf'<div class="field-errors[^"]*" id="errors-{field}"[^>]*>(.*?)</div>', html, re.S)
    return re.findall(r'<p class="error">(.*?)</p>', block.group(1)) if block else []


# ---- First visit ----------------------------------------------------------------------------------------------


def test_first_visit_creates_the_profile_once_with_an_audit_row():
    user = UserFactory(display_name="王医生")
    client = english_client(user)
    assert client.get(PROFILE).status_code == 200
    assert client.get(PROFILE).status_code == 200
    person = Person.objects.get(user=user)
    assert person.name == "王医生"
    assert list(
        AuditEvent.objects.filter(object_id=str(person.pk), object_type="people.person").values_list(
            "action", flat=True
        )
    ) == ["person.create"]


def test_a_visitor_is_sent_to_the_login_page_and_no_profile_is_created():
    count = Person.objects.count()
    response = english_client().get(PROFILE)
    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={PROFILE}")
    assert Person.objects.count() == count


def test_the_page_shows_every_section_and_the_code_tables(world):
    html = english_client(world.person_user).get(PROFILE).content.decode()
    for section in ("basic", "education", "employer", "contact", "designations", "languages", "experience", "incident"):
        assert f'id="section-{section}"' in html
    assert 'id="documents"' in html
    assert '<option value="{}">Male</option>'.format(sex("1").pk) in html
    assert 'hx-post="/me/profile/autosave/"' in html
    assert 'hx-trigger="change delay:500ms"' in html


def test_the_employer_list_holds_chinese_hospitals_only(world):
    foreign = OrganisationFactory(country=code("country", "FR"))
    form = english_client(world.person_user).get(PROFILE).context["form"]
    employers = set(form.fields["employer"].queryset)
    assert world.hospital in employers
    assert foreign not in employers
    assert all(o.kind == "hospital" and o.region_id for o in employers)


# ---- Saving ---------------------------------------------------------------------------------------------------


def test_a_valid_profile_is_saved_with_an_audit_row_naming_the_fields_only(world):
    person = world.person
    data = form_data(
        person,
        name="李明",
        id_number=ID_NUMBER,
        birth_date="1990-03-07",
        sex=sex("1").pk,
        phone="13900001111",
        email="li@example.org",
        admin_years="3",
        teaching_experience="on",
        serious_incident_declared="on",
    )
    response = english_client(world.person_user).post(PROFILE, data)
    assert (response.status_code, response.url) == (302, PROFILE)
    person.refresh_from_db()
    assert (person.name, person.birth_date, person.sex.code, person.phone, person.admin_years) == (
        "李明",
        dt.date(1990, 3, 7),
        "1",
        "13900001111",
        3,
    )
    assert (person.teaching_experience, person.serious_incident_declared, person.serious_incident_confirmed) == (
        True,
        True,
        None,
    )
    event = AuditEvent.objects.get(action="person.update", object_id=str(person.pk))
    assert event.data == {
        "fields": [
            "name",
            "sex",
            "birth_date",
            "phone",
            "email",
            "admin_years",
            "teaching_experience",
            "serious_incident_declared",
        ]
    }
    assert "13900001111" not in str(event.data)
    assert ID_NUMBER not in str(event.data)


def test_empty_id_number_and_phone_keep_what_is_stored(world):
    data = form_data(world.person, name="新名字")
    assert english_client(world.person_user).post(PROFILE, data).status_code == 302
    world.person.refresh_from_db()
    assert (world.person.name, world.person.id_number, world.person.phone) == ("新名字", ID_NUMBER, "13812345678")


def test_a_new_id_number_is_normalised_and_fills_birth_date_and_sex(world):
    woman = make_id(birth="19851224", sequence="124")
    typed = " " + woman[:6] + " " + woman[6:].lower()
    assert english_client(world.person_user).post(PROFILE, form_data(world.person, id_number=typed)).status_code == 302
    world.person.refresh_from_db()
    assert (world.person.id_number, world.person.birth_date, world.person.sex.code) == (
        woman,
        dt.date(1985, 12, 24),
        "2",
    )


WRONG_CHECK = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            WRONG_CHECK,
            f"The last character is a check digit: it should be {ID_NUMBER[17]}, not {WRONG_CHECK[17]}. "
            "Please check the number for a typing error.",
        ),
        ("3301061990030712", "An ID number has 18 characters; this one has 16."),
        (make_id(birth="19900230"), "Digits 7 to 14, 19900230, should be the date of birth but are not a real date."),
        (
            make_id(prefix="999999"),
            "The first 6 digits, 999999, are not a known administrative division code.",
        ),
    ],
)
def test_an_invalid_id_number_is_shown_on_the_field_kept_in_the_form_and_nothing_is_saved(world, typed, message):
    before = snapshot(world.person)
    events = AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()
    response = english_client(world.person_user).post(PROFILE, form_data(world.person, name="改了", id_number=typed))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [message]
    assert field_errors(html, "id_number") == [message.replace("'", "&#x27;")]
    assert f'value="{typed}"' in html  # what was typed stays
    assert 'value="改了"' in html
    assert snapshot(world.person) == before
    assert AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count() == events


def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(world):
    before = snapshot(world.person)
    response = english_client(world.person_user).post(
        PROFILE, form_data(world.person, birth_date="1990-03-08", sex=sex("1").pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "birth_date": ["The date of birth does not match the ID number, which gives 1990-03-07."]
    }
    assert snapshot(world.person) == before


def test_a_sex_that_disagrees_with_the_id_number_is_refused(world):
    before = snapshot(world.person)
    response = english_client(world.person_user).post(
        PROFILE, form_data(world.person, birth_date="1990-03-07", sex=sex("2").pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "sex": ["The sex does not match the ID number: its 17th digit stands for Male."]
    }
    assert snapshot(world.person) == before


UNAVAILABLE = "This ID number cannot be used. If it is yours, ask your unit's administrator."


@pytest.mark.parametrize("holder", ["imported", "with_account_elsewhere", "without_employer"])
def test_an_id_number_already_in_another_profile_is_refused_without_saying_whose_or_where(world, holder):
    """Whatever profile holds the number, the person reads the same words, which do not say that it is on file."""
    other = make_id(birth="19800101")
    fields = {
        "imported": {"employer": world.hospital},
        "with_account_elsewhere": {"employer": world.other_hospital, "user": UserFactory()},
        "without_employer": {"employer": None},
    }[holder]
    PersonFactory(id_number=other, name="别人", **fields)
    before = snapshot(world.person)
    response = english_client(world.person_user).post(PROFILE, form_data(world.person, id_number=other))
    assert response.context["form"].errors == {"id_number": [UNAVAILABLE]}
    html = response.content.decode()
    assert "别人" not in html
    assert snapshot(world.person) == before


def test_the_service_refuses_a_taken_id_number_with_the_same_words(world):
    other = make_id(birth="19800101")
    PersonFactory(id_number=other)
    before = snapshot(world.person)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.person_update(actor=world.unit_admin, person=world.person, data={"id_number": other})
    assert (refused.value.message, refused.value.field) == (UNAVAILABLE, "id_number")
    assert snapshot(world.person) == before


def test_a_wrong_phone_number_is_refused_on_the_field(world):
    response = english_client(world.person_user).post(PROFILE, form_data(world.person, phone="call me"))
    assert response.context["form"].errors == {"phone": ["Enter a phone number: digits, spaces, + and - only."]}


def test_the_person_cannot_confirm_their_own_incident_record(world):
    data = form_data(world.person, serious_incident_confirmed="on", serious_incident_declared="on")
    assert english_client(world.person_user).post(PROFILE, data).status_code == 302
    world.person.refresh_from_db()
    assert (world.person.serious_incident_declared, world.person.serious_incident_confirmed) == (True, None)


def test_designations_are_chosen_from_the_code_table(world):
    designation = code("designation", "ZZ-TEST")
    assert (
        english_client(world.person_user)
        .post(PROFILE, form_data(world.person, designations=[designation.pk]))
        .status_code
        == 302
    )
    assert list(world.person.designations.all()) == [designation]


# ---- Session expired ------------------------------------------------------------------------------------------


def test_a_post_after_the_session_expired_keeps_everything_typed_and_saves_nothing(world):
    before = snapshot(world.person)
    people = Person.objects.count()
    data = form_data(
        world.person,
        name="张三丰",
        id_number=ID_NUMBER,
        cv_text="二十年临床工作",
        **{"lang-0-test": "ielts", "lang-0-score": "7.5"},
    )
    response = english_client().post(PROFILE, data)
    html = response.content.decode()
    assert response.status_code == 401
    assert "Your session has expired, so nothing was saved yet." in html
    assert 'value="张三丰"' in html
    assert "二十年临床工作" in html
    assert 'value="7.5"' in html
    assert (snapshot(world.person), Person.objects.count()) == (before, people)


def test_the_autosave_of_an_expired_session_answers_401_and_changes_nothing(world):
    before = snapshot(world.person)
    events = AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()
    response = english_client().post(AUTOSAVE, form_data(world.person, name="张三丰"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#autosave-status", "innerHTML")
    assert "Not saved: your session has expired. What you typed is still here." in response.content.decode()
    assert (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()) == (before, events)


# ---- Autosave -------------------------------------------------------------------------------------------------


def test_autosave_saves_what_was_typed_and_says_when(world):
    client = english_client(world.person_user)
    response = client.post(AUTOSAVE, form_data(world.person, native_place="浙江温州"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.match(r"Saved at \d\d:\d\d", html)
    world.person.refresh_from_db()
    assert world.person.native_place == "浙江温州"
    assert DRAFT_KEY not in client.session


def test_autosave_keeps_the_valid_fields_and_reports_the_invalid_ones(world):
    client = english_client(world.person_user)
    data = form_data(world.person, native_place="浙江温州", id_number=WRONG_CHECK, birth_date="1990-03-07")
    response = client.post(AUTOSAVE, data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "1 field needs attention and is not saved" in html
    assert 'id="errors-id_number" hx-swap-oob="true"><p class="error">The last character is a check digit' in html
    assert 'id="errors-name" hx-swap-oob="true"></div>' in html
    world.person.refresh_from_db()
    # The valid field is saved; the ID number and what is checked against it (birth date, sex) are not.
    assert (world.person.native_place, world.person.id_number, world.person.birth_date) == ("浙江温州", ID_NUMBER, None)
    assert client.session[DRAFT_KEY] == {"id_number": [WRONG_CHECK]}


def test_an_invalid_value_typed_earlier_comes_back_with_its_error_until_corrected(world):
    client = english_client(world.person_user)
    client.post(AUTOSAVE, form_data(world.person, id_number=WRONG_CHECK), headers={"HX-Request": "true"})
    response = client.get(PROFILE)
    html = response.content.decode()
    assert f'value="{WRONG_CHECK}"' in html
    assert field_errors(html, "id_number")[0].startswith("The last character is a check digit")
    assert "Some values you typed earlier are not valid yet." in html
    assert client.post(PROFILE, form_data(world.person)).status_code == 302
    assert DRAFT_KEY not in client.session
    assert WRONG_CHECK not in client.get(PROFILE).content.decode()


def test_autosave_fills_birth_date_and_sex_from_the_id_number_into_the_page(world):
    response = english_client(world.person_user).post(
        AUTOSAVE, form_data(world.person, id_number=ID_NUMBER), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert '<input type="date" name="birth_date" value="1990-03-07" id="id_birth_date" hx-swap-oob="true">' in html
    assert f'<option value="{sex("1").pk}" selected>Male</option>' in html
    world.person.refresh_from_db()
    assert (world.person.birth_date, world.person.sex.code) == (dt.date(1990, 3, 7), "1")


def test_autosave_without_a_change_writes_no_audit_row(world):
    client = english_client(world.person_user)
    data = form_data(world.person, birth_date="1990-03-07", sex=sex("1").pk)
    client.post(AUTOSAVE, data, headers={"HX-Request": "true"})
    client.post(AUTOSAVE, data, headers={"HX-Request": "true"})
    assert list(AuditEvent.objects.filter(action="person.update").values_list("data", flat=True)) == [
        {"fields": ["sex", "birth_date"]}
    ]


# ---- Language certificates ------------------------------------------------------------------------------------


def certificate_rows(*rows) -> dict:
    data = {"lang-TOTAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"lang-{i}-{k}": v for k, v in {"id": "", "test": "", "score": "", "taken_on": "", **row}.items()})
        if not row.get("DELETE"):
            data.pop(f"lang-{i}-DELETE", None)
    return data


def test_certificates_are_added_changed_and_removed(world):
    client = english_client(world.person_user)
    rows = certificate_rows(
        {"test": "ielts", "score": "7.0", "taken_on": "2025-05-01"}, {"test": "cet6", "score": "560"}
    )
    assert client.post(PROFILE, form_data(world.person, **rows)).status_code == 302
    ielts, cet6 = (
        world.person.language_certificates.order_by("test")[1],
        world.person.language_certificates.get(test="cet6"),
    )
    assert (ielts.test, ielts.score, ielts.taken_on) == ("ielts", "7.0", dt.date(2025, 5, 1))
    rows = certificate_rows(
        {"id": str(ielts.pk), "test": "ielts", "score": "7.5", "taken_on": "2025-05-01"},
        {"id": str(cet6.pk), "test": "cet6", "score": "560", "DELETE": "on"},
        {},
    )
    assert client.post(PROFILE, form_data(world.person, **rows)).status_code == 302
    assert list(world.person.language_certificates.values_list("pk", "score")) == [(ielts.pk, "7.5")]


def test_a_certificate_row_without_score_is_refused_and_nothing_is_saved(world):
    before = snapshot(world.person)
    response = english_client(world.person_user).post(
        PROFILE, form_data(world.person, name="改了", **certificate_rows({"test": "toefl"}))
    )
    assert response.status_code == 200
    assert response.context["formset"].errors == [{"score": ["Enter the score or the level (at least one)."]}]
    assert "Score: Enter the score or the level (at least one)." in response.content.decode()
    assert snapshot(world.person) == before


def test_autosave_gives_new_certificates_their_ids_so_the_next_save_does_not_duplicate_them(world):
    client = english_client(world.person_user)
    data = form_data(world.person, **certificate_rows({"test": "ielts", "score": "7.0"}))
    html = client.post(AUTOSAVE, data, headers={"HX-Request": "true"}).content.decode()
    certificate = LanguageCertificate.objects.get(person=world.person)
    assert (
        f'<input type="hidden" name="lang-0-id" id="id_lang-0-id" value="{certificate.pk}" hx-swap-oob="true">' in html
    )
    data["lang-0-id"] = str(certificate.pk)
    data["lang-0-score"] = "7.5"
    client.post(AUTOSAVE, data, headers={"HX-Request": "true"})
    assert list(LanguageCertificate.objects.filter(person=world.person).values_list("pk", "score")) == [
        (certificate.pk, "7.5")
    ]


def test_another_persons_certificate_id_cannot_be_changed_through_my_form(world):
    other = PersonFactory()
    theirs = LanguageCertificate.objects.create(person=other, test="ielts", score="6.0")
    rows = certificate_rows({"id": str(theirs.pk), "test": "ielts", "score": "9.0"})
    assert english_client(world.person_user).post(PROFILE, form_data(world.person, **rows)).status_code == 302
    theirs.refresh_from_db()
    assert (theirs.person, theirs.score) == (other, "6.0")
    assert list(world.person.language_certificates.values_list("score", flat=True)) == ["9.0"]


def test_the_add_row_button_gets_the_next_row_and_the_new_count(world):
    response = english_client(world.person_user).get(
        reverse("people:certificate_row"), {"lang-TOTAL_FORMS": "2"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'name="lang-2-score"' in html
    assert '<input type="hidden" name="lang-TOTAL_FORMS" value="3" id="id_lang-TOTAL_FORMS" hx-swap-oob="true">' in html
    assert (
        english_client(world.person_user).get(reverse("people:certificate_row"), {"lang-TOTAL_FORMS": "10"}).status_code
        == 204
    )
    assert english_client().get(reverse("people:certificate_row")).status_code == 401


# ---- Employer search ------------------------------------------------------------------------------------------


def test_the_employer_search_narrows_the_hospitals_and_keeps_the_current_one(world):
    found = OrganisationFactory(name_zh="温州医科大学附属第一医院测试", region=code("region", "330302"))
    response = english_client(world.person_user).get(
        reverse("people:employer_options"),
        {"employer_q": "温州医科大学附属第一医院测试", "employer": world.hospital.pk},
    )
    organisations = response.context["organisations"]
    assert set(organisations) == {found, world.hospital}
    assert f'<option value="{world.hospital.pk}" selected>' in response.content.decode()
    assert english_client().get(reverse("people:employer_options")).status_code == 401


# ---- Uploads in the profile -----------------------------------------------------------------------------------


def test_a_photo_uploaded_with_the_form_is_stored_privately_under_a_random_name(world, private_media):
    data = form_data(
        world.person,
        name="新名字",
        **{"doc-kind": "photo", "doc-file": upload("我的照片.png", png_bytes(), "text/plain")},
    )
    assert english_client(world.person_user).post(PROFILE, data).status_code == 302
    document = Document.objects.get(person=world.person)
    assert (document.kind, document.original_name, document.content_type, document.uploaded_by) == (
        "photo",
        "我的照片.png",
        "image/png",
        world.person_user,
    )
    assert re.fullmatch(rf"people/{world.person.pk}/photo/[0-9a-f]{{32}}", document.file.name)
    assert (private_media / document.file.name).read_bytes() == png_bytes()
    world.person.refresh_from_db()
    assert world.person.name == "新名字"


def test_a_failed_upload_keeps_the_rest_of_the_form_and_saves_nothing(world, private_media):
    before = snapshot(world.person)
    data = form_data(
        world.person,
        name="新名字",
        cv_text="我的简历",
        **{"doc-kind": "photo", "doc-file": upload("photo.png", PDF_BYTES, "image/png")},
    )
    response = english_client(world.person_user).post(PROFILE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["upload"].errors == {"file": ["The photo must be an image (JPEG or PNG)."]}
    assert field_errors(html, "doc-file") == ["The photo must be an image (JPEG or PNG)."]
    assert 'value="新名字"' in html
    assert "我的简历" in html
    assert snapshot(world.person) == before
    assert list(private_media.rglob("*")) == []


def test_the_htmx_upload_stores_a_pdf_cv_and_answers_the_documents_list(world):
    response = english_client(world.person_user).post(
        reverse("people:document_upload"),
        {"doc-kind": "cv", "doc-file": upload("简历.pdf", PDF_BYTES)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    document = Document.objects.get(person=world.person)
    assert (document.kind, document.content_type, document.size) == ("cv", "application/pdf", len(PDF_BYTES))
    assert html.lstrip().startswith('<fieldset class="profile-section documents" id="documents">')
    assert "The document has been uploaded." in html
    assert AuditEvent.objects.get(action="document.add").data == {
        "person": world.person.pk,
        "kind": "cv",
        "content_type": "application/pdf",
        "size": len(PDF_BYTES),
    }


def test_the_htmx_upload_refuses_a_text_file_called_png(world, private_media):
    response = english_client(world.person_user).post(
        reverse("people:document_upload"),
        {"doc-kind": "certificate", "doc-file": upload("scan.png", b"just some text", "image/png")},
        headers={"HX-Request": "true"},
    )
    assert field_errors(response.content.decode(), "doc-file") == ["The file is not a PDF, JPEG or PNG."]
    assert Document.objects.count() == 0
    assert AuditEvent.objects.filter(action="document.add").count() == 0
    assert list(private_media.rglob("*")) == []


def test_the_htmx_upload_refuses_an_oversize_file(world, settings):
    settings.MEDTALENT_UPLOAD_MAX_BYTES = 512 * 1024
    response = english_client(world.person_user).post(
        reverse("people:document_upload"),
        {"doc-kind": "cv", "doc-file": upload("cv.pdf", PDF_BYTES + b"0" * 512 * 1024)},
        headers={"HX-Request": "true"},
    )
    assert field_errors(response.content.decode(), "doc-file") == ["The file is larger than 0.5 MB."]
    assert Document.objects.count() == 0


def test_the_upload_of_an_expired_session_answers_401(world):
    response = english_client().post(
        reverse("people:document_upload"),
        {"doc-kind": "cv", "doc-file": upload("cv.pdf", PDF_BYTES)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 401
    assert Document.objects.count() == 0


def test_the_person_deletes_a_document_and_its_file(world, private_media, django_capture_on_commit_callbacks):
    client = english_client(world.person_user)
    client.post(reverse("people:document_upload"), {"doc-kind": "cv", "doc-file": upload("cv.pdf", PDF_BYTES)})
    document = Document.objects.get()
    stored = private_media / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:document_delete", args=[document.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert (Document.objects.count(), stored.exists()) == (0, False)
    assert AuditEvent.objects.filter(action="document.delete").count() == 1
