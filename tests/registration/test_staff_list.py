"""The unit's staff without an account in the table kit (issue 11): filters by name (the unit by its name, not a
code), the export equals the page and is audited, the batch invitation, and a tampered id changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.core.models import AuditEvent
from medtalent.registration.models import Invitation
from tests.factories import PersonFactory
from tests.registration.conftest import snapshot

pytestmark = pytest.mark.usefixtures("english_browser")
PAGE = reverse("registration:unit_accounts")


def _names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


@pytest.fixture
def staff(world):
    return [
        PersonFactory(employer=world.unit, name="钱待邀", email="qian@example.cn"),
        PersonFactory(employer=world.unit, name="孙待邀", email="sun@example.cn"),
    ]


def test_the_unit_filter_offers_names_and_the_search_finds_by_name(world, client, staff):
    client.force_login(world.admin)
    response = client.get(PAGE, {"q": "钱待"})
    assert _names(response) == ["钱待邀"]
    choices = [label for value, label in response.context["filter"].form.fields["unit"].choices if value]
    assert choices == [world.unit.name_en]  # a name in the page's language, never a code
    assert _names(client.get(PAGE, {"unit": world.unit.pk, "q": "待邀"})) == ["孙待邀", "钱待邀"]


def test_the_invitation_filter(world, client, staff):
    Invitation.objects.create(person=staff[0], unit=world.unit, email="qian@example.cn", invited_by=world.admin)
    client.force_login(world.admin)
    assert _names(client.get(PAGE, {"invitation": "invited"})) == ["钱待邀"]
    assert "钱待邀" not in _names(client.get(PAGE, {"invitation": "not_invited"}))


def test_the_export_equals_the_page_and_is_audited(world, client, staff):
    client.force_login(world.admin)
    shown = _names(client.get(PAGE, {"q": "待邀"}))
    response = client.get(PAGE, {"q": "待邀", "export": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[0] == ("Name", "Department", "Unit", "Invitation")
    assert [row[0] for row in values[1:]] == shown == ["孙待邀", "钱待邀"]
    event = AuditEvent.objects.get(action="registration.staff_export")
    assert (event.actor_id, event.data) == (world.admin.pk, {"rows": 2, "filters": ["q"]})


def test_the_batch_invites_the_ticked_staff(world, client, staff):
    client.force_login(world.admin)
    response = client.post(PAGE, {"action": "invite", "ids": [p.pk for p in staff]})
    assert response.status_code == 302
    assert sorted(Invitation.objects.filter(person__in=staff).values_list("email", flat=True)) == [
        "qian@example.cn",
        "sun@example.cn",
    ]


def test_the_batch_is_all_or_nothing(world, client, staff):
    staff[1].email = ""
    staff[1].save()
    client.force_login(world.admin)
    before = snapshot()
    client.post(PAGE, {"action": "invite", "ids": [p.pk for p in staff]})
    assert snapshot() == before


def test_a_tampered_id_of_another_unit_changes_nothing(world, client):
    theirs = PersonFactory(employer=world.other_unit, email="other@example.cn")
    client.force_login(world.admin)
    before = snapshot()
    client.post(PAGE, {"action": "invite", "ids": [theirs.pk]})
    assert snapshot() == before
    assert not Invitation.objects.filter(person=theirs).exists()
