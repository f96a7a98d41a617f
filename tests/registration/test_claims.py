"""Claiming the profile a unit imported: proving the ID number and the date of birth, the unit's confirmation,
and every refusal (same message whatever the reason; limited attempts; nobody takes over a profile)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from medtalent.accounts.models import User
from medtalent.core.models import AuditEvent
from medtalent.people.models import Consent, Person
from medtalent.people.selectors import current_privacy_notice
from medtalent.registration.enums import RequestKind, RequestState
from medtalent.registration.models import AccountRequest, ClaimAttempt
from tests.factories import PersonFactory
from tests.helpers import make_user
from tests.registration.conftest import BIRTH, PASSWORD, actions, id_number, snapshot

pytestmark = pytest.mark.usefixtures("english_browser")

NO_MATCH = "No profile matches these details, or it is not open to claim. Ask your unit."
TOO_MANY = "Too many failed attempts. Try again tomorrow, or ask your unit."


def claim(client, number: str | None = None, birth: dt.date = BIRTH):
    return client.post(
        reverse("registration:claim"), {"id_number": number or id_number(), "birth_date": birth.isoformat()}
    )


def registered(world, client, username: str = "sundoc") -> User:
    """A self-registered account (empty profile, request pending), logged in."""
    client.post(
        reverse("registration:register"),
        {
            "name": "赵导入",
            "email": f"{username}@example.cn",
            "unit": str(world.unit.pk),
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def test_a_claim_waits_for_the_unit_then_links_the_profile(world, client):
    user = registered(world, client)
    empty = Person.objects.get(user=user)
    Consent.objects.create(person=empty, notice=current_privacy_notice())

    response = claim(client, number=" " + id_number().lower().replace("x", "X") + " ")

    assert response.status_code == 302
    request = AccountRequest.objects.get(kind=RequestKind.CLAIM)
    assert (request.state, request.person, request.unit, request.user) == ("pending", world.imported, world.unit, user)
    assert AccountRequest.objects.get(kind=RequestKind.REGISTRATION).state == RequestState.WITHDRAWN
    assert Person.objects.get(pk=world.imported.pk).user is None  # not before the unit confirms

    client.force_login(world.admin)
    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    imported = Person.objects.get(pk=world.imported.pk)
    assert imported.user == user
    assert not Person.objects.filter(pk=empty.pk).exists()  # the empty profile gave way
    assert list(Consent.objects.filter(person=imported).values_list("notice", flat=True)) == [
        current_privacy_notice().pk
    ]
    assert set(AccountRequest.objects.values_list("person", flat=True)) == {imported.pk}
    assert actions(actor=world.admin) == [
        "account_request.transition",
        "person.delete",
        "person.link_account",
    ]
    assert actions(actor=user, action__startswith="account_request") == [
        "account_request.create",
        "account_request.transition",
        "account_request.create",
    ]


def test_a_user_without_a_profile_claims(world, client):
    user = make_user()
    client.force_login(user)

    claim(client)
    request = AccountRequest.objects.get()
    client.force_login(world.admin)
    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    assert Person.objects.get(pk=world.imported.pk).user == user


@pytest.mark.parametrize("case", ["wrong birth date", "unknown ID number", "profile has an account", "empty ID number"])
def test_every_failure_answers_the_same_and_is_counted(world, client, case):
    user = make_user()
    client.force_login(user)
    number, birth = id_number(), BIRTH
    if case == "wrong birth date":
        birth = BIRTH + dt.timedelta(days=1)
    elif case == "unknown ID number":
        number = id_number(sequence=555)
    elif case == "profile has an account":
        world.imported.user = make_user()
        world.imported.save(update_fields=["user"])
    else:
        number = "   "
    before = snapshot()

    response = claim(client, number=number, birth=birth)

    assert response.status_code == 400
    html = response.content.decode()
    if case == "empty ID number":
        assert NO_MATCH not in html  # the form refuses an empty field first
        assert snapshot() == before
        return
    assert NO_MATCH in html
    assert AccountRequest.objects.count() == 0
    assert Person.objects.get(pk=world.imported.pk).user_id == (
        None if case != "profile has an account" else world.imported.user_id
    )
    assert list(ClaimAttempt.objects.values_list("user", "succeeded")) == [(user.pk, False)]
    event = AuditEvent.objects.get(action="claim.failed")
    assert (event.actor, event.object_id, event.data["failures"]) == (user, str(user.pk), 1)
    assert id_number() not in str(event.data)


def test_failed_attempts_are_limited_even_for_the_right_details(world, client, settings):
    settings.REGISTRATION_CLAIM_MAX_FAILURES = 3
    user = make_user()
    client.force_login(user)
    for day in range(1, 4):
        assert NO_MATCH in claim(client, birth=BIRTH + dt.timedelta(days=day)).content.decode()

    response = claim(client)

    assert TOO_MANY in response.content.decode()
    assert AccountRequest.objects.count() == 0
    assert ClaimAttempt.objects.filter(user=user).count() == 3
    assert actions(actor=user, action__startswith="claim.") == ["claim.failed"] * 3 + ["claim.blocked"]


def test_old_failures_fall_out_of_the_window(world, client, settings):
    settings.REGISTRATION_CLAIM_MAX_FAILURES = 1
    user = make_user()
    client.force_login(user)
    claim(client, birth=BIRTH + dt.timedelta(days=1))
    ClaimAttempt.objects.update(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert claim(client).status_code == 302
    assert AccountRequest.objects.get().person == world.imported


def test_failures_from_one_address_are_limited_across_accounts(world, client, settings):
    settings.REGISTRATION_CLAIM_MAX_FAILURES_PER_IP = 2
    for _ in range(2):
        client.force_login(make_user())
        claim(client, birth=BIRTH + dt.timedelta(days=1))
    client.force_login(make_user())

    assert TOO_MANY in claim(client).content.decode()
    assert AccountRequest.objects.count() == 0


def test_an_account_with_a_real_profile_cannot_claim(world, client):
    user = make_user()
    PersonFactory(user=user, employer=world.unit, id_number=id_number(sequence=777))
    client.force_login(user)
    before = snapshot()

    response = claim(client)

    assert response.status_code == 400
    assert "it cannot claim another" in response.content.decode()
    assert snapshot() == before


def test_an_outsider_unit_admin_gets_404_and_nothing_changes(world, client):
    user = make_user()
    client.force_login(user)
    claim(client)
    request = AccountRequest.objects.get()
    client.force_login(world.other_admin)
    before = snapshot()

    responses = [
        client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"}),
        client.post(reverse("registration:decide", args=[request.pk]), {"decision": "refuse", "note": "不认识"}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert snapshot() == before


def test_the_claimant_cannot_confirm_their_own_claim(world, client):
    """A unit administrator of the hospital who claims a profile there: another administrator must confirm."""
    client.force_login(world.admin)
    claim(client)
    request = AccountRequest.objects.get()
    before = snapshot()

    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    assert snapshot() == before


def test_confirming_one_claim_refuses_the_others(world, client):
    first, second = make_user(), make_user()
    for user in (first, second):
        client.force_login(user)
        claim(client)
    mine = AccountRequest.objects.get(user=first)
    client.force_login(world.admin)

    client.post(reverse("registration:decide", args=[mine.pk]), {"decision": "confirm"})

    other = AccountRequest.objects.get(user=second)
    assert (other.state, other.reason) == (RequestState.REFUSED, "Another account was confirmed for this profile.")
    assert Person.objects.get(pk=world.imported.pk).user == first


def test_a_claim_cannot_be_confirmed_once_the_profile_has_an_account(world, client):
    user = make_user()
    client.force_login(user)
    claim(client)
    request = AccountRequest.objects.get()
    taker = make_user()
    Person.objects.filter(pk=world.imported.pk).update(user=taker)
    client.force_login(world.admin)
    before = snapshot()

    client.post(reverse("registration:decide", args=[request.pk]), {"decision": "confirm"})

    assert snapshot() == before
    assert Person.objects.get(pk=world.imported.pk).user == taker
