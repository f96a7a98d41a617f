"""Login lockout (issue 10, finding 1): 67 wrong passwords and then the right one used to log in. Now a username
or an address is locked after AXES_FAILURE_LIMIT failures, on the login page, the admin's and the application
form's "log in again" box, with a page saying when to try again; the unit can lift it (`user_unlock`)."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.lockout import client_ip
from medtalent.accounts.services import user_unlock
from medtalent.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "Zhengque-mima-2025"


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-password-1"}, **extra)
        assert response.status_code in (200, 429)


def test_the_right_password_after_five_wrong_ones_is_refused_with_the_lockout_page(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 5)

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD})

    html = response.content.decode()
    retry = timezone.localtime(timezone.now() + dt.timedelta(minutes=30))
    assert response.status_code == 429
    assert not logged_in(client)
    assert 'class="panel narrow locked-out"' in html
    assert f"{retry:%H:%M}" in html or f"{retry - dt.timedelta(minutes=1):%H:%M}" in html  # when to try again
    assert f'href="{reverse("password_reset")}"' in html


def test_four_wrong_passwords_do_not_lock(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 4)

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in(client)


def test_the_lockout_page_is_in_english_for_an_english_visitor(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    client.cookies["django_language"] = "en"
    fail(client, "zhangsan", 5)

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD})

    html = response.content.decode()
    assert response.status_code == 429
    assert "Account locked" in html
    assert "Try again after" in html
    assert "ask your unit&#x27;s administrator to unlock it" in html


def test_one_username_is_locked_from_every_address(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 5, REMOTE_ADDR="10.0.0.1")

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 429
    assert not logged_in(client)


def test_one_address_is_locked_for_every_username(client):
    UserFactory(username="lisi", password=PASSWORD)
    for n in range(5):
        fail(client, f"guess{n}", 1, REMOTE_ADDR="10.0.0.9")

    refused = client.post(LOGIN, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    elsewhere = client.post(LOGIN, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_failure_limit_is_a_setting(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 2)

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))

    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in(client)


def test_the_admin_login_is_locked_too(client):
    UserFactory(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong-password-1"})

    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})

    assert response.status_code == 429
    assert not logged_in(client)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    """A client that invents X-Forwarded-For addresses is still counted at its own address."""
    UserFactory(username="lisi", password=PASSWORD)
    for n in range(5):
        fail(client, f"guess{n}", 1, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = client.post(
        LOGIN, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.77"
    )

    assert response.status_code == 429


def request_from(remote: str, forwarded: str = "") -> HttpRequest:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = remote
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_the_client_address_behind_trusted_proxies():
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request_from("10.0.0.1", "203.0.113.5")) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # A forged left-most entry is ignored: the proxy appended the address it saw.
        assert client_ip(request_from("10.0.0.1", "198.51.100.1, 203.0.113.5")) == "203.0.113.5"
        assert client_ip(request_from("10.0.0.1")) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request_from("10.0.0.1", "198.51.100.1, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_a_unit_administrator_unlocks_an_account(client):
    user = UserFactory(username="zhangsan", password=PASSWORD)
    admin = UserFactory(username="unit-admin")
    fail(client, "zhangsan", 5, REMOTE_ADDR="10.0.0.1")

    removed = user_unlock(actor=admin, user=user)
    response = client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")

    assert removed == 1
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.unlock")
    assert (event.actor, event.object_type, event.object_id, event.data) == (
        admin,
        "accounts.user",
        str(user.pk),
        {"username": "zhangsan", "removed": 1},
    )


def test_lockouts_and_failures_are_audited(client):
    UserFactory(username="zhangsan", password=PASSWORD)
    fail(client, "zhangsan", 5, REMOTE_ADDR="10.0.0.1")

    failures = list(AuditEvent.objects.filter(action="user.login_failed").values_list("actor", "data"))
    locked = list(AuditEvent.objects.filter(action="user.locked_out").values_list("actor", "data"))

    assert failures == [(None, {"username": "zhangsan", "ip": "10.0.0.1"})] * 5
    assert locked == [(None, {"username": "zhangsan", "ip": "10.0.0.1"})]


def test_the_application_forms_log_in_box_is_locked_too_and_keeps_the_text(client):
    """The session expired while typing: the "log in again" box counts failures and shows the lockout in place."""
    UserFactory(username="wangwu", password=PASSWORD)
    client.cookies["django_language"] = "en"
    edit = reverse("applications:edit", args=[999999])
    typed = {"reason": "提高介入诊疗水平", "action": "save"}
    for _ in range(5):
        client.post(edit, {**typed, "login_username": "wangwu", "login_password": "wrong-password-1"})

    response = client.post(edit, {**typed, "login_username": "wangwu", "login_password": PASSWORD})

    html = response.content.decode()
    assert response.status_code == 200  # the form page, not the lockout page: nothing typed is lost
    assert "提高介入诊疗水平</textarea>" in html
    assert 'name="login_password"' in html
    assert not logged_in(client)
    assert "Your account is locked after too many failed logins. Try again after" in html
    assert AuditEvent.objects.filter(action="user.locked_out", data__username="wangwu").exists()
