"""A unit invites its staff: the email with a one-time link, accepting it, and every refusal (wrong token,
expired, used, revoked, resent; an outsider; a person with an account)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from medtalent.registration import services
from medtalent.registration.enums import InvitationState
from medtalent.registration.models import Invitation
from medtalent.registration.selectors import token_hash
from tests.factories import PersonFactory
from tests.registration.conftest import PASSWORD, actions, last_token, link_token, snapshot

pytestmark = pytest.mark.usefixtures("english_browser")


def invite(world, client, django_capture_on_commit_callbacks, email: str = "") -> Invitation:
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration:invite", args=[world.imported.pk]), {"email": email})
    assert response.status_code == 302
    client.logout()
    return Invitation.objects.get(person=world.imported)


def accept(client, token: str, username: str = "zhaodoc", password: str = PASSWORD):
    # In English, as the person chose: `client.logout()` (in `invite`) forgets every cookie, the language's too.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        reverse("registration:accept", args=[token]),
        {"username": username, "password1": password, "password2": password},
    )


def test_invite_sends_a_one_time_link_and_keeps_only_its_hash(
    world, client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://medtalent.example"
    settings.REGISTRATION_INVITATION_DAYS = 3

    invitation = invite(world, client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    token = link_token(message)
    assert message.to == ["zhao@example.cn"]
    assert f"https://medtalent.example/invitations/{token}/" in message.body
    assert "赵导入" in message.body
    assert "注册测试医院" in message.subject
    assert len(token) >= 40
    assert (invitation.state, invitation.sent_count, invitation.token_hash) == ("pending", 1, token_hash(token))
    assert token not in str(list(Invitation.objects.values()))
    assert abs(invitation.expires_at - (timezone.now() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    assert actions(object_type="registration.invitation") == ["invitation.create", "invitation.send"]


def test_the_invitation_goes_to_an_email_typed_in(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks, email="other@example.cn")

    assert (invitation.email, mail.outbox[0].to) == ("other@example.cn", ["other@example.cn"])


def test_accepting_creates_the_account_linked_to_the_profile(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks)

    response = accept(client, last_token())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user = User.objects.get(username="zhaodoc")
    world.imported.refresh_from_db()
    invitation.refresh_from_db()
    assert world.imported.user == user
    assert (user.email, user.display_name, user.check_password(PASSWORD)) == ("zhao@example.cn", "赵导入", True)
    assert list(user.roles.values_list("role", flat=True)) == [Role.APPLICANT]
    assert (invitation.state, invitation.user) == (InvitationState.ACCEPTED, user)
    logged_in = client.post(reverse("login"), {"username": "zhaodoc", "password": PASSWORD})
    assert (logged_in.status_code, logged_in.wsgi_request.user) == (302, user)
    assert actions(actor=user)[:4] == ["user.create", "role.assign", "person.link_account", "invitation.transition"]
    event = AuditEvent.objects.get(action="invitation.transition")
    assert (event.from_state, event.to_state) == ("pending", "accepted")


def test_the_link_works_once(world, client, django_capture_on_commit_callbacks):
    invite(world, client, django_capture_on_commit_callbacks)
    token = last_token()
    accept(client, token)
    before = snapshot()

    response = accept(client, token, username="someoneelse")

    assert response.status_code == 404
    assert "This invitation has been used already. Log in instead." in response.content.decode()
    assert snapshot() == before


def test_a_wrong_token_is_refused_and_changes_nothing(world, client, django_capture_on_commit_callbacks):
    invite(world, client, django_capture_on_commit_callbacks)
    before = snapshot()

    page = client.get(reverse("registration:accept", args=["x" * 43]))
    response = accept(client, "x" * 43)

    assert (page.status_code, response.status_code) == (404, 404)
    assert "This invitation link is not valid." in response.content.decode()
    assert snapshot() == before


def test_an_expired_link_is_refused(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    before = snapshot()

    response = accept(client, last_token())

    assert response.status_code == 404
    assert "This invitation has expired. Ask your unit to send it again." in response.content.decode()
    assert snapshot() == before


def test_a_revoked_link_is_refused(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks)
    token = last_token()
    client.force_login(world.admin)
    client.post(reverse("registration:revoke", args=[invitation.pk]))
    client.logout()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED
    before = snapshot()

    response = accept(client, token)

    assert response.status_code == 404
    assert "Your unit has withdrawn this invitation." in response.content.decode()
    assert snapshot() == before
    event = AuditEvent.objects.get(action="invitation.transition")
    assert (event.actor, event.from_state, event.to_state) == (world.admin, "pending", "revoked")


def test_resending_makes_a_new_link_and_kills_the_old_one(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks)
    old = last_token()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:resend", args=[invitation.pk]))
    client.logout()
    new = last_token()

    invitation.refresh_from_db()
    assert (len(mail.outbox), invitation.sent_count, new != old) == (2, 2, True)
    assert invitation.expires_at > timezone.now()
    assert accept(client, old).status_code == 404
    assert accept(client, new).status_code == 302
    assert Person.objects.get(pk=world.imported.pk).user.username == "zhaodoc"
    assert actions(object_type="registration.invitation")[:4] == [
        "invitation.create",
        "invitation.send",
        "invitation.resend",
        "invitation.send",
    ]


def test_a_weak_password_is_refused_by_the_validators(world, client, django_capture_on_commit_callbacks):
    invite(world, client, django_capture_on_commit_callbacks)
    before = snapshot()

    response = accept(client, last_token(), password="12345678")

    assert response.status_code == 400
    assert "This password is too short." in response.content.decode()
    assert snapshot() == before


def test_a_username_taken_is_refused(world, client, django_capture_on_commit_callbacks):
    invite(world, client, django_capture_on_commit_callbacks)
    before = snapshot()

    response = accept(client, last_token(), username="UnitAdmin")

    assert response.status_code == 400
    assert "This username is taken. Choose another." in response.content.decode()
    assert snapshot() == before


def test_an_outsider_unit_admin_gets_404_and_nothing_changes(world, client, django_capture_on_commit_callbacks):
    invitation = invite(world, client, django_capture_on_commit_callbacks)
    other = PersonFactory(employer=world.unit, name="钱未邀")
    client.force_login(world.other_admin)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(reverse("registration:invite", args=[other.pk]), {"email": "x@example.cn"}),
            client.post(reverse("registration:resend", args=[invitation.pk])),
            client.post(reverse("registration:revoke", args=[invitation.pk])),
        ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert snapshot() == before
    assert len(mail.outbox) == 1


def test_a_person_with_an_account_cannot_be_invited(world):
    world.imported.user = User.objects.create(username="already")
    world.imported.save(update_fields=["user"])
    before = snapshot()

    with pytest.raises(ApplicationError, match="This person has an account already."):
        services.invitation_create(actor=world.admin, person=world.imported)

    assert snapshot() == before


def test_a_second_invitation_while_one_waits_is_refused(world, client, django_capture_on_commit_callbacks):
    invite(world, client, django_capture_on_commit_callbacks)

    with pytest.raises(ApplicationError, match="send the invitation again"):
        services.invitation_create(actor=world.admin, person=world.imported)

    assert Invitation.objects.count() == 1


def test_a_profile_without_email_needs_one_typed_in(world):
    world.imported.email = ""
    world.imported.save(update_fields=["email"])

    with pytest.raises(ApplicationError, match="Enter a valid email address.") as caught:
        services.invitation_create(actor=world.admin, person=world.imported)

    assert caught.value.field == "email"
    assert RoleAssignment.objects.filter(user__username="zhaodoc").count() == 0
