"""Personal access tokens: kept as a digest, shown once, acting with one role, expiring, revocable, last use
remembered at most once a minute, audited; the /me/tokens/ pages; two-factor authentication for sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment
from medtalent.api import services
from medtalent.api.models import AccessToken
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from tests.api.conftest import (
    ALLIANCE,
    SUPPORTED,
    bearer,
    org,
    snapshot,
    token_for,
    without_two_factor_middleware,
)
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
EVENTS = "/api/v1/alliance/events"
INDICATORS = f"/api/v1/hospitals/{SUPPORTED}/indicators"
REFUSED = {"errors": [{"field": "auth", "message": "The access token is unknown, expired or revoked."}]}


def _event(name: str = "Token conference") -> dict:
    return {"alliance": ALLIANCE, "kind": "conference", "name_zh": name, "name_en": name}


def _post_event(client, secret: str, name: str = "Token conference"):
    return client.post(EVENTS, _event(name), content_type="application/json", **bearer(secret), **EN)


# The model and the services ------------------------------------------------------------------------------------


def test_a_token_is_kept_as_its_digest_and_audited(secretariat):
    assignment = RoleAssignment.objects.get(user=secretariat)
    token, secret = services.token_create(actor=secretariat, name="HR", role=assignment, days=30)
    assert re.fullmatch(r"mt_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", secret)
    assert (token.prefix, token.digest) == (secret[:11], hashlib.sha256(secret.encode()).hexdigest())
    stored = AccessToken.objects.filter(pk=token.pk).values()[0]
    assert not any(secret in str(value) or secret[12:] in str(value) for value in stored.values())
    event = AuditEvent.objects.get(action="api_token.create")
    assert (event.actor, event.object_id, event.data["prefix"], event.data["role"]) == (
        secretariat,
        str(token.pk),
        token.prefix,
        Role.ALLIANCE_SECRETARIAT,
    )
    assert secret[12:] not in str(event.data)


@pytest.mark.parametrize(
    ("name", "days", "own_role", "field"),
    [("", 30, True, "name"), ("HR", 0, True, "days"), ("HR", 91, True, "days"), ("HR", 30, False, "role")],
)
def test_a_token_needs_a_name_one_of_the_users_roles_and_at_most_the_longest_life(
    secretariat, supported_admin, name, days, own_role, field
):
    role = RoleAssignment.objects.get(user=secretariat if own_role else supported_admin)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.token_create(actor=secretariat, name=name, role=role, days=days)
    assert error.value.field == field
    assert snapshot() == before


@override_settings(API_TOKEN_MAX_DAYS=7)
def test_the_longest_life_is_configurable(secretariat):
    role = RoleAssignment.objects.get(user=secretariat)
    with pytest.raises(ApplicationError):
        services.token_create(actor=secretariat, name="HR", role=role, days=8)
    token, _ = services.token_create(actor=secretariat, name="HR", role=role, days=7)
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)


# Calling the API with a token ----------------------------------------------------------------------------------


def test_a_token_acts_as_its_holder(client, secretariat):
    response = _post_event(client, token_for(secretariat))
    assert response.status_code == 201
    assert AuditEvent.objects.get(action="event.create").actor == secretariat


def test_a_token_acts_with_its_one_role_only(client, secretariat):
    RoleAssignment.objects.create(user=secretariat, role=Role.UNIT_ADMIN, organisation=org(SUPPORTED))
    unit_token = token_for(secretariat, Role.UNIT_ADMIN)
    before = snapshot(tokens=False)
    response = _post_event(client, unit_token)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (403, "request")
    assert snapshot(tokens=False) == before
    # …while the unit administrator's token may enter the hospital's indicators, and the secretariat's token not.
    body = [{"year": 2015, "kind": "in_county_visit_rate", "value": 80, "note": ""}]
    response = client.put(INDICATORS, body, content_type="application/json", **bearer(unit_token))
    assert response.status_code == 200
    secretariat_token = token_for(secretariat, Role.ALLIANCE_SECRETARIAT)
    response = client.put(INDICATORS, body, content_type="application/json", **bearer(secretariat_token))
    assert response.status_code == 404  # the secretariat may not even see the hospital's indicators
    assert _post_event(client, secretariat_token).status_code == 201


def test_a_superusers_token_has_only_its_roles_power(client):
    boss = make_user(Role.APPLICANT, is_superuser=True, is_staff=True)
    secret = token_for(boss)
    before = snapshot(tokens=False)
    response = _post_event(client, secret)
    assert response.status_code == 403
    assert snapshot(tokens=False) == before
    client.force_login(boss)  # the same user's session has the superuser's power
    assert client.post(EVENTS, _event(), content_type="application/json").status_code == 201
    boss.refresh_from_db()
    assert (boss.is_superuser, boss.is_staff) == (True, True)  # only the request was narrowed


@pytest.mark.parametrize("spoil", ["revoked", "expired", "role_withdrawn", "user_inactive", "unknown", "garbled"])
def test_an_unusable_token_is_refused_and_changes_nothing(client, secretariat, spoil):
    secret = token_for(secretariat)
    token = AccessToken.objects.get(user=secretariat)
    if spoil == "revoked":
        services.token_revoke(actor=secretariat, token=token)
    elif spoil == "expired":
        AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif spoil == "role_withdrawn":
        RoleAssignment.objects.filter(user=secretariat).delete()
    elif spoil == "user_inactive":
        type(secretariat).objects.filter(pk=secretariat.pk).update(is_active=False)
    elif spoil == "unknown":
        secret = secret[:-4] + "AAAA"
    else:
        secret = "x" * 500
    before = snapshot()
    response = _post_event(client, secret)
    assert (response.status_code, response.json()) == (401, REFUSED)
    # A public read with a refused token is refused too, not answered as to a visitor.
    assert client.get("/api/v1/code-tables", **bearer(secret), **EN).status_code == 401
    assert snapshot() == before


def test_the_last_use_is_written_at_most_once_a_minute(client, secretariat, django_assert_num_queries):
    secret = token_for(secretariat)
    token = AccessToken.objects.get(user=secretariat)
    assert (token.last_used_at, token.last_used_ip) == (None, None)
    start = timezone.now()
    with mock.patch("medtalent.api.services.timezone.now", return_value=start):
        client.get("/api/v1/stints", **bearer(secret), REMOTE_ADDR="10.1.2.3")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (start, "10.1.2.3")
    with mock.patch("medtalent.api.services.timezone.now", return_value=start + dt.timedelta(seconds=59)):
        client.get("/api/v1/stints", **bearer(secret), REMOTE_ADDR="10.9.9.9")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (start, "10.1.2.3")
    later = start + dt.timedelta(seconds=61)
    with mock.patch("medtalent.api.services.timezone.now", return_value=later):
        client.get("/api/v1/stints", **bearer(secret), REMOTE_ADDR="10.9.9.9")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (later, "10.9.9.9")


# Rate limits ---------------------------------------------------------------------------------------------------


@override_settings(API_RATE_LIMIT="2/m")
def test_a_token_is_rate_limited_on_its_own(client, secretariat, supported_admin):
    first, second = token_for(secretariat), token_for(supported_admin)
    assert [client.get("/api/v1/stints", **bearer(first)).status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/stints", **bearer(first), **EN)
    assert response.status_code == 429
    assert response.json() == {
        "errors": [{"field": "request", "message": "Too many requests: please wait a moment and try again."}]
    }
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get("/api/v1/stints", **bearer(second)).status_code == 200


@override_settings(API_RATE_LIMIT="1/m")
def test_a_rate_limited_write_changes_nothing(client, secretariat):
    secret = token_for(secretariat)
    assert _post_event(client, secret, "One").status_code == 201
    before = snapshot(tokens=False)
    assert _post_event(client, secret, "Two").status_code == 429
    assert snapshot(tokens=False) == before


@override_settings(API_ANON_RATE_LIMIT="2/m")
def test_visitors_are_rate_limited_by_address(client):
    codes = [client.get("/api/v1/code-tables", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/code-tables", REMOTE_ADDR="10.0.0.2").status_code == 200


# Two-factor authentication of a session ------------------------------------------------------------------------


@override_settings(MFA_REQUIRED=True)
def test_a_staff_session_without_its_second_factor_is_no_api_session(supported_admin):
    browser = Client()
    browser.force_login(supported_admin)
    before = snapshot()
    body = [{"year": 2015, "kind": "in_county_visit_rate", "value": 80, "note": ""}]
    with without_two_factor_middleware():
        response = browser.put(INDICATORS, body, content_type="application/json", **EN)
        assert (response.status_code, response.json()) == (
            401,
            {"errors": [{"field": "auth", "message": "Please log in."}]},
        )
        assert browser.get(INDICATORS).status_code == 401
    assert snapshot() == before


@override_settings(MFA_REQUIRED=True)
def test_a_verified_staff_session_and_an_applicant_pass(supported_admin):
    device = TOTPDevice.objects.create(user=supported_admin, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(supported_admin)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login writes once the code is right
    session.save()
    with without_two_factor_middleware():
        assert browser.get(INDICATORS).status_code == 200
        applicant = Client()
        applicant.force_login(make_user(Role.APPLICANT))
        body = {"id_number": "11010519491231002X"}
        response = applicant.post("/api/v1/id-numbers/validate", body, content_type="application/json")
        assert response.status_code == 200


# The pages -----------------------------------------------------------------------------------------------------


def test_the_pages_need_a_login(client):
    before = snapshot()
    assert client.get("/me/tokens/").status_code == 302
    assert client.post("/me/tokens/", {"name": "x", "role": 1, "days": 30}).status_code == 302
    assert snapshot() == before


def test_creating_a_token_shows_it_once(client, secretariat):
    client.force_login(secretariat)
    role = RoleAssignment.objects.get(user=secretariat)
    response = client.post("/me/tokens/", {"name": "人事系统", "role": role.pk, "days": 30})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'<code id="new-token">(mt_[^<]+)</code>', response.content.decode()).group(1)
    token = AccessToken.objects.get(user=secretariat)
    assert (token.name, token.role, token.prefix) == ("人事系统", role, secret[:11])
    listing = client.get("/me/tokens/").content.decode()
    assert token.prefix in listing
    assert secret not in listing
    assert _post_event(Client(), secret).status_code == 201


def test_a_token_cannot_be_made_for_anothers_role(client, secretariat, supported_admin):
    client.force_login(secretariat)
    before = snapshot()
    other = RoleAssignment.objects.get(user=supported_admin)
    response = client.post("/me/tokens/", {"name": "x", "role": other.pk, "days": 30})
    assert response.status_code == 400
    assert snapshot() == before


@override_settings(MFA_REQUIRED=True)
def test_creating_a_token_needs_the_second_factor(client, secretariat):
    client.force_login(secretariat)
    before = snapshot()
    role = RoleAssignment.objects.get(user=secretariat)
    with without_two_factor_middleware():
        assert client.post("/me/tokens/", {"name": "x", "role": role.pk, "days": 30}).status_code == 403
    assert snapshot() == before


def test_revoking_a_token(client, secretariat):
    secret = token_for(secretariat)
    token = AccessToken.objects.get(user=secretariat)
    client.force_login(secretariat)
    response = client.post(f"/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1
    assert _post_event(Client(), secret).status_code == 401


def test_another_users_token_is_404_and_stays(client, secretariat, supported_admin):
    token_for(secretariat)
    token = AccessToken.objects.get(user=secretariat)
    client.force_login(supported_admin)
    before = snapshot()
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert snapshot() == before
