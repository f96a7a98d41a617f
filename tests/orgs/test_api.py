"""GET /api/v1/organisations: search by any name or alias."""

import pytest

from medtalent.orgs.models import OrganisationAlias
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_search_by_misspelt_alias_finds_imperial(client):
    body = client.get("/api/v1/organisations", {"q": "Imperial Collage"}).json()
    assert [o["name_en"] for o in body["results"]] == ["Imperial College Healthcare NHS Trust"]
    assert "Imperial Collage Healthcare NHS Trust" in body["results"][0]["aliases"]


def test_search_by_typo_in_a_chinese_document_finds_the_hospital(client):
    body = client.get("/api/v1/organisations", {"q": "建德市第一人医院"}).json()
    assert [o["name_zh"] for o in body["results"]] == ["建德市第一人民医院"]


def test_filter_by_country_and_kind(client):
    body = client.get("/api/v1/organisations", {"country": "FR", "kind": "hospital"}).json()
    assert [o["code"] for o in body["results"]] == ["chu-grenoble"]


def test_bad_region_is_422_with_the_field(client):
    response = client.get("/api/v1/organisations", {"region": "abc"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["region"]


@pytest.mark.parametrize("rows", [1, 3])
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    for i in range(rows):
        org = OrganisationFactory(name_en=f"Zebra Clinic {i}")
        OrganisationAlias.objects.create(organisation=org, name=f"Zebra alias {i}")
    with django_assert_num_queries(3):  # count, page, aliases
        response = client.get("/api/v1/organisations", {"q": "Zebra"})
    assert response.json()["count"] == rows


def test_hospital_group_lists_its_member_hospitals(client):
    body = client.get("/api/v1/organisations", {"q": "Hammersmith"}).json()
    assert [(o["code"], o["parent"]) for o in body["results"]] == [
        ("imperial-hammersmith", "imperial-college-healthcare")
    ]
    page = client.get("/hosts/imperial-college-healthcare/").content.decode()
    assert "圣玛丽医院" in page
    assert "/hosts/imperial-hammersmith/" in page
