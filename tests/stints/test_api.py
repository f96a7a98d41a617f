"""GET and POST /api/v1/stints: scoped to the caller, filtered, paginated; the same rules as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from medtalent.stints.enums import StintKind
from medtalent.stints.models import Stint
from medtalent.stints.services import inbound_trainee_create, stint_create
from tests.stints.conftest import END, FOREIGN, MEMBER_HOST, START, make_dispatch, make_person, org, state

pytestmark = pytest.mark.django_db

URL = "/api/v1/stints"


@pytest.fixture
def three(pairing, dispatch, county_doctor, users, committee):
    """A dispatch, an upward trainee and an inbound foreign trainee."""
    upward = stint_create(
        actor=users["supported_admin"],
        kind=StintKind.UPWARD,
        person=county_doctor,
        home=pairing.supported,
        host=pairing.supporting,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 5, 31),
        pairing=pairing,
    )
    inbound = inbound_trainee_create(
        actor=users["secretariat"],
        name="John Smith",
        home=org(FOREIGN),
        host=org(MEMBER_HOST),
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
        committee=committee,
    )
    return {"dispatch": dispatch, "upward": upward, "inbound": inbound}


def _post(client, body):
    return client.post(URL, data=json.dumps(body, default=str), content_type="application/json")


def test_visitor_gets_401(client):
    for response in (client.get(URL), _post(client, {})):
        assert response.status_code == 401
        assert response.json() == {"errors": [{"field": "auth", "message": "请先登录。"}]}


SEES = {
    "applicant": [],
    "reviewer": [],
    "unrelated_unit": [],
    "other_commission": [],
    "supporting_admin": ["dispatch", "upward"],
    "supported_admin": ["dispatch", "upward"],
    "commission": ["dispatch", "inbound", "upward"],  # 邵逸夫医院 lies in Zhejiang too
    "secretariat": ["inbound"],
    "member_host_admin": ["inbound"],
    "person": ["dispatch"],
}


@pytest.mark.parametrize("who", list(SEES))
def test_list_is_scoped_to_the_caller(client, three, users, who):
    client.force_login(users[who])
    before = state()
    data = client.get(URL).json()
    by_id = {s.pk: name for name, s in three.items()}
    assert sorted(by_id[row["id"]] for row in data["results"]) == SEES[who]
    assert data["count"] == len(SEES[who])
    assert state() == before


def test_list_row(client, three, pairing, users):
    client.force_login(users["commission"])
    row = client.get(URL, {"kind": "dispatch"}).json()["results"][0]
    assert row == {
        "id": three["dispatch"].pk,
        "kind": "dispatch",
        "state": "planned",
        "person": {"id": three["dispatch"].person_id, "name": "王医生"},
        "home": {
            "code": "zju-first-hospital",
            "name_zh": pairing.supporting.name_zh,
            "name_en": pairing.supporting.name_en,
        },
        "home_department": "",
        "host": {"code": "zj-h-331127-1", "name_zh": "景宁县人民医院", "name_en": pairing.supported.name_en},
        "host_department": "内科",
        "role": "clinical",
        "starts_on": "2025-09-01",
        "ends_on": "2026-02-28",
        "title": {"code": "232", "name_zh": "副主任医师"},
        "pairing": pairing.pk,
        "committee": None,
        "mentor": "",
    }


def test_list_filters(client, three, pairing, users):
    client.force_login(users["commission"])

    def ids(**params):
        return sorted(r["id"] for r in client.get(URL, params).json()["results"])

    assert ids(pairing=pairing.pk) == sorted([three["dispatch"].pk, three["upward"].pk])
    assert ids(kind="inbound") == [three["inbound"].pk]
    assert ids(host="zju-first-hospital") == [three["upward"].pk]
    assert ids(year=2024) == [three["upward"].pk]
    assert ids(year=2026) == [three["dispatch"].pk]
    assert ids(year=2025) == sorted([three["dispatch"].pk, three["inbound"].pk])
    assert ids(year=2023) == []
    page = client.get(URL, {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["page"], page["pages"], len(page["results"])) == (3, 2, 2, 1)


@pytest.mark.parametrize("params", [{"kind": "holiday"}, {"year": "x"}, {"page_size": 500}, {"pairing": 0}])
def test_list_bad_query_is_422(client, users, params):
    client.force_login(users["commission"])
    response = client.get(URL, params)
    assert response.status_code == 422
    assert list(response.json()) == ["errors"]


def _body(pairing_, person_, **overrides):
    body = {
        "kind": "dispatch",
        "pairing": pairing_.pk,
        "person": person_.pk,
        "starts_on": "2025-09-01",
        "ends_on": "2026-02-28",
        "host_department": "内科",
        "role": "vice_president",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("who", ["supporting_admin", "commission"])
def test_post_dispatch(client, pairing, doctor, users, who):
    client.force_login(users[who])
    response = _post(client, _body(pairing, doctor))
    assert response.status_code == 201
    stint = Stint.objects.get()
    data = response.json()
    assert (data["id"], data["kind"], data["role"], data["title"]) == (
        stint.pk,
        "dispatch",
        "vice_president",
        {"code": "232", "name_zh": "副主任医师"},
    )
    assert (stint.home_id, stint.host_id, stint.starts_on, stint.ends_on) == (
        pairing.supporting_id,
        pairing.supported_id,
        START,
        END,
    )


def test_post_upward(client, pairing, county_doctor, users):
    client.force_login(users["supported_admin"])
    response = _post(client, _body(pairing, county_doctor, kind="upward", role=None))
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["role"]) == ("upward", "trainee")


@pytest.mark.parametrize(
    "who",
    [
        "applicant",
        "reviewer",
        "unrelated_unit",
        "supported_admin",
        "other_commission",
        "secretariat",
        "member_host_admin",
        "person",
    ],
)
def test_post_dispatch_forbidden(client, pairing, doctor, users, who):
    """The supported hospital sees the pairing but may not dispatch (403); outside the pairing it is not found."""
    client.force_login(users[who])
    before = state()
    response = _post(client, _body(pairing, doctor))
    assert response.status_code == (403 if who == "supported_admin" else 404)
    assert response.json()["errors"][0]["field"] == ("request" if who == "supported_admin" else "path")
    assert state() == before


def test_post_title_rule_is_400_on_person(client, pairing, supporting, users):
    attending = make_person(employer=supporting, title="233", obtained=dt.date(2021, 9, 1), name="赵医生")
    client.force_login(users["commission"])
    before = state()
    response = client.post(
        URL,
        data=json.dumps(_body(pairing, attending)),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "person"
    assert error["message"].startswith("赵医生 holds the title Attending Physician, obtained on 2021-09-01.")
    assert state() == before


def test_post_person_of_another_hospital_is_400(client, pairing, county_doctor, users):
    client.force_login(users["commission"])
    before = state()
    response = _post(client, _body(pairing, county_doctor))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "person"
    assert "李医生" not in response.json()["errors"][0]["message"]
    assert state() == before


def test_post_overlap_is_400(client, pairing, doctor, users, dispatch):
    client.force_login(users["commission"])
    before = state()
    response = _post(client, _body(pairing, doctor, starts_on="2026-01-01", ends_on="2026-06-30"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "starts_on"
    assert state() == before


def test_post_dates_out_of_order_is_400(client, pairing, doctor, users):
    client.force_login(users["commission"])
    before = state()
    response = _post(client, _body(pairing, doctor, starts_on="2026-01-01", ends_on="2025-06-30"))
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "ends_on")
    assert state() == before


@pytest.mark.parametrize(
    "overrides",
    [{"kind": "inbound"}, {"starts_on": "soon"}, {"role": "boss"}, {"person": None}, {"pairing": "x"}],
)
def test_post_bad_body_is_422(client, pairing, doctor, users, overrides):
    client.force_login(users["commission"])
    before = state()
    response = _post(client, _body(pairing, doctor, **overrides))
    assert response.status_code == 422
    assert all(set(e) == {"field", "message"} for e in response.json()["errors"])
    assert state() == before


def test_post_unknown_pairing_is_404(client, doctor, users, pairing):
    client.force_login(users["commission"])
    before = state()
    body = _body(pairing, doctor, pairing=999999)
    assert _post(client, body).status_code == 404
    assert state() == before


QUERIES_API = 5  # session, user, roles, count, rows


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count(client, django_assert_num_queries, pairing, supporting, users, rows):
    for i in range(rows):
        person = make_person(employer=supporting, title="231", name=f"医生{i}")
        make_dispatch(pairing=pairing, person=person, actor=users["commission"])
    client.force_login(users["commission"])
    with django_assert_num_queries(QUERIES_API):
        data = client.get(URL).json()
    assert len(data["results"]) == rows
