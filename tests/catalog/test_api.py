"""GET /api/v1/programmes and /api/v1/programmes/{code}."""

import pytest

from tests.factories import OfferingFactory, ProgrammeFactory, QuotaFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

API_LIST_QUERIES = 5  # count, page, countries, quotas, hosts


@pytest.mark.parametrize("rows", [1, 3])
def test_programme_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    for _ in range(rows):
        programme = ProgrammeFactory(countries=["ZZ"])
        QuotaFactory(programme=programme)
        OfferingFactory(round__programme=programme)
    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get("/api/v1/programmes", {"country": "ZZ"})
    assert response.status_code == 200
    assert response.json()["count"] == rows


def test_programme_list_search_and_shape(client):
    response = client.get("/api/v1/programmes", {"q": "泌尿", "country": "FR"})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["page"] == 1
    item = body["results"][0]
    assert item["code"] == "zj-fr-grenoble"
    assert item["programme_type"] == "overseas_fellowship"
    assert item["owner"]["code"] == "zj-hc"
    assert [c["code"] for c in item["countries"]] == ["FR"]
    assert [h["code"] for h in item["hosts"]] == ["chu-grenoble"]
    assert item["cost_min"] == "60000"
    assert item["cost_max"] == "75000"


def test_programme_list_paginates(client):
    response = client.get("/api/v1/programmes", {"page_size": 2, "page": 2})
    body = response.json()
    assert body["count"] == 8  # the seven training programmes and the pairing-support plan
    assert body["pages"] == 4
    assert len(body["results"]) == 2


def test_programme_list_rejects_a_bad_filter_with_the_field_named(client):
    response = client.get("/api/v1/programmes", {"duration": "forever"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["duration"]
    assert errors[0]["message"]


def test_programme_list_rejects_a_page_below_one(client):
    response = client.get("/api/v1/programmes", {"page": 0})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["page"]


def test_programme_detail_has_rounds_offerings_hosts_and_categories(client):
    response = client.get("/api/v1/programmes/wz-bysh")
    body = response.json()
    assert response.status_code == 200
    assert [c["code"] for c in body["categories"]] == [
        "wz-bysh-leading",
        "wz-bysh-clinical",
        "wz-bysh-innovation",
        "wz-bysh-teaching",
        "wz-bysh-management",
    ]
    leading = body["categories"][0]
    assert {
        k: next(r for r in leading["rules"] if r["kind"] == "max_age" and r["is_blocking"])[k]
        for k in ("kind", "params", "is_blocking")
    } == {"kind": "max_age", "params": {"years": 55}, "is_blocking": True}


def test_programme_detail_grenoble_offerings_name_departments_and_supervisors(client):
    body = client.get("/api/v1/programmes/zj-fr-grenoble").json()
    offerings = body["rounds"][0]["offerings"]
    urology = next(o for o in offerings if o["department"] and o["department"]["name_local"].startswith("Urologie"))
    assert urology["host"]["code"] == "chu-grenoble"
    assert "Pr Rambeaud" in urology["department"]["supervisors"]
    assert [h["code"] for h in body["hosts"]] == ["chu-grenoble"]


def test_programme_detail_unknown_code_is_json_404(client):
    response = client.get("/api/v1/programmes/nope")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": "path", "message": "No Programme matches the given query."}]}


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/programmes", "/api/v1/programmes/{code}", "/api/v1/organisations"} <= set(schema["paths"])


def test_a_body_that_is_not_json_gets_the_json_error_format(client):
    client.force_login(make_user())  # the check needs a logged-in caller (issue 10)
    response = client.post("/api/v1/id-numbers/validate", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["request"]
