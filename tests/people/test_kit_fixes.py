"""Issue 11 on the profile: an autosave changes only the fields it sends; the red banner follows the form as it is
now (gone once nothing is wrong, with the fields marked while something is); a person's name is 姓名, not 名称;
no page sets the CSRF header itself (the base template does)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from medtalent.people.views import DRAFT_KEY
from tests.people.conftest import ID_NUMBER, english_client
from tests.people.test_profile import WRONG_CHECK, field_errors, form_data, snapshot

pytestmark = pytest.mark.django_db

PROFILE = reverse("people:profile")
AUTOSAVE = reverse("people:profile_autosave")
HTMX = {"HX-Request": "true"}
BANNER = re.compile(r'<div id="profile-problems"( hx-swap-oob="true")?>(.*?)</div>', re.S)


def banner(html: str) -> str:
    match = BANNER.search(html)
    assert match is not None, "the page has no banner area"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(2))).strip()


# ---- Only what is sent changes -----------------------------------------------------------------------------------


def test_an_autosave_of_one_field_leaves_the_others_as_they_were(world):
    person = world.person
    person.native_place = "浙江温州"
    person.residency_completed = True
    person.teaching_experience = True
    person.admin_years = 3
    person.save()
    before = snapshot(person)

    response = english_client(world.person_user).post(AUTOSAVE, {"department": "心血管内科"}, headers=HTMX)

    assert response.status_code == 200
    after = snapshot(person)
    assert after["department"] == "心血管内科"
    assert {k: v for k, v in after.items() if k not in ("department", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("department", "updated_at")
    }
    assert list(AuditEvent.objects.filter(action="person.update").values_list("data", flat=True)) == [
        {"fields": ["department"]}
    ]


def test_a_box_the_page_declares_and_does_not_send_is_unticked(world):
    person = world.person
    person.residency_completed = True
    person.save(update_fields=["residency_completed"])
    data = form_data(person, _fields="name department residency_completed")

    english_client(world.person_user).post(AUTOSAVE, data, headers=HTMX)

    person.refresh_from_db()
    assert person.residency_completed is False


def test_an_autosave_without_the_certificate_rows_leaves_the_certificates(world):
    client = english_client(world.person_user)
    client.post(
        AUTOSAVE,
        form_data(world.person, **{"lang-0-test": "ielts", "lang-0-score": "7.0"}),
        headers=HTMX,
    )
    assert list(world.person.language_certificates.values_list("test", "score")) == [("ielts", "7.0")]

    client.post(AUTOSAVE, {"native_place": "浙江杭州"}, headers=HTMX)

    assert list(world.person.language_certificates.values_list("test", "score")) == [("ielts", "7.0")]


def test_an_autosave_of_somebody_logged_out_changes_nothing(world, client):
    before = snapshot(world.person)

    response = client.post(AUTOSAVE, {"department": "别的科室"}, headers=HTMX)

    assert response.status_code == 401
    assert snapshot(world.person) == before


# ---- The banner follows the form ---------------------------------------------------------------------------------


def test_the_banner_goes_once_the_wrong_id_number_is_corrected(world):
    client = english_client(world.person_user)
    wrong = client.post(AUTOSAVE, form_data(world.person, id_number=WRONG_CHECK), headers=HTMX).content.decode()
    assert banner(wrong) == "Some values are not valid yet and are not saved: please correct the fields marked below."
    page = client.get(PROFILE).content.decode()
    assert banner(page) == "Some values you typed earlier are not valid yet. Please correct the fields marked below."
    assert field_errors(page, "id_number")[0].startswith("The last character is a check digit")

    right = client.post(AUTOSAVE, form_data(world.person, id_number=ID_NUMBER), headers=HTMX).content.decode()

    assert banner(right) == ""
    assert 'id="errors-id_number" hx-swap-oob="true"></div>' in right
    assert DRAFT_KEY not in client.session
    page = client.get(PROFILE).content.decode()
    assert banner(page) == ""
    assert field_errors(page, "id_number") == []


def test_the_banner_names_what_is_wrong_while_something_is(world):
    client = english_client(world.person_user)
    client.post(AUTOSAVE, form_data(world.person, id_number=WRONG_CHECK), headers=HTMX)

    # Another field is corrected; the ID number, not sent this time, is still wrong as the page shows it.
    response = client.post(AUTOSAVE, {"native_place": "浙江杭州"}, headers=HTMX).content.decode()

    assert banner(response) != ""
    assert field_errors(response, "id_number")[0].startswith("The last character is a check digit")
    assert client.session[DRAFT_KEY] == {"id_number": [WRONG_CHECK]}
    world.person.refresh_from_db()
    assert (world.person.native_place, world.person.id_number) == ("浙江杭州", ID_NUMBER)


# ---- 姓名 ----------------------------------------------------------------------------------------------------------


def test_the_persons_name_is_labelled_as_a_persons_name(world, client):
    client.force_login(world.person_user)
    chinese = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = english_client(world.person_user).get(PROFILE).content.decode()

    assert re.search(r'<label for="id_name">姓名', chinese)
    assert re.search(r'<label for="id_name">Name', english)
    with translation.override("zh-hans"):
        assert str(Person._meta.get_field("name").verbose_name) == "姓名"


# ---- CSRF ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["people:profile", "people:detail"])
def test_no_page_sets_the_csrf_header_itself(world, url_name):
    client = english_client(world.person_user)
    url = reverse(url_name, args=[world.person.pk]) if url_name == "people:detail" else reverse(url_name)

    html = client.get(url).content.decode()

    assert html.count("hx-headers") == 1  # the body's, from base.html
    assert re.search(r"<body[^>]*hx-headers='\{\"X-CSRFToken\"", html)
    assert "js/autosave" in html
