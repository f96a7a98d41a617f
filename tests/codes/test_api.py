"""/api/v1/code-tables and /api/v1/id-numbers/validate."""

import pytest

from medtalent.codes.idnumber import check_character
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Checking an ID number needs a logged-in caller or a token (issue 10, docs/security/api.md): a user without a role."""
    client.force_login(make_user())
    return client


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


def test_list_code_tables(client):
    body = client.get("/api/v1/code-tables").json()
    by_slug = {t["slug"]: t for t in body}
    assert set(by_slug) >= {"sex", "ethnicity", "political_status", "education", "degree", "title", "region", "country"}
    assert by_slug["ethnicity"] == {
        "slug": "ethnicity",
        "standard": "GB 3304-1991",
        "version": "1991",
        "name_zh": "中国各民族名称的罗马字母拼写法和代码",
        "name_en": "Names of nationalities of China in romanization with codes",
        "count": 58,
    }
    assert by_slug["country"]["count"] == 249


def test_one_table_by_loosely_written_standard(client):
    response = client.get("/api/v1/code-tables/GB3304")
    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["count"], len(body["codes"])) == ("ethnicity", 58, 58)
    assert body["codes"][0] == {
        "code": "01",
        "name_zh": "汉族",
        "name_en": "Han",
        "parent": None,
        "level": 1,
        "valid_from": None,
        "valid_to": None,
        "successor": None,
        "extra": {"romanization": "Han", "letter_code": "HA"},
    }


@pytest.mark.parametrize("path", ["GB/T%202260", "GB%2FT%202260", "gb2260", "region"])
def test_regions_under_a_parent_with_history(client, path):
    body = client.get(f"/api/v1/code-tables/{path}", {"parent": "330100"}).json()
    fuyang = next(c for c in body["codes"] if c["code"] == "330183")
    assert fuyang == {
        "code": "330183",
        "name_zh": "富阳市",
        "name_en": "",
        "parent": "330100",
        "level": 3,
        "valid_from": "1995-12-31",
        "valid_to": "2014-12-31",
        "successor": "330111",
        "extra": {},
    }


def test_current_only_and_q(client):
    codes = client.get("/api/v1/code-tables/region", {"parent": "330100", "current_only": "true"}).json()["codes"]
    assert "330183" not in {c["code"] for c in codes}
    assert {c["valid_to"] for c in codes} == {None}
    found = client.get("/api/v1/code-tables/region", {"q": "富阳"}).json()["codes"]
    assert [c["code"] for c in found] == ["330111", "330123", "330183", "339019"]


def test_unknown_table_is_404_json(client):
    response = client.get("/api/v1/code-tables/GB9999", **EN)
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": "path", "message": "There is no code table “GB9999”."}]}


def test_query_count_is_the_same_for_a_small_and_a_large_table(client, django_assert_num_queries):
    client.logout()  # a visitor: a public read, no session to look up
    with django_assert_num_queries(2):  # the table with its count, the codes with parent and successor
        assert client.get("/api/v1/code-tables/sex").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/api/v1/code-tables/region").status_code == 200


def test_validate_a_valid_number(client):
    number = make_id("33010619900307123")
    response = client.post("/api/v1/id-numbers/validate", {"id_number": number}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "id_number": number,
        "birth_date": "1990-03-07",
        "sex": {"code": "1", "name": "男性"},
        "region": {"code": "330106", "name_zh": "西湖区", "name_en": ""},
        "residence_permit": False,
        "errors": [],
    }


def test_validate_reports_each_wrong_part(client):
    response = client.post(
        "/api/v1/id-numbers/validate", {"id_number": "999999199902311230"}, content_type="application/json", **EN
    )
    body = response.json()
    assert (response.status_code, body["valid"], body["birth_date"], body["region"]) == (200, False, None, None)
    assert [(e["field"], e["part"]) for e in body["errors"]] == [
        ("id_number", "region"),
        ("id_number", "birth_date"),
        ("id_number", "check_digit"),
    ]
    assert body["errors"][0]["message"] == "The first 6 digits, 999999, are not a known administrative division code."


def test_validate_lowercase_x_and_residence_permit(client):
    number = next(n for n in (make_id(f"83000019900307{i:03d}") for i in range(1000)) if n.endswith("X"))
    body = client.post(
        "/api/v1/id-numbers/validate", {"id_number": number.lower()}, content_type="application/json"
    ).json()
    assert (body["valid"], body["id_number"], body["residence_permit"], body["region"]["code"]) == (
        True,
        number,
        True,
        "710000",
    )


@pytest.mark.parametrize("payload", [{}, {"id_number": 330106199003071234}, {"id_number": None}])
def test_missing_or_non_string_id_number_is_422(client, payload):
    response = client.post("/api/v1/id-numbers/validate", payload, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], bool(e["message"])) for e in errors] == [("id_number", True)]
