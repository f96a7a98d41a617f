"""Self-registration: the account works at once; the unit confirms (the profile gets the unit as its employer) or
refuses with a reason; the person is told; an outsider changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from medtalent.accounts.models import User
from medtalent.core.models import AuditEvent
from medtalent.notifications.models import Notice
from medtalent.people.models import Person
from medtalent.registration.enums import RequestKind, RequestState
from medtalent.registration.models import AccountRequest
from tests.factories import CommissionFactory
from tests.registration.conftest import PASSWORD, actions, snapshot

pytestmark = pytest.mark.usefixtures("english_browser")


def form(world, **overrides) -> dict:
    data = {
        "name": "孙自注",
        "email": "sun@example.cn",
        "unit": str(world.unit.pk),
        "username": "sundoc",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def register(world, client, **overrides):
    return client.post(reverse("registration:register"), form(world, **overrides))


def test_register_makes_a_working_account_and_a_pending_request(world, client):
    response = register(world, client)

    assert response.status_code == 302
    user = User.objects.get(username="sundoc")
    person = Person.objects.get(user=user)
    request = AccountRequest.objects.get(user=user)
    assert (user.email, user.display_name) == ("sun@example.cn", "孙自注")
    assert (person.name, person.email, person.employer) == ("孙自注", "sun@example.cn", None)
    assert (request.kind, request.state, request.unit, request.person) == (
        RequestKind.REGISTRATION,
        RequestState.PENDING,
        world.unit,
        person,
    )
    assert actions(actor=user) == ["user.create", "role.assign", "person.create", "account_request.create"]
    logged_in = client.post(reverse("login"), {"username": "sundoc", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert client.get(reverse("people:profile")).status_code == 200


def test_the_unit_confirms_and_the_person_is_told(world, client, django_capture_on_commit_callbacks):
    register(world, client)
    request = AccountRequest.objects.get()
    client.force_login(world.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (RequestState.CONFIRMED, world.admin)
    assert Person.objects.get(pk=request.person_id).employer == world.unit
    assert actions(actor=world.admin)[-2:] == ["account_request.transition", "person.employer"]
    notice = Notice.objects.get()
    assert (notice.recipient, notice.kind) == (request.user, "account_request.confirmed")
    assert mail.outbox[-1].to == ["sun@example.cn"]


def test_a_refusal_needs_a_reason(world, client):
    register(world, client)
    request = AccountRequest.objects.get()
    client.force_login(world.admin)
    before = snapshot()

    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "refuse", "note": " "})

    assert snapshot() == before
    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "refuse", "note": "不是本院职工"})
    request.refresh_from_db()
    assert (request.state, request.reason) == (RequestState.REFUSED, "不是本院职工")
    assert Person.objects.get(pk=request.person_id).employer is None
    event = AuditEvent.objects.get(action="account_request.transition")
    assert (event.from_state, event.to_state, event.note) == ("pending", "refused", "不是本院职工")


def test_an_outsider_unit_admin_gets_404_and_nothing_changes(world, client):
    register(world, client)
    request = AccountRequest.objects.get()
    client.force_login(world.other_admin)
    before = snapshot()

    response = client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    assert response.status_code == 404
    assert snapshot() == before


def test_the_unit_must_be_a_hospital(world, client):
    commission = CommissionFactory()
    before = snapshot()

    response = register(world, client, unit=str(commission.pk))

    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "UNITADMIN"}, "This username is taken. Choose another."),
        ({"password1": "short1", "password2": "short1"}, "This password is too short."),
        ({"password2": PASSWORD + "x"}, "The two passwords differ."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
    ],
)
def test_bad_registrations_are_refused(world, client, overrides, message):
    before = snapshot()

    response = register(world, client, **overrides)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_registrations_from_one_address_are_limited(world, client, settings):
    settings.REGISTRATION_MAX_PER_IP = 2
    register(world, client, username="a1")
    register(world, client, username="a2")
    before = snapshot()

    response = register(world, client, username="a3")

    assert response.status_code == 400
    assert "Too many registrations from your network today." in response.content.decode()
    assert snapshot() == before


def test_the_unit_search_answers_matching_hospitals_only(world, client):
    response = client.get(reverse("registration:unit_options"), {"unit_q": "注册测试"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world.unit.pk}"' in html
    assert f'value="{world.other_unit.pk}"' in html
    assert client.get(reverse("registration:unit_options")).content.decode().count("<option") == 1


def test_the_register_page_draws_no_list_of_every_hospital(world, client):
    html = client.get(reverse("registration:register")).content.decode()

    assert html.count("<option") == 1
    assert 'hx-get="/register/units/"' in html


def test_the_person_withdraws_a_request(world, client):
    register(world, client)
    user = User.objects.get(username="sundoc")
    request = AccountRequest.objects.get()
    client.force_login(world.other_admin)
    assert client.post(reverse("registration:withdraw", args=[request.pk])).status_code == 404
    client.force_login(user)

    client.post(reverse("registration:withdraw", args=[request.pk]))

    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
