"""The privacy notice: shown in the page's language, agreed once per version, with time and version kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from medtalent.core.models import AuditEvent
from medtalent.people.models import Consent, Person, PrivacyNotice
from medtalent.people.selectors import current_privacy_notice, person_has_current_consent
from tests.factories import UserFactory
from tests.people.conftest import english_client

pytestmark = pytest.mark.django_db

CONSENT = reverse("people:consent")


def test_the_notice_is_shown_in_chinese_by_default_and_in_english_on_request(world):
    notice = current_privacy_notice()
    client = english_client(world.person_user)
    english = client.get(CONSENT).content.decode()
    client.cookies.pop("django_language")
    chinese = client.get(CONSENT).content.decode()
    assert notice.text_en.splitlines()[0].replace("'", "&#x27;") in english
    assert notice.text_zh.splitlines()[0] in chinese
    assert f"Version {notice.version}" in english


def test_agreeing_records_the_version_and_time_and_follows_next(world):
    before = timezone.now()
    response = english_client(world.person_user).post(CONSENT, {"next": "/applications/new/?round=7"})
    assert (response.status_code, response.url) == (302, "/applications/new/?round=7")
    consent = Consent.objects.get(person=world.person)
    assert consent.notice == current_privacy_notice()
    assert consent.agreed_at >= before
    assert person_has_current_consent(person=world.person) is True
    assert list(AuditEvent.objects.filter(action="person.consent").values_list("data", flat=True)) == [
        {"notice": consent.notice.version}
    ]


def test_agreeing_twice_keeps_one_consent(world):
    client = english_client(world.person_user)
    client.post(CONSENT)
    client.post(CONSENT)
    assert Consent.objects.filter(person=world.person).count() == 1
    assert AuditEvent.objects.filter(action="person.consent").count() == 1
    html = client.get(CONSENT).content.decode()
    assert "You agreed to this notice on" in html
    assert "I agree" not in html


def test_next_to_another_site_is_ignored(world):
    response = english_client(world.person_user).post(CONSENT, {"next": "https://evil.example/"})
    assert response.url == reverse("people:profile")


def test_the_next_address_is_carried_into_the_form(world):
    html = english_client(world.person_user).get(CONSENT, {"next": "/applications/new/"}).content.decode()
    assert '<input type="hidden" name="next" value="/applications/new/">' in html


def test_a_person_without_a_profile_gets_one_when_agreeing():
    user = UserFactory()
    english_client(user).post(CONSENT)
    assert person_has_current_consent(person=Person.objects.get(user=user)) is True


def test_a_new_notice_version_asks_again(world):
    english_client(world.person_user).post(CONSENT)
    PrivacyNotice.objects.create(version="2099.1", text_zh="新版本", published_at=timezone.now() + dt.timedelta(days=1))
    assert person_has_current_consent(person=world.person) is False
    html = english_client(world.person_user).get(CONSENT).content.decode()
    assert "新版本" in html
    assert "I agree" in html


def test_a_visitor_is_sent_to_log_in_and_nothing_is_recorded():
    count = Consent.objects.count()
    response = english_client().post(CONSENT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Consent.objects.count() == count


def test_without_any_notice_the_page_says_so(world):
    PrivacyNotice.objects.all().delete()
    client = english_client(world.person_user)
    assert "There is no privacy notice to agree to yet." in client.get(CONSENT).content.decode()
    response = client.post(CONSENT)
    assert response.status_code == 200
    assert Consent.objects.count() == 0


def test_the_profile_links_to_the_notice_until_agreed(world):
    client = english_client(world.person_user)
    assert f'href="{CONSENT}?next=/me/profile/"' in client.get(reverse("people:profile")).content.decode()
    client.post(CONSENT)
    assert f'href="{CONSENT}?next=' not in client.get(reverse("people:profile")).content.decode()
