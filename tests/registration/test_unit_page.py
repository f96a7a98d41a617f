"""The unit's staff-accounts page: scoped to the unit administrator's units (404 for anyone else), its lists at a
fixed number of queries, unlocking a locked staff account, the to-do line, the request machine's table."""

from __future__ import annotations

import itertools

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.registration import services
from medtalent.registration.enums import RequestKind, RequestState
from medtalent.registration.models import AccountRequest, Invitation
from medtalent.registration.todo import todo_items
from medtalent.registration.workflow import ACCOUNT_REQUEST
from tests.factories import PersonFactory
from tests.helpers import make_user
from tests.registration.conftest import snapshot

pytestmark = pytest.mark.usefixtures("english_browser")

PAGE = "/unit/accounts/"


def lock_out(user, failures: int = 5) -> None:
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="10.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


def staff_account(world, unit=None, username: str = ""):
    user = make_user(**({"username": username} if username else {}))
    PersonFactory(user=user, employer=unit or world.unit)
    return user


def add_rows(world, unit, n: int) -> None:
    """n of each kind of row for `unit`: requests, staff without an account with an invitation, locked accounts."""
    for _ in range(n):
        person = PersonFactory(employer=unit)
        Invitation.objects.create(person=person, unit=unit, email="a@example.cn", invited_by=world.admin)
        requester = make_user()
        mine = PersonFactory(user=requester, employer=None)
        AccountRequest.objects.create(kind=RequestKind.REGISTRATION, user=requester, person=mine, unit=unit)
        lock_out(staff_account(world, unit))


def test_the_page_is_404_for_anyone_but_a_unit_admin(world, client):
    for user in (make_user(), make_user(Role.COMMISSION_ADMIN, world.unit)):
        client.force_login(user)
        assert client.get(PAGE).status_code == 404
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_page_shows_only_the_admins_unit(world, client):
    add_rows(world, world.unit, 1)
    add_rows(world, world.other_unit, 1)
    mine = AccountRequest.objects.get(unit=world.unit)
    theirs = AccountRequest.objects.get(unit=world.other_unit)
    client.force_login(world.admin)

    html = client.get(PAGE).content.decode()

    assert f'id="request-{mine.pk}"' in html
    assert f'id="request-{theirs.pk}"' not in html
    assert f'id="person-{world.imported.pk}"' in html
    invitations = {i.unit_id: i.pk for i in Invitation.objects.all()}
    assert f'id="invitation-{invitations[world.unit.pk]}"' in html
    assert f'id="invitation-{invitations[world.other_unit.pk]}"' not in html
    assert html.count('id="locked-') == 1
    assert html.count('id="request-') == 1


def test_the_page_costs_the_same_for_one_or_three_rows(world, client, django_assert_num_queries):
    client.force_login(world.admin)
    add_rows(world, world.unit, 1)
    client.get(PAGE)  # warm the session and the caches

    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    add_rows(world, world.unit, 2)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(PAGE).content.decode()
    assert (html.count('id="request-'), html.count('id="locked-'), html.count('id="invitation-')) == (3, 3, 3)


def test_a_unit_admin_unlocks_a_locked_staff_account(world, client):
    locked = staff_account(world, username="lockeddoc")
    lock_out(locked)
    client.force_login(world.admin)
    assert f'id="locked-{locked.pk}"' in client.get(PAGE).content.decode()

    response = client.post(reverse("registration:unlock", args=[locked.pk]))

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="lockeddoc").exists()
    event = AuditEvent.objects.get(action="user.unlock")
    assert (event.actor, event.object_id) == (world.admin, str(locked.pk))
    assert 'id="locked-' not in client.get(PAGE).content.decode()


def test_a_few_failures_are_not_a_lockout(world, client):
    lock_out(staff_account(world), failures=2)
    client.force_login(world.admin)

    assert 'id="locked-' not in client.get(PAGE).content.decode()


def test_an_outsider_cannot_unlock(world, client):
    locked = staff_account(world)
    lock_out(locked)
    client.force_login(world.other_admin)
    before = snapshot()
    attempts = list(AccessAttempt.objects.values())

    response = client.post(reverse("registration:unlock", args=[locked.pk]))

    assert response.status_code == 404
    assert snapshot() == before
    assert list(AccessAttempt.objects.values()) == attempts


def test_the_unlock_permission(world):
    staff = staff_account(world)
    superuser = make_user(is_superuser=True)
    PersonFactory(user=superuser, employer=world.unit)

    assert world.admin.has_perm("accounts.unlock_user", staff)
    assert not world.other_admin.has_perm("accounts.unlock_user", staff)
    assert not world.admin.has_perm("accounts.unlock_user", superuser)
    assert make_user(is_superuser=True).has_perm("accounts.unlock_user", staff)
    with pytest.raises(PermissionDenied):
        services.staff_account_unlock(actor=world.other_admin, user=staff)


def test_the_todo_list_names_the_requests_waiting(world, client):
    add_rows(world, world.unit, 2)
    add_rows(world, world.other_unit, 1)

    items = todo_items(user=world.admin)

    assert [i.kind for i in items] == ["registration.decide"] * 2
    assert items[0].heading == "Registrations and profile claims waiting for your confirmation"
    assert todo_items(user=make_user()) == []
    client.force_login(world.admin)
    assert "Registrations and profile claims waiting for your confirmation" in client.get("/me/").content.decode()


STATES = [s.value for s in RequestState]


@pytest.mark.parametrize(("source", "target"), list(itertools.permutations(STATES, 2)))
def test_the_request_table(world, source, target):
    """Only pending → confirmed / refused (the unit) / withdrawn (the person) are moves; nothing leaves a decision."""
    requester = make_user()
    person = PersonFactory(user=requester, employer=None)
    request = AccountRequest.objects.create(
        kind=RequestKind.REGISTRATION, user=requester, person=person, unit=world.unit, state=source
    )
    allowed = {("pending", "confirmed"): "admin", ("pending", "refused"): "admin", ("pending", "withdrawn"): "self"}
    actor = requester if allowed.get((source, target)) == "self" else world.admin
    if (source, target) not in allowed:
        with pytest.raises(ApplicationError):
            services.transition(ACCOUNT_REQUEST, request, to=target, actor=actor, note="理由")
        return
    services.transition(ACCOUNT_REQUEST, request, to=target, actor=actor, note="理由")
    request.refresh_from_db()
    assert request.state == target
    wrong = world.admin if actor == requester else requester
    request.state = source
    request.save(update_fields=["state"])
    with pytest.raises(PermissionDenied):
        services.transition(ACCOUNT_REQUEST, request, to=target, actor=wrong, note="理由")
