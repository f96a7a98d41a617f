"""The alliance API: public members and events, and recording an event (the secretariat only)."""

import datetime as dt
import json

import pytest
from django.test import Client

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Event, Membership
from medtalent.core.models import AuditEvent
from tests.alliance.conftest import ALLIANCE, DENIED, EVENT, make_user, snapshot
from tests.factories import OrganisationFactory, code

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/alliance/members"
EVENTS = "/api/v1/alliance/events"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _post(client, payload, **extra):
    return client.post(EVENTS, json.dumps(payload), content_type="application/json", **extra)


def _payload(**changes):
    payload = {
        "kind": "delegation_in",
        "name_zh": "匈牙利专家代表团来华访问",
        "name_en": "Hungarian expert delegation",
        "starts_on": "2022-05-09",
        "ends_on": "2022-05-13",
        "place_en": "Beijing",
        "countries": ["HU"],
        "organisers": [ALLIANCE],
        "participants": 8,
    }
    payload.update(changes)
    return payload


# Members ----------------------------------------------------------------------------------------------------


def test_members_are_public_and_paginated(client):
    data = client.get(MEMBERS, {"page_size": 10}).json()
    assert (data["count"], data["page"], data["pages"], len(data["results"])) == (32, 1, 4, 10)
    mayo = client.get(MEMBERS, {"q": "梅奥"}).json()["results"]
    assert mayo == [
        {
            "organisation": {
                "code": "mayo-clinic",
                "name_zh": "梅奥诊所",
                "name_en": "Mayo Clinic",
                "name_local": mayo[0]["organisation"]["name_local"],
                "kind": "hospital",
                "country": {"code": "US", "name_zh": "美国", "name_en": mayo[0]["organisation"]["country"]["name_en"]},
                "region": None,
                "city": mayo[0]["organisation"]["city"],
            },
            "kind": "partner",
            "joined_on": None,
        }
    ]
    assert mayo[0]["organisation"]["country"]["name_en"].startswith("United States")


def test_members_filters(client):
    assert client.get(MEMBERS, {"kind": "partner"}).json()["count"] == 27
    assert client.get(MEMBERS, {"kind": "member"}).json()["count"] == 5
    assert client.get(MEMBERS, {"country": "gb"}).json()["count"] == 4
    assert client.get(MEMBERS, {"country": "CN"}).json()["count"] == 5
    assert [r["organisation"]["code"] for r in client.get(MEMBERS, {"q": "mayo"}).json()["results"]] == ["mayo-clinic"]
    chinese = client.get(MEMBERS, {"country": "CN"}).json()["results"]
    assert {r["organisation"]["country"] is None for r in chinese} == {True}
    assert {r["organisation"]["region"] is not None for r in chinese} == {True}


def test_members_bad_values(client):
    response = client.get(MEMBERS, {"kind": "friend"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]
    assert client.get(MEMBERS, {"page": 0}).status_code == 422
    missing = client.get(MEMBERS, {"alliance": "no-such-alliance"})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "path"


@pytest.mark.parametrize("rows", [1, 3])
def test_members_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Membership.objects.all().delete()
    for _ in range(rows):
        Membership.objects.create(
            alliance=alliance,
            organisation=OrganisationFactory(country=code("country", "FR")),
            kind=MembershipKind.PARTNER,
        )
    with django_assert_num_queries(3):  # alliance, count, rows
        data = client.get(MEMBERS).json()
    assert data["count"] == rows


# Events -----------------------------------------------------------------------------------------------------


def test_events_are_public_with_filters(client):
    data = client.get(EVENTS).json()
    assert data["count"] == 23
    assert data["results"][0]["starts_on"] == "2021-12-03"
    assert client.get(EVENTS, {"kind": "delegation_in"}).json()["count"] == 3
    assert client.get(EVENTS, {"year": 2021}).json()["count"] == 2
    assert client.get(EVENTS, {"country": "it"}).json()["count"] == 6
    assert client.get(EVENTS, {"year": "x"}).status_code == 422
    assert client.get(EVENTS, {"kind": "party"}).status_code == 422


def test_event_detail(client):
    data = client.get(f"{EVENTS}/{EVENT}").json()
    assert data == {
        "code": EVENT,
        "kind": "delegation_in",
        "name_zh": "奥地利维也纳医院管理局专家代表团来华访问",
        "name_en": "Vienna Hospital Association delegation",
        "starts_on": "2019-10-11",
        "ends_on": "2019-10-20",
        "date_note_zh": "2019年10月11—20日",
        "date_note_en": "11–20 October 2019",
        "place_zh": data["place_zh"],
        "place_en": data["place_en"],
        "countries": [{"code": "AT", "name_zh": "奥地利", "name_en": "Austria"}],
        "organisers": [
            {
                "code": "vienna-hospital-association",
                "name_zh": "奥地利维也纳医院管理局",
                "name_en": "Vienna Hospital Association",
            }
        ],
        "committee": None,
        "participants": 12,
        "description_zh": data["description_zh"],
        "description_en": data["description_en"],
    }
    assert data["place_zh"].startswith("解放军总医院")
    committee = client.get(f"{EVENTS}/mis-committee-online-courses").json()["committee"]
    assert committee["code"] == "minimally-invasive-surgery"
    assert client.get(f"{EVENTS}/no-such-event").status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_events_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Event.objects.all().delete()
    for n in range(rows):
        event = Event.objects.create(
            alliance=alliance,
            code=f"e-{n}",
            kind=EventKind.CONFERENCE,
            name_zh=f"会{n}",
            starts_on=dt.date(2022, n + 1, 1),
        )
        event.countries.add(code("country", "FR"))
        event.organisers.add(alliance)
    with django_assert_num_queries(5):  # alliance, dated events, countries, organisers, undated events
        data = client.get(EVENTS).json()
    assert data["count"] == rows
    assert {r["organisers"][0]["code"] for r in data["results"]} == {ALLIANCE}


# Recording an event -----------------------------------------------------------------------------------------


def test_visitor_gets_401_and_nothing_changes(client):
    before = snapshot()
    response = _post(client, _payload())
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "auth"
    assert snapshot() == before


@pytest.mark.parametrize("who", DENIED)
def test_other_users_get_403_and_nothing_changes(client, who):
    client.force_login(make_user(who))
    before = snapshot()
    response = _post(client, _payload())
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "request"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["secretariat", "superuser"])
def test_allowed_users_record_an_event(client, who):
    user = make_user(who)
    client.force_login(user)
    response = _post(client, _payload())
    assert response.status_code == 201
    data = response.json()
    assert data["code"] == "2022-05-hungarian-expert-delegation"
    assert (data["date_note_zh"], data["date_note_en"]) == ("2022年5月9—13日", "9–13 May 2022")
    assert [c["code"] for c in data["countries"]] == ["HU"]
    assert [o["code"] for o in data["organisers"]] == [ALLIANCE]
    event = Event.objects.get(code=data["code"])
    assert (event.alliance.code, event.participants) == (ALLIANCE, 8)
    assert AuditEvent.objects.get(action="event.create", object_id=str(event.pk)).actor == user


def test_the_secretariat_of_another_alliance_records_for_its_own_only(client, other_alliance):
    client.force_login(make_user("secretariat_other_alliance", other_alliance=other_alliance))
    before = snapshot()
    assert _post(client, _payload()).status_code == 403
    assert snapshot() == before
    response = _post(client, _payload(alliance="other-alliance", code="other-2022"))
    assert response.status_code == 201
    assert Event.objects.get(code="other-2022").alliance == other_alliance


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2022-05-08"}, "ends_on", "The end date (2022-05-08) is before the start date (2022-05-09)."),
        ({"starts_on": None}, "starts_on", "An end date needs a start date: give it, or remove the end date."),
        ({"countries": ["HU", "ZZ"]}, "countries", "These are not ISO 3166-1 country codes: ZZ."),
        ({"organisers": ["nobody"]}, "organisers", "No institution on the platform has these codes: nobody."),
        ({"committee": "nope"}, "committee", "The alliance has no committee with the code “nope”."),
        ({"code": EVENT}, "code", f"An event with the code “{EVENT}” already exists."),
        ({"name_zh": "", "name_en": ""}, "name_zh", "Give the event's name in Chinese or in English."),
    ],
)
def test_rule_errors_are_400_naming_the_field(client, secretariat, changes, field, message):
    client.force_login(secretariat)
    before = snapshot()
    response = _post(client, _payload(**changes), **EN)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": field, "message": message}]}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"participants": -1}, "participants"),
        ({"starts_on": "9 May"}, "starts_on"),
        ({"countries": "HU"}, "countries"),
    ],
)
def test_malformed_values_are_422_naming_the_field(client, secretariat, changes, field):
    client.force_login(secretariat)
    before = snapshot()
    response = _post(client, _payload(**changes))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert snapshot() == before


def test_unknown_alliance_is_404(client, secretariat):
    client.force_login(secretariat)
    assert _post(client, _payload(alliance="no-such-alliance")).status_code == 404


def test_a_session_post_needs_the_csrf_token(secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    before = snapshot()
    response = _post(client, _payload())
    assert response.status_code == 403
    assert snapshot() == before
