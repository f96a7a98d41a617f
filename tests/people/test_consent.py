"""The privacy notice: shown in the page's language, agreed once per version, with time and version kept."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.enums import NoticeKind
from medtalent.people.models import Consent, Person, PrivacyNotice
from medtalent.people.selectors import current_privacy_notice, person_has_current_consent, person_has_sensitive_consent
from tests.factories import PersonFactory, UserFactory
from tests.helpers import rows
from tests.people.conftest import ID_NUMBER, english_client

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
    consent = Consent.objects.get(person=world.person, notice__kind="general")
    assert consent.notice == current_privacy_notice()
    assert consent.agreed_at >= before
    assert person_has_current_consent(person=world.person) is True
    assert list(AuditEvent.objects.filter(action="person.consent").values_list("data", flat=True)) == [
        {"notice": consent.notice.version, "kind": "general"}
    ]


def test_agreeing_twice_keeps_one_consent(world):
    client = english_client(world.person_user)
    client.post(CONSENT)
    client.post(CONSENT)
    assert Consent.objects.filter(person=world.person, notice__kind="general").count() == 1
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
    Consent.objects.all().delete()
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


# ---- The separate consent for sensitive personal information (PIPL art. 29) ---------------------------------------

SENSITIVE = reverse("people:consent_sensitive")


@pytest.fixture
def newcomer(db):
    """A person with a profile and no consent at all (the world's person has given the sensitive one)."""
    user = UserFactory()
    return PersonFactory(user=user, employer=None, phone="", birth_date=None)


def test_the_seeds_hold_a_general_and_a_sensitive_notice_each_in_both_languages():
    general = current_privacy_notice()
    sensitive = current_privacy_notice(kind=NoticeKind.SENSITIVE)
    assert (general.kind, sensitive.kind) == ("general", "sensitive")
    assert general.pk != sensitive.pk
    assert "单独同意" in sensitive.text_zh
    assert "separate consent" in sensitive.text_en


def test_the_sensitive_consent_is_asked_on_its_own_page_with_its_own_checkbox(newcomer):
    html = english_client(newcomer.user).get(SENSITIVE).content.decode()
    assert "Separate consent: sensitive personal information" in html
    assert 'name="agree"' in html
    assert current_privacy_notice(kind=NoticeKind.SENSITIVE).text_en.splitlines()[0].replace('"', "&quot;") in html
    # The general page has no such checkbox and does not give the sensitive consent.
    assert 'name="agree"' not in english_client(newcomer.user).get(CONSENT).content.decode()
    english_client(newcomer.user).post(CONSENT)
    assert person_has_current_consent(person=newcomer) is True
    assert person_has_sensitive_consent(person=newcomer) is False


def test_the_sensitive_consent_needs_the_box_ticked(newcomer):
    response = english_client(newcomer.user).post(SENSITIVE)
    assert response.status_code == 400
    assert Consent.objects.filter(person=newcomer).count() == 0
    response = english_client(newcomer.user).post(SENSITIVE, {"agree": "1", "next": "/me/profile/"})
    assert (response.status_code, response.url) == (302, "/me/profile/")
    assert person_has_sensitive_consent(person=newcomer) is True
    assert person_has_current_consent(person=newcomer) is False
    assert list(AuditEvent.objects.filter(action="person.consent").values_list("data", flat=True)) == [
        {"notice": current_privacy_notice(kind=NoticeKind.SENSITIVE).version, "kind": "sensitive"}
    ]


def test_without_the_sensitive_consent_the_profile_cannot_take_an_id_number_or_health_status(newcomer):
    client = english_client(newcomer.user)
    html = client.get(reverse("people:profile")).content.decode()
    assert f'href="{SENSITIVE}?next=/me/profile/"' in html
    client.post(reverse("people:profile_autosave"), {"name": "新人", "id_number": ID_NUMBER, "health_status": "良好"})
    newcomer.refresh_from_db()
    assert (newcomer.name, newcomer.id_number, newcomer.health_status) == ("新人", None, "")


def test_the_service_refuses_sensitive_fields_without_the_consent_and_changes_nothing(newcomer):
    with pytest.raises(ApplicationError) as refused:
        services.person_update(actor=newcomer.user, person=newcomer, data={"health_status": "良好"})
    assert refused.value.field == "health_status"
    newcomer.refresh_from_db()
    assert newcomer.health_status == ""
    assert AuditEvent.objects.filter(action="person.update").count() == 0


def test_with_the_sensitive_consent_the_profile_takes_them(newcomer):
    client = english_client(newcomer.user)
    client.post(SENSITIVE, {"agree": "1"})
    client.post(reverse("people:profile_autosave"), {"name": "新人", "id_number": ID_NUMBER, "health_status": "良好"})
    newcomer.refresh_from_db()
    assert (newcomer.id_number, newcomer.health_status) == (ID_NUMBER, "良好")


def test_a_withdrawn_consent_no_longer_counts_and_agreeing_again_makes_a_new_row(newcomer):
    client = english_client(newcomer.user)
    client.post(SENSITIVE, {"agree": "1"})
    assert services.consent_withdraw(actor=newcomer.user, person=newcomer, kind=NoticeKind.SENSITIVE) == 1
    assert person_has_sensitive_consent(person=newcomer) is False
    client.post(SENSITIVE, {"agree": "1"})
    assert person_has_sensitive_consent(person=newcomer) is True
    rows_ = list(Consent.objects.filter(person=newcomer).order_by("id").values_list("withdrawn_at", flat=True))
    assert [value is None for value in rows_] == [False, True]
    assert AuditEvent.objects.filter(action="person.consent_withdraw").values_list("data", flat=True)[0] == {
        "kind": "sensitive",
        "notices": [current_privacy_notice(kind=NoticeKind.SENSITIVE).version],
    }


def test_only_the_person_withdraws_and_nothing_changes_otherwise(world):
    before = rows(Consent, AuditEvent)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=world.unit_admin, person=world.person, kind=NoticeKind.SENSITIVE)
    assert rows(Consent, AuditEvent) == before


def test_withdrawing_what_was_never_given_is_refused(newcomer):
    with pytest.raises(ApplicationError):
        services.consent_withdraw(actor=newcomer.user, person=newcomer, kind=NoticeKind.GENERAL)
