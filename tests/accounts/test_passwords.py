"""Passwords (issue 10, finding 3): 10+ characters with letters and digits, no personal information, not one of the
last 5, and an expired password sends the user to the change page until they change it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from medtalent.accounts.models import PasswordHistory
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def problems(password: str, user=None) -> list[str]:
    with override("en"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("Qz7x-Lm2", ["password_too_short"]),
        ("Hospitalwards", ["password_letters_and_digits"]),
        ("8461937205", ["password_entirely_numeric", "password_letters_and_digits"]),
        ("Xin-mima-2025", []),
    ],
)
def test_length_letters_and_digits(password, codes):
    assert problems(password) == codes


def test_the_username_or_name_is_refused():
    user = UserFactory(username="zhangwei", display_name="Zhang Wei")

    assert "password_personal_information" in problems("zhangwei2025x", user)
    assert problems("Lanse-haiyang-77", user) == []


@pytest.mark.parametrize(
    "password",
    [
        "Mima19850315x",  # birth date, YYYYMMDD
        "Mima850315abc",  # YYMMDD
        "Mima-1985.03.15",  # with separators
        "Mima15031985x",  # DDMMYYYY
        "Abcdefg151236",  # the last 6 digits of the ID number
        "Mima350102198503151236",  # the whole ID number
        "Mima13812345678",  # the phone number
    ],
)
def test_the_persons_id_number_birth_date_and_phone_are_refused(password):
    user = UserFactory(username="wangxm")
    PersonFactory(user=user, id_number="350102198503151236", birth_date=dt.date(1985, 3, 15), phone="13812345678")
    user.refresh_from_db()

    assert problems(password, user) == ["password_personal_information"]


def test_the_personal_information_message_is_clear():
    user = UserFactory(username="zhangwei")
    with override("en"), pytest.raises(ValidationError) as error:
        validate_password("Mima-zhangwei-2025x", user)

    assert error.value.messages == [
        "The password must not contain your personal information "
        "(username, name, ID number, phone number or date of birth)."
    ]


def change(client, old: str, new: str):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_none_of_the_last_five_passwords_may_be_used_again(client):
    passwords = [f"Lanse-haiyang-{n}0" for n in range(7)]
    user = UserFactory(username="lisi", password=passwords[0])
    client.force_login(user)
    for old, new in zip(passwords, passwords[1:6], strict=False):
        assert change(client, old, new).status_code == 302
    # The current one is passwords[5]; the last five are passwords[1..5].

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages' language is the cookie's
    with override("en"):
        refused = client.post(
            reverse("password_change"),
            {"old_password": passwords[5], "new_password1": passwords[2], "new_password2": passwords[2]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    allowed = change(client, passwords[5], passwords[0])

    assert refused.status_code == 200
    assert "The new password must not be one of your last 5 passwords." in refused.content.decode()
    assert allowed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(passwords[0])
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_the_current_password_set_before_the_history_was_kept_is_refused():
    user = UserFactory(username="lisi", password="Lanse-haiyang-10")

    assert problems("Lanse-haiyang-10", user) == ["password_reused"]


def test_changing_the_password_starts_its_clock(client):
    user = UserFactory(username="lisi", password="Lanse-haiyang-10")
    client.force_login(user)

    change(client, "Lanse-haiyang-10", "Lanse-haiyang-20")

    user.refresh_from_db()
    assert timezone.now() - user.password_changed_at < dt.timedelta(seconds=30)


def test_an_expired_password_sends_the_user_to_the_change_page_until_changed(client):
    user = UserFactory(username="lisi", password="Lanse-haiyang-10")
    user.password_changed_at = timezone.now() - dt.timedelta(days=91)
    user.save(update_fields=["password_changed_at"])
    client.force_login(user)

    sent = client.get(reverse("workspace:home"))
    page = client.get(reverse("password_change"))
    changed = change(client, "Lanse-haiyang-10", "Lanse-haiyang-20")
    after = client.get(reverse("workspace:home"))

    assert sent.status_code == 302
    assert sent.url == f"{reverse('password_change')}?next=%2Fme%2F"
    assert page.status_code == 200
    assert changed.status_code == 302
    assert after.status_code == 200


def test_a_password_younger_than_the_limit_is_not_expired(client):
    user = UserFactory(username="lisi")
    user.password_changed_at = timezone.now() - dt.timedelta(days=89)
    user.save(update_fields=["password_changed_at"])
    client.force_login(user)

    assert client.get(reverse("workspace:home")).status_code == 200


@override_settings(PASSWORD_MAX_AGE_DAYS=0)
def test_no_expiry_when_the_limit_is_zero(client):
    user = UserFactory(username="lisi")
    user.password_changed_at = timezone.now() - dt.timedelta(days=900)
    user.save(update_fields=["password_changed_at"])
    client.force_login(user)

    assert client.get(reverse("workspace:home")).status_code == 200
