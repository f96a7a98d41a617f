"""Sessions (issue 10, finding 4): logged out after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT
after logging in; the last-activity stamp is written at most once a minute; a warning banner with a keep-alive."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from medtalent.accounts.receivers import SESSION_ACTIVITY, SESSION_STARTED
from medtalent.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")


def stamp(client, *, started_ago: int, active_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_ACTIVITY] = now - active_ago
    session.save()


def test_the_session_lasts_at_most_twelve_hours():
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 43200
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_IDLE_TIMEOUT == 1800


def test_an_idle_session_is_logged_out(client):
    user = UserFactory()
    client.force_login(user)
    stamp(client, started_ago=2000, active_ago=1801)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="user.logout").get()
    assert (event.actor, event.data["reason"]) == (user, "idle")


def test_a_session_active_within_the_idle_time_goes_on(client):
    client.force_login(UserFactory())
    stamp(client, started_ago=2000, active_ago=1700)

    assert client.get(HOME).status_code == 200


def test_a_session_is_logged_out_after_its_absolute_lifetime_even_when_active(client):
    user = UserFactory()
    client.force_login(user)
    stamp(client, started_ago=43201, active_ago=5)

    response = client.get(HOME)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="user.logout").data["reason"] == "absolute"


def test_the_last_activity_is_written_at_most_once_a_minute(client):
    client.force_login(UserFactory())
    stamp(client, started_ago=100, active_ago=30)
    before = client.session[SESSION_ACTIVITY]

    client.get(HOME)
    unchanged = client.session[SESSION_ACTIVITY]
    stamp(client, started_ago=100, active_ago=61)
    client.get(HOME)
    written = client.session[SESSION_ACTIVITY]

    assert unchanged == before
    assert abs(written - int(time.time())) <= 2


def test_keep_alive_starts_the_idle_time_again(client):
    client.force_login(UserFactory())
    stamp(client, started_ago=1700, active_ago=1700)

    response = client.post(reverse("accounts:keepalive"))

    assert response.status_code == 204
    assert abs(client.session[SESSION_ACTIVITY] - int(time.time())) <= 2


def test_keep_alive_for_a_visitor_is_refused(client):
    assert client.post(reverse("accounts:keepalive")).status_code == 401


def test_a_logged_in_page_carries_the_warning_banner_and_its_script(client):
    client.force_login(UserFactory())

    html = client.get(HOME).content.decode()

    assert 'id="session-banner" hidden' in html
    assert 'data-idle="1800" data-warn="120"' in html
    assert "/static/js/session-timeout.js" in html
    assert f'action="{reverse("accounts:keepalive")}"' in html


def test_a_visitors_page_has_no_banner(client):
    assert 'id="session-banner"' not in client.get(reverse("catalog:home")).content.decode()
