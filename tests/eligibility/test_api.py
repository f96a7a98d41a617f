"""POST /api/v1/eligibility: the request's checks (422 naming the field), unknown codes (404), query count."""

from __future__ import annotations

import copy

import pytest

from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Programme
from medtalent.codes.selectors import code_ranks
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """The check needs a logged-in caller or a token (issue 10, docs/security/api.md): a user without a role."""
    client.force_login(make_user())
    return client


URL = "/api/v1/eligibility"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PERSON = {
    "birth_date": "1980-07-01",
    "education": "21",
    "title": "233",
    "residency_completed": False,
    "admin_years": 0,
    "teaching_experience": False,
    "employer_level": "3",
    "serious_incident": False,
    "designations": [],
}
BODY = {"category": "gx-excellent-young", "as_of": "2025-06-30", "person": PERSON}


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def with_(path: str, value) -> dict:
    body = copy.deepcopy(BODY)
    *parents, last = path.split(".")
    target = body
    for name in parents:
        target = target[name]
    target[last] = value
    return body


def without(path: str) -> dict:
    body = copy.deepcopy(BODY)
    *parents, last = path.split(".")
    target = body
    for name in parents:
        target = target[name]
    del target[last]
    return body


def test_a_complete_request_is_answered(client):
    response = post(client, BODY, **EN)
    assert (response.status_code, response.json()) == (
        200,
        {
            "eligible": True,
            "rules": [
                {
                    "rule": "gx-excellent-young:max_age",
                    "passed": True,
                    "message": "Born on 1980-07-01, aged 44 on 2025-06-30: within the age limit of 45.",
                },
                {
                    "rule": "gx-excellent-young:title_or_residency",
                    "passed": True,
                    "message": "Professional title: Attending Physician, meets the requirement of intermediate or above.",
                },
                {"rule": "gx-excellent-young:health", "passed": True, "message": "Checked by the unit: In good health"},
            ],
            "priority": [],
        },
    )


@pytest.mark.parametrize(
    "field",
    [
        "category",
        "as_of",
        "person",
        "person.birth_date",
        "person.education",
        "person.title",
        "person.residency_completed",
        "person.admin_years",
        "person.teaching_experience",
        "person.employer_level",
        "person.serious_incident",
        "person.designations",
    ],
)
def test_a_missing_field_is_named(client, field):
    response = post(client, without(field))
    assert (response.status_code, response.json()) == (422, {"errors": [{"field": field, "message": "Field required"}]})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", ""),
        ("category", 12),
        ("as_of", "30/06/2025"),
        ("as_of", "2025-13-01"),
        ("as_of", 1751241600),
        ("person.birth_date", "1969-02-30"),
        ("person.birth_date", None),
        ("person.education", 21),
        ("person.residency_completed", "yes"),
        ("person.residency_completed", 1),
        ("person.admin_years", -1),
        ("person.admin_years", "3"),
        ("person.admin_years", 2.5),
        ("person.teaching_experience", None),
        ("person.employer_level", "4"),
        ("person.employer_level", 3),
        ("person.serious_incident", "false"),
        ("person.designations", "D01"),
        ("person", "somebody"),
    ],
)
def test_a_malformed_field_is_named(client, field, value):
    response = post(client, with_(field, value))
    assert (response.status_code, [e["field"] for e in response.json()["errors"]]) == (422, [field])


def test_a_date_in_the_wrong_form_says_which_form(client):
    response = post(client, with_("as_of", "2025/06/30"), **EN)
    assert response.json() == {"errors": [{"field": "as_of", "message": "Give a date as YYYY-MM-DD."}]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person.education", "99", "Not an education code of GB/T 4658."),
        ("person.title", "230", "Not a health professional title code of GB/T 8561."),
        ("person.title", "999", "Not a health professional title code of GB/T 8561."),
        ("person.designations", ["D01", "D99", "national"], "Unknown designation codes: D99, national."),
        ("person.birth_date", "2026-01-01", "The date of birth is after as_of."),
    ],
)
def test_unknown_codes_and_impossible_dates_are_named(client, field, value, message):
    response = post(client, with_(field, value), **EN)
    assert (response.status_code, response.json()) == (422, {"errors": [{"field": field, "message": message}]})


def test_several_problems_are_all_named(client):
    body = with_("person.education", "99")
    body["person"]["title"] = "230"
    del body["as_of"]
    response = post(client, body)
    assert (response.status_code, [e["field"] for e in response.json()["errors"]]) == (422, ["as_of"])
    body["as_of"] = "2025-06-30"
    response = post(client, body)
    assert [e["field"] for e in response.json()["errors"]] == ["person.education", "person.title"]


def test_null_education_title_and_level_are_allowed(client):
    body = with_("person.education", None)
    body["person"].update(title=None, employer_level=None, residency_completed=True)
    response = post(client, body)
    assert (response.status_code, response.json()["eligible"]) == (200, True)


def test_an_unknown_code_is_404(client):
    response = post(client, with_("category", "no-such-programme"), **EN)
    assert (response.status_code, response.json()) == (
        404,
        {"errors": [{"field": "category", "message": "No programme or category has the code no-such-programme."}]},
    )


def test_a_draft_programme_is_404_for_the_public(client):
    Programme.objects.filter(code="gx-excellent-young").update(status=ProgrammeStatus.DRAFT)
    assert post(client, BODY).status_code == 404


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize(
    ("category", "designations"),
    [
        ("gx-excellent-young", []),
        ("wz-bysh", ["D01"]),
        ("wz-bysh-leading", []),
        ("wz-bysh-clinical", ["D04", "D05", "D09"]),
        ("wz-bysh-innovation", ["D03", "D10", "D11", "D12", "D13"]),
    ],
)
def test_the_answer_costs_two_queries_whatever_is_asked(client, django_assert_num_queries, category, designations):
    code_ranks()  # read once per process
    body = with_("category", category)
    body["person"]["designations"] = designations
    # The caller's session, user and roles (issue 10: a logged-in caller), the programme (by its code or a
    # category's), its rules.
    with django_assert_num_queries(5):
        response = post(client, body)
    assert response.status_code == 200


def test_the_endpoint_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/eligibility"]["post"]
    assert (sorted(operation["responses"]), sorted(spec["components"]["schemas"]["PersonIn"]["required"])) == (
        ["200", "404"],
        [
            "admin_years",
            "birth_date",
            "designations",
            "education",
            "employer_level",
            "residency_completed",
            "serious_incident",
            "teaching_experience",
            "title",
        ],
    )
