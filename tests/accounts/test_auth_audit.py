"""Audit of authentication (issue 10, finding 5): logins, failed logins, logouts and role grants and revocations,
including those made in the admin's role inline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Zhengque-mima-2025"


def test_a_login_and_a_logout_are_audited_with_the_address(client):
    user = UserFactory(username="zhangsan", password=PASSWORD)

    client.post(reverse("login"), {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")

    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "object_id", "data"))
    assert events == [
        ("user.login", user.pk, str(user.pk), {"username": "zhangsan", "ip": "10.1.2.3"}),
        ("user.logout", user.pk, str(user.pk), {"username": "zhangsan", "ip": "10.1.2.3"}),
    ]


def test_a_failed_login_names_no_actor_but_the_username_tried_and_the_address(client):
    client.post(reverse("login"), {"username": "nobody", "password": "wrong-password-1"}, REMOTE_ADDR="10.1.2.4")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_type, event.data) == (
        "user.login_failed",
        None,
        "accounts.user",
        {"username": "nobody", "ip": "10.1.2.4"},
    )


def inline_data(user, rows: list[dict], initial: int) -> dict:
    data = {
        "username": user.username,
        "display_name": "",
        "language": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "roles-TOTAL_FORMS": str(len(rows)),
        "roles-INITIAL_FORMS": str(initial),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"roles-{n}-{key}"] = value
    return data


def test_roles_granted_and_revoked_in_the_admin_are_audited(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="wangwu")
    unit = Organisation.objects.order_by("pk").first()
    client.force_login(admin)
    change = reverse("admin:accounts_user_change", args=[user.pk])

    granted = client.post(
        change, inline_data(user, [{"role": Role.UNIT_ADMIN, "organisation": unit.pk, "user": user.pk}], 0)
    )
    assignment = RoleAssignment.objects.get(user=user)
    revoked = client.post(
        change,
        inline_data(
            user,
            [{"id": assignment.pk, "role": Role.UNIT_ADMIN, "organisation": unit.pk, "user": user.pk, "DELETE": "on"}],
            1,
        ),
    )

    assert (granted.status_code, revoked.status_code) == (302, 302)
    assert not RoleAssignment.objects.filter(user=user).exists()
    events = list(
        AuditEvent.objects.filter(action__startswith="role.").order_by("pk").values_list("action", "actor", "data")
    )
    assert events == [
        ("role.assign", admin.pk, {"user": "wangwu"}),
        ("role.revoke", admin.pk, {"user": "wangwu", "organisation": unit.pk}),
    ]
