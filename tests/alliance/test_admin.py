"""The secretariat's administration pages: superusers and commission administrators (no secretariat role yet)."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.alliance.models import Event
from medtalent.core.models import AuditEvent
from tests.factories import CommissionFactory, OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "2019-10-vienna-delegation"


def _staff(role=None, organisation=None, **extra):
    user = RoleFactory(role=role, organisation=organisation).user if role else UserFactory()
    for name, value in {"is_staff": True, **extra}.items():
        setattr(user, name, value)
    user.save()
    return user


def _post_event_change(client, event, **changes):
    url = reverse("admin:alliance_event_change", args=[event.pk])
    data = {
        "alliance": event.alliance_id,
        "code": event.code,
        "kind": event.kind,
        "name_zh": event.name_zh,
        "name_en": event.name_en,
        "committee": "",
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "date_note_zh": event.date_note_zh,
        "date_note_en": event.date_note_en,
        "place_zh": event.place_zh,
        "place_en": event.place_en,
        "countries": [c.pk for c in event.countries.all()],
        "organisers": [o.pk for o in event.organisers.all()],
        "participants": event.participants,
        "description_zh": event.description_zh,
        "description_en": event.description_en,
    }
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize("who", ["superuser", "commission_admin"])
def test_allowed_users_edit_an_event_with_an_audit_row(client, who):
    user = _staff(is_superuser=True) if who == "superuser" else _staff(Role.COMMISSION_ADMIN, CommissionFactory())
    client.force_login(user)
    event = Event.objects.get(code=EVENT)
    assert client.get(reverse("admin:alliance_event_changelist")).status_code == 200
    response = _post_event_change(client, event, participants=13)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.participants == 13
    audit = AuditEvent.objects.get(object_type="alliance.event", object_id=str(event.pk))
    assert (audit.action, audit.actor, audit.data["fields"]) == ("event.change", user, ["participants"])


@pytest.mark.parametrize("model", ["membership", "committee", "event"])
def test_commission_admin_opens_every_list(client, model):
    client.force_login(_staff(Role.COMMISSION_ADMIN, CommissionFactory()))
    assert client.get(reverse(f"admin:alliance_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("role", [None, Role.UNIT_ADMIN, Role.HOST_COORDINATOR, Role.REVIEWER, Role.APPLICANT], ids=str)
def test_other_staff_are_denied_and_nothing_changes(client, role):
    organisation = OrganisationFactory() if role in (Role.UNIT_ADMIN, Role.HOST_COORDINATOR) else None
    client.force_login(_staff(role, organisation))
    event = Event.objects.get(code=EVENT)
    before = Event.objects.values().get(pk=event.pk)
    assert client.get(reverse("admin:alliance_event_changelist")).status_code == 403
    assert client.get(reverse("admin:alliance_membership_changelist")).status_code == 403
    response = _post_event_change(client, event, participants=99)
    assert response.status_code == 403
    delete = client.post(reverse("admin:alliance_event_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Event.objects.values().get(pk=event.pk) == before
    assert not AuditEvent.objects.filter(object_type="alliance.event").exists()


def test_anonymous_is_sent_to_login_and_nothing_changes(client):
    event = Event.objects.get(code=EVENT)
    response = _post_event_change(client, event, participants=99)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.participants == 12


def test_deleting_an_event_is_audited(client):
    user = _staff(is_superuser=True)
    client.force_login(user)
    event = Event.objects.get(code=EVENT)
    response = client.post(reverse("admin:alliance_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(code=EVENT).exists()
    audit = AuditEvent.objects.get(object_type="alliance.event", object_id=str(event.pk))
    assert (audit.action, audit.actor) == ("event.delete", user)
