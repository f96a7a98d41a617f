"""The auditor's view of the audit trail: scoped to the commission's region, filtered, paginated, exported (and the
export audited); 404 for everybody else; the admin's page for superusers only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from medtalent.accounts.enums import Role
from medtalent.core.models import AuditEvent
from medtalent.core.services import audit_log
from tests.factories import CommissionFactory, OrganisationFactory, code
from tests.helpers import make_user, rows

pytestmark = pytest.mark.django_db
URL = reverse("audit:events")
EXPORT = reverse("audit:export")


@pytest.fixture
def zhejiang_auditor():
    return make_user(Role.AUDITOR, CommissionFactory(region=code("region", "330000")), username="zj-auditor")


@pytest.fixture
def events():
    """Two events in Hangzhou (inside Zhejiang), one in Beijing, one with no region."""
    actor = make_user(username="clerk")
    hangzhou = OrganisationFactory(region=code("region", "330102"))
    beijing = OrganisationFactory(region=code("region", "110105"))
    nowhere = OrganisationFactory(region=None)
    return {
        "hz1": audit_log(actor=actor, action="person.update", obj=hangzhou, data={"fields": ["phone"]}),
        "hz2": audit_log(actor=None, action="application.update", obj=hangzhou),
        "bj": audit_log(actor=actor, action="person.update", obj=beijing),
        "none": audit_log(actor=actor, action="person.update", obj=nowhere),
    }


def _shown(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].paginated_rows]


def test_an_auditor_sees_only_the_events_of_their_jurisdiction(client, zhejiang_auditor, events):
    client.force_login(zhejiang_auditor)
    response = client.get(URL)
    assert response.status_code == 200
    assert _shown(response) == [events["hz2"].pk, events["hz1"].pk]
    assert "person.update" in response.content.decode()


def test_a_superuser_sees_every_event(client, events):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.get(URL)
    assert [pk for pk in _shown(response) if pk in {e.pk for e in events.values()}] == [
        events["none"].pk,
        events["bj"].pk,
        events["hz2"].pk,
        events["hz1"].pk,
    ]


@pytest.mark.parametrize("role", [None, Role.COMMISSION_ADMIN, Role.UNIT_ADMIN, Role.REFERENCE_DATA_EDITOR])
def test_everybody_else_gets_404_and_no_export_is_made(client, events, role):
    user = make_user(role, CommissionFactory(region=code("region", "330000")) if role else None, is_staff=True)
    client.force_login(user)
    before = rows(AuditEvent)
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert rows(AuditEvent) == before


def test_the_filters(client, zhejiang_auditor, events):
    client.force_login(zhejiang_auditor)
    assert _shown(client.get(URL, {"actor": "clerk"})) == [events["hz1"].pk]
    assert _shown(client.get(URL, {"action": "application.update"})) == [events["hz2"].pk]
    assert _shown(client.get(URL, {"object_type": "orgs.organisation", "object_id": events["hz1"].object_id})) == [
        events["hz2"].pk,
        events["hz1"].pk,
    ]
    today = timezone.localdate()
    assert len(_shown(client.get(URL, {"date_from": today, "date_to": today}))) == 2
    assert _shown(client.get(URL, {"date_to": today - dt.timedelta(days=1)})) == []
    assert _shown(client.get(URL, {"date_from": today + dt.timedelta(days=1)})) == []


def test_pages_go_back_in_time(client, zhejiang_auditor):
    hangzhou = OrganisationFactory(region=code("region", "330102"))
    made = [audit_log(actor=None, action="test.page", obj=hangzhou).pk for _ in range(21)]
    client.force_login(zhejiang_auditor)
    first = client.get(URL, {"action": "test.page", "per_page": 20})
    assert _shown(first) == made[::-1][:20]
    second = client.get(URL, {"action": "test.page", "per_page": 20, "page": 2})
    assert _shown(second) == [made[0]]
    oldest_first = client.get(URL, {"action": "test.page", "per_page": 20, "sort": "created_at"})
    assert _shown(oldest_first) == made[:20]


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_queries_for_1_and_3_events(client, zhejiang_auditor, django_assert_num_queries, count):
    hangzhou = OrganisationFactory(region=code("region", "330102"))
    for _ in range(count):
        audit_log(actor=None, action="test.count", obj=hangzhou)
    client.force_login(zhejiang_auditor)
    client.get(URL)  # the session and the roles are read once
    # the request's own (session, user, roles, the security middleware), the rows with a look-ahead: never a COUNT
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["rows"]) == count


def test_the_export_holds_the_scoped_rows_and_is_audited(client, zhejiang_auditor, events):
    client.force_login(zhejiang_auditor)
    response = client.get(EXPORT, {"action": "person.update"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:5] == ("id", "created_at", "actor_id", "actor_username", "action")
    assert [row[0] for row in values[1:]] == [events["hz1"].pk]
    assert values[1][13] == events["hz1"].hash
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.actor_id, export.actor_username, export.data) == (
        zhejiang_auditor.pk,
        "zj-auditor",
        {"filters": {"action": "person.update"}, "rows": 1},
    )


def test_the_admin_page_is_for_superusers_only(client, events):
    staff = make_user(Role.COMMISSION_ADMIN, CommissionFactory(), is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 403
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
