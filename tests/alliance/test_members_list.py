"""The secretariat's list of members and partners in the table kit (issue 11): scope, search by any name (浙大一院),
filters by name, sort, export equal to the page, the batch removal (and a refused one changes nothing), queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.alliance.models import Membership
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from tests.alliance.conftest import ALLIANCE, DENIED, MEMBER, PARTNER, make_user, snapshot

pytestmark = pytest.mark.django_db
URL = reverse("alliance:members")


@pytest.fixture
def zju1_member(alliance):
    return Membership.objects.create(
        alliance=alliance, organisation=Organisation.objects.get(code="zju-first-hospital"), note_en="Founding member"
    )


def _codes(response) -> list[str]:
    return [row.record.organisation.code for row in response.context["table"].paginated_rows]


def test_the_list_holds_the_alliance_rows_only(secretariat_client, alliance, other_alliance):
    Membership.objects.create(alliance=other_alliance, organisation=Organisation.objects.get(code=MEMBER))
    response = secretariat_client.get(URL)
    assert response.status_code == 200
    expected = set(Membership.objects.filter(alliance=alliance).values_list("organisation__code", flat=True))
    assert set(_codes(response)) == expected
    assert response.context["table"].paginator.count == len(expected)


def test_the_search_finds_an_abbreviation(secretariat_client, zju1_member):
    assert _codes(secretariat_client.get(URL, {"q": "浙大一院"})) == ["zju-first-hospital"]


def test_the_filters_take_names(secretariat_client, alliance, zju1_member):
    response = secretariat_client.get(URL, {"kind": "partner", "country": "US"})
    codes = _codes(response)
    assert PARTNER in codes
    assert all(
        m.kind == "partner" and m.organisation.country.code == "US"
        for m in Membership.objects.filter(alliance=alliance, organisation__code__in=codes)
    )
    country_choices = dict(response.context["filter"].filters["country"].extra["choices"])
    assert country_choices["US"] == "美国"
    assert _codes(secretariat_client.get(URL, {"country": "CN", "q": "浙大一院"})) == ["zju-first-hospital"]


def test_the_list_sorts_by_a_column(secretariat_client, alliance):
    ascending = _codes(secretariat_client.get(URL, {"sort": "name", "per_page": 100}))
    descending = _codes(secretariat_client.get(URL, {"sort": "-name", "per_page": 100}))
    assert len(ascending) == Membership.objects.filter(alliance=alliance).count()
    assert descending == ascending[::-1]
    names = list(
        Membership.objects.filter(alliance=alliance)
        .order_by("organisation__name_zh", "organisation__code")
        .values_list("organisation__code", flat=True)
    )
    assert ascending == names


def test_the_export_equals_the_page_with_the_same_filters(secretariat_client, alliance, zju1_member):
    zju1_member.note_en = "=1+1"
    zju1_member.save()
    filters = {"q": "浙大一院", "alliance": ALLIANCE}
    page = secretariat_client.get(URL, filters)
    export = secretariat_client.get(URL, {**filters, "export": "xlsx"})
    assert export.status_code == 200
    values = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert values[0] == ("Institution", "Kind", "Where", "Joined", "Note") or values[0][0] == "机构"
    assert len(values) - 1 == page.context["table"].paginator.count == 1
    assert values[1][0] == "浙江大学医学院附属第一医院"
    assert values[1][2] == "中国 · 上城区"
    assert not str(values[1][4]).startswith("=")


def test_the_batch_removes_the_ticked_rows(secretariat_client, secretariat, alliance, zju1_member):
    member = Membership.objects.get(alliance=alliance, organisation__code=MEMBER)
    response = secretariat_client.post(
        URL, {"action": "remove", "ids": [zju1_member.pk, member.pk], "query": f"alliance={ALLIANCE}"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=[zju1_member.pk, member.pk]).exists()
    events = AuditEvent.objects.filter(action="membership.delete", actor_id=secretariat.pk)
    assert sorted(events.values_list("object_id", flat=True)) == sorted([str(zju1_member.pk), str(member.pk)])


def test_a_tampered_id_of_another_alliance_is_not_found(secretariat_client, other_alliance):
    other = Membership.objects.create(alliance=other_alliance, organisation=Organisation.objects.get(code=MEMBER))
    before = snapshot()
    secretariat_client.post(URL, {"action": "remove", "ids": [other.pk]})
    assert snapshot() == before


@pytest.mark.parametrize("who", DENIED)
def test_others_are_refused_and_nothing_changes(client, who, zju1_member):
    client.force_login(make_user(who))
    before = snapshot()
    assert client.get(URL, {"alliance": ALLIANCE}).status_code == 403
    assert client.get(URL, {"alliance": ALLIANCE, "export": "xlsx"}).status_code == 403
    post = {"action": "remove", "ids": [zju1_member.pk], "query": f"alliance={ALLIANCE}"}
    assert client.post(URL, post).status_code == 403
    assert snapshot() == before


def test_a_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_for_1_and_3_rows(client, alliance, django_assert_num_queries, count):
    Membership.objects.filter(alliance=alliance).delete()
    for code in ["zju-first-hospital", MEMBER, PARTNER][:count]:
        Membership.objects.create(alliance=alliance, organisation=Organisation.objects.get(code=code))
    client.force_login(make_user("secretariat"))
    client.get(URL)
    # the same number with 1 and 3 rows: the request's own, the alliance, the countries, the count, the rows
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.context["table"].paginator.count == count
