"""The alliance's administration pages: superusers, and the alliance secretariat (staff) for its own alliance only.

Commission administrators no longer manage the alliance (they did before the secretariat role existed)."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.core.models import AuditEvent
from tests.alliance.conftest import DENIED, EVENT, make_user, snapshot
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff(who, **kwargs):
    user = make_user(who, **kwargs)
    user.is_staff = True
    user.save()
    return user


def _event_form_data(event, **changes):
    data = {
        "alliance": event.alliance_id,
        "code": event.code,
        "kind": event.kind,
        "name_zh": event.name_zh,
        "name_en": event.name_en,
        "committee": "",
        "starts_on": event.starts_on.isoformat() if event.starts_on else "",
        "ends_on": event.ends_on.isoformat() if event.ends_on else "",
        "date_note_zh": event.date_note_zh,
        "date_note_en": event.date_note_en,
        "place_zh": event.place_zh,
        "place_en": event.place_en,
        "countries": [c.pk for c in event.countries.all()],
        "organisers": [o.pk for o in event.organisers.all()],
        "participants": event.participants if event.participants is not None else "",
        "description_zh": event.description_zh,
        "description_en": event.description_en,
    }
    data.update(changes)
    return data


def _post_event_change(client, event, **changes):
    return client.post(reverse("admin:alliance_event_change", args=[event.pk]), _event_form_data(event, **changes))


@pytest.mark.parametrize("who", ["superuser", "secretariat"])
def test_allowed_users_edit_an_event_with_an_audit_row(client, who):
    user = _staff(who)
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
def test_the_secretariat_opens_every_list(client, model):
    client.force_login(_staff("secretariat"))
    response = client.get(reverse(f"admin:alliance_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == {"membership": 32, "committee": 1, "event": 23}[model]


def test_the_secretariat_sees_only_its_alliances_rows(client, other_alliance):
    other_event = Event.objects.create(
        alliance=other_alliance, code="other-event", kind="conference", name_zh="别家会议"
    )
    other_member = Membership.objects.create(alliance=other_alliance, organisation=OrganisationFactory())
    client.force_login(_staff("secretariat"))
    events = client.get(reverse("admin:alliance_event_changelist"))
    assert other_event not in list(events.context["cl"].result_list)
    assert Event.objects.get(code=EVENT) in list(events.context["cl"].result_list)
    before = snapshot()
    change = _post_event_change(client, other_event, participants=5)
    assert change.status_code == 302
    assert change["Location"] == reverse("admin:index")  # "does not exist" for this user
    delete = client.post(reverse("admin:alliance_membership_delete", args=[other_member.pk]), {"post": "yes"})
    assert delete.status_code == 302
    assert snapshot() == before


def test_the_secretariat_of_another_alliance_sees_none_of_this_one(client, other_alliance):
    client.force_login(_staff("secretariat_other_alliance", other_alliance=other_alliance))
    event = Event.objects.get(code=EVENT)
    assert client.get(reverse("admin:alliance_event_changelist")).context["cl"].result_count == 0
    before = snapshot()
    assert _post_event_change(client, event, participants=99).status_code == 302
    assert snapshot() == before


def test_the_secretariat_files_new_rows_only_under_its_alliance(client, alliance, other_alliance):
    client.force_login(_staff("secretariat"))
    form = client.get(reverse("admin:alliance_event_add")).context["adminform"].form
    assert list(form.fields["alliance"].queryset) == [alliance]
    before = snapshot()
    data = _event_form_data(Event.objects.get(code=EVENT), code="smuggled", alliance=other_alliance.pk)
    response = client.post(reverse("admin:alliance_event_add"), data)
    assert response.status_code == 200
    assert "alliance" in response.context["adminform"].form.errors
    assert snapshot() == before
    ok = client.post(reverse("admin:alliance_event_add"), {**data, "alliance": alliance.pk})
    assert ok.status_code == 302
    assert Event.objects.get(code="smuggled").alliance == alliance
    audit = AuditEvent.objects.get(action="event.create")
    assert (audit.object_id, audit.actor.is_staff) == (str(Event.objects.get(code="smuggled").pk), True)


@pytest.mark.parametrize("who", [w for w in DENIED if w != "secretariat_other_alliance"])  # that one: above
def test_other_staff_are_denied_and_nothing_changes(client, who):
    client.force_login(_staff(who))
    event = Event.objects.get(code=EVENT)
    before = snapshot()
    for model in ("membership", "committee", "event"):
        assert client.get(reverse(f"admin:alliance_{model}_changelist")).status_code == 403
    assert client.get(reverse("admin:alliance_event_add")).status_code == 403
    assert _post_event_change(client, event, participants=99).status_code == 403
    delete = client.post(reverse("admin:alliance_event_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    committee = Committee.objects.get(code="minimally-invasive-surgery")
    assert (
        client.post(reverse("admin:alliance_committee_delete", args=[committee.pk]), {"post": "yes"}).status_code == 403
    )
    assert snapshot() == before


def test_commission_admins_no_longer_manage_the_alliance(client):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=OrganisationFactory()).user
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:alliance_event_changelist")).status_code == 403


def test_anonymous_is_sent_to_login_and_nothing_changes(client):
    event = Event.objects.get(code=EVENT)
    before = snapshot()
    response = _post_event_change(client, event, participants=99)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert snapshot() == before


def test_deleting_an_event_is_audited(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    event = Event.objects.get(code=EVENT)
    response = client.post(reverse("admin:alliance_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(code=EVENT).exists()
    audit = AuditEvent.objects.get(object_type="alliance.event", object_id=str(event.pk))
    assert (audit.action, audit.actor) == ("event.delete", user)


def test_the_admin_index_shows_the_alliance_to_the_secretariat(client):
    client.force_login(_staff("secretariat"))
    apps = [a["app_label"] for a in client.get(reverse("admin:index")).context["app_list"]]
    assert "alliance" in apps
