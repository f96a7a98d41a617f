"""Two-factor authentication (issue 10, finding 2): TOTP with recovery codes, required for every staff role when
MFA_REQUIRED, offered to applicants; the second step after the password; audited enrolment, use and removal."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts.enums import Role
from medtalent.accounts.services import recovery_code_digest, two_factor_enrol_confirm, two_factor_enrol_start
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Zhengque-mima-2025"
ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("workspace:home")


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor_enrol_start(actor=user)
    confirmed, codes = two_factor_enrol_confirm(actor=user, device_id=device.pk, token=code_for(device.bin_key))
    return confirmed, codes


def test_an_applicant_sets_up_two_factor_authentication(client):
    user = make_user(Role.APPLICANT)
    client.force_login(user)

    page = client.get(ENROL)
    html = page.content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"device": device.pk, "code": code_for(b32decode(secret))})

    device.refresh_from_db()
    shown = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # the QR code is drawn here, no image from elsewhere
    assert device.confirmed
    assert response.status_code == 200
    assert len(set(shown)) == 10
    # Only a keyed digest of each code is kept, never the code itself (like a password).
    assert stored == {recovery_code_digest(user_id=user.pk, code=code) for code in shown}
    assert not stored & set(shown)
    event = AuditEvent.objects.get(action="two_factor.enrol")
    assert (event.actor, event.object_id) == (user, str(user.pk))


def test_a_wrong_code_confirms_nothing(client):
    user = make_user(Role.APPLICANT)
    client.force_login(user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device.bin_key)) + 1) % 1000000:06d}"

    response = client.post(ENROL, {"device": device.pk, "code": wrong})

    device.refresh_from_db()
    assert response.status_code == 400
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert not AuditEvent.objects.filter(action="two_factor.enrol").exists()


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_after_the_password_a_user_with_an_authenticator_is_asked_for_a_code(client):
    user = make_user(Role.APPLICANT, password=PASSWORD)
    device, _codes = enrolled(user)

    log_in(client, user)
    asked = client.get(HOME)
    verified = client.post(f"{VERIFY}?next={HOME}", {"code": code_for(device.bin_key, steps_ahead=1), "next": HOME})
    home = client.get(HOME)

    assert asked.status_code == 302
    assert asked.url == f"{VERIFY}?next=%2Fme%2F"
    assert verified.status_code == 302
    assert verified.url == HOME
    assert home.status_code == 200


def test_a_wrong_code_does_not_let_the_user_in(client):
    user = make_user(Role.APPLICANT, password=PASSWORD)
    device, _codes = enrolled(user)
    log_in(client, user)
    wrong = f"{(int(code_for(device.bin_key, steps_ahead=1)) + 1) % 1000000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 400
    assert client.get(HOME).status_code == 302


def test_a_recovery_code_works_once_and_is_audited(client):
    user = make_user(Role.APPLICANT, password=PASSWORD)
    _device, codes = enrolled(user)
    log_in(client, user)

    used = client.post(VERIFY, {"code": codes[0]})
    client.logout()
    log_in(client, user)
    again = client.post(VERIFY, {"code": codes[0]})

    assert used.status_code == 302
    assert again.status_code == 400
    event = AuditEvent.objects.get(action="two_factor.recovery_code_used")
    assert (event.actor, event.data) == (user, {"left": 9})


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize(
    "role",
    [
        Role.COMMISSION_ADMIN,
        Role.UNIT_ADMIN,
        Role.REVIEWER,
        Role.HOST_COORDINATOR,
        Role.ALLIANCE_SECRETARIAT,
        Role.REFERENCE_DATA_EDITOR,
        Role.AUDITOR,
        "superuser",
    ],
)
def test_every_staff_role_must_set_it_up_before_any_page(client, role):
    if role == "superuser":
        user = make_user(is_superuser=True, is_staff=True)
    elif role == Role.REVIEWER:
        user = make_user(role)
    else:
        user = make_user(role, Organisation.objects.order_by("pk").first())
    client.force_login(user)

    for path in (HOME, reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ENROL), path
    # The API is not redirected: it refuses the session itself, in its JSON (tests/api/test_tokens.py).
    response = client.get("/api/v1/stints")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (401, "auth")
    assert client.get(ENROL).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


@override_settings(MFA_REQUIRED=True)
def test_an_applicant_is_not_required_to(client):
    client.force_login(make_user(Role.APPLICANT))

    assert client.get(HOME).status_code == 200


@override_settings(MFA_REQUIRED=False)
def test_without_the_requirement_staff_may_work_without_it(client):
    client.force_login(make_user(Role.REVIEWER))

    assert client.get(HOME).status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_staff_who_set_it_up_then_work(client):
    user = make_user(Role.REVIEWER)
    client.force_login(user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)

    client.post(ENROL, {"device": device.pk, "code": code_for(device.bin_key)})

    assert client.get(HOME).status_code == 200


def test_an_applicant_turns_it_off_with_a_code(client):
    user = make_user(Role.APPLICANT, password=PASSWORD)
    device, _codes = enrolled(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device.bin_key, steps_ahead=1)})

    response = client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device.bin_key, steps_ahead=2)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert AuditEvent.objects.get(action="two_factor.disable").actor == user


@override_settings(MFA_REQUIRED=True)
def test_staff_cannot_turn_it_off(client):
    user = make_user(Role.REVIEWER)
    device, _codes = enrolled(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device.bin_key, steps_ahead=1)})

    response = client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device.bin_key, steps_ahead=2)})

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert not AuditEvent.objects.filter(action="two_factor.disable").exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    user = make_user(Role.APPLICANT)
    device, old = enrolled(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device.bin_key, steps_ahead=1)})

    response = client.post(reverse("accounts:two_factor_recovery_codes"))

    new = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert response.status_code == 200
    assert len(set(new)) == 10
    assert not set(new) & set(old)
    assert stored == {recovery_code_digest(user_id=user.pk, code=code) for code in new}


def test_the_application_forms_log_in_box_asks_for_the_code(client):
    user = make_user(Role.APPLICANT, password=PASSWORD)
    device, _codes = enrolled(user)
    edit = reverse("applications:edit", args=[999999])
    typed = {
        "reason": "提高介入诊疗水平",
        "action": "save",
        "login_username": user.username,
        "login_password": PASSWORD,
    }

    asked = client.post(edit, typed)
    answered = client.post(edit, {**typed, "login_code": code_for(device.bin_key, steps_ahead=1)})

    assert asked.status_code == 200
    assert 'name="login_code"' in asked.content.decode()
    assert "提高介入诊疗水平</textarea>" in asked.content.decode()
    assert answered.status_code == 404  # logged in and verified; no such application
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_security_page_offers_it(client):
    client.force_login(make_user(Role.APPLICANT))

    html = client.get(reverse("accounts:security")).content.decode()

    assert f'href="{ENROL}"' in html
    assert f'href="{reverse("password_change")}"' in html
