"""POST /api/v1/eligibility: the request's checks (422 naming the field), unknown codes (404), query count."""

from __future__ import annotations

import copy

import pytest

from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Category, EligibilityRule, Programme
from medtalent.codes.selectors import code_ranks
from medtalent.orgs.models import Tag
from medtalent.people.enums import LanguageTest
from tests.factories import ProgrammeFactory
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
            "eligible": False,
            "status": "pending",
            "rules": [
                {
                    "rule": "gx-excellent-young:max_age",
                    "passed": True,
                    "pending": False,
                    "message": "Born on 1980-07-01, aged 44 on 2025-06-30: within the age limit of 45.",
                },
                {
                    "rule": "gx-excellent-young:title_or_residency",
                    "passed": True,
                    "pending": False,
                    "message": "Professional title: Attending Physician, meets the requirement of intermediate or above.",
                },
                {
                    "rule": "gx-excellent-young:health",
                    "passed": False,
                    "pending": True,
                    "message": "Checked by the unit: In good health",
                },
            ],
            "priority": [],
        },
    )


def test_a_rule_the_unit_confirmed_is_no_longer_pending(client):
    body = copy.deepcopy(BODY)
    body["confirmed"] = ["gx-excellent-young:health"]
    response = post(client, body)
    assert (response.status_code, response.json()["status"], response.json()["eligible"]) == (200, "eligible", True)
    assert [(r["rule"], r["passed"], r["pending"]) for r in response.json()["rules"]] == [
        ("gx-excellent-young:max_age", True, False),
        ("gx-excellent-young:title_or_residency", True, False),
        ("gx-excellent-young:health", True, False),
    ]


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
    body["confirmed"] = ["gx-excellent-young:health"]
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


# ---- Unknown fields, the new facts, groups and pending rules --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("ielts", "6.5", "ielts"),
        ("person.ielts", "6.5", "person.ielts"),
        ("person.licence", "2015-01-01", "person.licence"),
        ("person.languages", [{"test": "ielts", "score": "6.5", "band": 7}], "person.languages.0.band"),
        (
            "person.earlier_titles",
            [{"title": "234", "obtained_on": "2010-01-01", "series": "physician"}],
            "person.earlier_titles.0.series",
        ),
    ],
)
def test_a_field_it_does_not_know_is_422_at_every_level(client, path, value, field):
    response = post(client, with_(path, value), **EN)
    assert (response.status_code, response.json()) == (
        422,
        {"errors": [{"field": field, "message": "Extra inputs are not permitted"}]},
    )


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (
            "person.languages",
            [{"test": "gre", "score": "320"}],
            "person.languages.0.test",
            f"Unknown language test “gre”; known: {', '.join(LanguageTest.values)}.",
        ),
        ("person.languages", [{"test": "ielts"}], "person.languages.0", "Give a score or a CEFR level."),
        (
            "person.languages",
            [{"test": "ielts", "score": "6.5", "taken_on": "2025-07-01"}],
            "person.languages.0.taken_on",
            "The test date is after as_of.",
        ),
        ("person.licence_obtained_on", "2026-01-01", "person.licence_obtained_on", "The date obtained is after as_of."),
        ("person.title_obtained_on", "2025-07-01", "person.title_obtained_on", "The date obtained is after as_of."),
        (
            "person.earlier_titles",
            [{"title": "999", "obtained_on": "2010-01-01"}],
            "person.earlier_titles.0.title",
            "Not a health professional title code of GB/T 8561.",
        ),
        (
            "person.employer_tags",
            ["no-such-tag", "other-tag"],
            "person.employer_tags",
            "Unknown organisation tag codes: no-such-tag, other-tag.",
        ),
        (
            "person.verified",
            ["title", "degree"],
            "person.verified",
            "Unknown verified facts: degree; known: title, education, licence.",
        ),
        (
            "confirmed",
            ["gx-excellent-young:health", "gx-excellent-young:language"],
            "confirmed",
            "Not rules of this programme or category: gx-excellent-young:language.",
        ),
    ],
)
def test_the_new_facts_are_checked_with_a_clear_message(client, path, value, field, message):
    response = post(client, with_(path, value), **EN)
    assert (response.status_code, response.json()) == (422, {"errors": [{"field": field, "message": message}]})


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("person.languages", [{"test": "ielts", "score": "six"}], "person.languages.0.score"),
        ("person.languages", [{"test": "ielts", "score": True}], "person.languages.0.score"),
        ("person.languages", [{"test": "delf_dalf", "level": "B3"}], "person.languages.0.level"),
        ("person.languages", "ielts 6.5", "person.languages"),
        ("person.licence_obtained_on", "01/01/2015", "person.licence_obtained_on"),
        ("person.earlier_titles", [{"title": "234"}], "person.earlier_titles.0.obtained_on"),
        ("person.employer_tags", "mountain-island", "person.employer_tags"),
        ("confirmed", "gx-excellent-young:health", "confirmed"),
    ],
)
def test_a_malformed_new_fact_is_named(client, path, value, field):
    response = post(client, with_(path, value))
    assert (response.status_code, [e["field"] for e in response.json()["errors"]]) == (422, [field])


@pytest.fixture
def senior_category():
    """A category of a (sixth) policy: any of IELTS 6.0 / TOEFL 80 / the assessment at B2, a licence held for 3
    years, an employer in a mountain-area or island county, and a title the unit must have verified."""
    Tag.objects.create(code="mountain-island", name_zh="山区海岛县", name_en="Mountain or island county")
    programme = ProgrammeFactory(code="hz-api")
    category = Category.objects.create(programme=programme, code="hz-api-senior", name_zh="高级", name_en="Senior")

    def rule(kind, params=None, parent=None, sort=0):
        return EligibilityRule.objects.create(
            category=category, kind=kind, params=params or {}, parent=parent, sort=sort
        )

    languages = rule("any_of", sort=1)
    rule("language_result", {"test": "ielts", "min_score": "6.0", "valid_years": 2}, languages, 1)
    rule("language_result", {"test": "toefl", "min_score": "80", "valid_years": 2}, languages, 2)
    rule("language_result", {"test": "assessment", "min_level": "B2"}, languages, 3)
    rule("licence_years", {"years": 3}, sort=2)
    rule("employer_tag", {"any_of": ["mountain-island"]}, sort=3)
    rule("min_title", {"grade": "intermediate", "verified": True}, sort=4)
    return category


def senior_body(**person):
    body = with_("category", "hz-api-senior")
    body["as_of"] = "2027-03-31"
    body["person"].update(
        {
            "languages": [{"test": "toefl", "score": 85, "taken_on": "2026-06-01"}],
            "licence_obtained_on": "2020-01-01",
            "employer_tags": ["mountain-island"],
            "verified": ["title"],
            **person,
        }
    )
    return body


def statuses(outcomes):
    return [
        (o["rule"], o["passed"], o["pending"], statuses(o["children"]) if "children" in o else None) for o in outcomes
    ]


def test_the_new_facts_decide_the_new_rules_and_groups_show_their_rules(client, senior_category):
    response = post(client, senior_body())
    assert (response.status_code, response.json()["status"], response.json()["eligible"]) == (200, "eligible", True)
    assert statuses(response.json()["rules"]) == [
        (
            "hz-api-senior:any_of",
            True,
            False,
            [
                ("hz-api-senior:language_result:2", False, False, None),
                ("hz-api-senior:language_result:3", True, False, None),
                ("hz-api-senior:language_result:4", False, False, None),
            ],
        ),
        ("hz-api-senior:licence_years", True, False, None),
        ("hz-api-senior:employer_tag", True, False, None),
        ("hz-api-senior:min_title", True, False, None),
    ]


@pytest.mark.parametrize(
    ("person", "status", "not_passed"),
    [
        ({"languages": [{"test": "toefl", "score": 85, "taken_on": "2024-01-01"}]}, "ineligible", ["any_of"]),
        ({"licence_obtained_on": "2025-01-01"}, "ineligible", ["licence_years"]),
        ({"employer_tags": []}, "ineligible", ["employer_tag"]),
        ({"verified": []}, "pending", ["min_title"]),
    ],
)
def test_each_new_fact_can_fail_its_rule(client, senior_category, person, status, not_passed):
    response = post(client, senior_body(**person))
    answer = response.json()
    assert (answer["status"], [r["rule"].split(":")[1] for r in answer["rules"] if not r["passed"]]) == (
        status,
        not_passed,
    )


def test_tags_given_cost_one_query_more(client, senior_category, django_assert_num_queries):
    code_ranks()
    with django_assert_num_queries(6):  # session, user, roles, the programme, its rules, the tags given
        response = post(client, senior_body())
    assert response.status_code == 200


def test_the_answer_is_documented_with_status_pending_and_children(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert (
        sorted(schemas["OutcomeOut"]["properties"]),
        sorted(schemas["OutcomeOut"]["required"]),
        sorted(schemas["EligibilityOut"]["required"]),
        schemas["EligibilityOut"]["properties"]["status"]["enum"],
        sorted(schemas["PersonIn"]["properties"]),
        schemas["EligibilityIn"]["additionalProperties"],
        schemas["PersonIn"]["additionalProperties"],
    ) == (
        ["children", "message", "passed", "pending", "rule"],
        ["message", "passed", "pending", "rule"],
        ["eligible", "priority", "rules", "status"],
        ["eligible", "pending", "ineligible"],
        [
            "admin_years",
            "birth_date",
            "designations",
            "earlier_titles",
            "education",
            "employer_level",
            "employer_tags",
            "languages",
            "licence_obtained_on",
            "residency_completed",
            "serious_incident",
            "teaching_experience",
            "title",
            "title_obtained_on",
            "verified",
        ],
        False,
        False,
    )
