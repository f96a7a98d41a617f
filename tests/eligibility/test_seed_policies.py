"""The seed policies end to end, as `load_seeds` stores them, through POST /api/v1/eligibility with
realistic people: the five Wenzhou categories with their general conditions, and Guangxi.

Language and health conditions are checked by the unit: they are pending (never a green tick) until the unit
confirms them, so a person who meets every other condition is "pending", not yet "eligible"; a failed
condition makes them "ineligible" whatever is pending."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """The check needs a logged-in caller or a token (issue 10, docs/security/api.md): a user without a role."""
    client.force_login(make_user())
    return client


URL = "/api/v1/eligibility"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
AS_OF = "2025-06-30"

# An attending physician with a bachelor's degree at a tertiary hospital, nothing on record.
DOCTOR = {
    "birth_date": "1980-07-01",
    "education": "21",
    "title": "233",
    "residency_completed": True,
    "admin_years": 0,
    "teaching_experience": False,
    "employer_level": "3",
    "serious_incident": False,
    "designations": [],
}
WENZHOU_GENERAL_PASSED = [
    ("wz-bysh:min_education", "passed"),
    ("wz-bysh:min_title", "passed"),
    ("wz-bysh:no_serious_incident", "passed"),
    ("wz-bysh:language", "pending"),
    ("wz-bysh:health", "pending"),
]
UNIT_CHECKS = ["wz-bysh:language", "wz-bysh:health"]


def check(client, category: str, language: str = "en", confirmed: tuple[str, ...] = (), **person) -> dict:
    body = {"category": category, "as_of": AS_OF, "person": {**DOCTOR, **person}, "confirmed": list(confirmed)}
    response = client.post(URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


def state(outcome: dict) -> str:
    return "passed" if outcome["passed"] else "pending" if outcome["pending"] else "failed"


def verdicts(answer: dict) -> tuple:
    return (
        answer["status"],
        [(r["rule"], state(r)) for r in answer["rules"]],
        [(r["rule"], state(r)) for r in answer["priority"]],
    )


def failed(answer: dict) -> list[str]:
    return [r["rule"] for r in answer["rules"] if state(r) == "failed"]


def message(answer: dict, rule: str) -> str:
    return next(r["message"] for r in (*answer["rules"], *answer["priority"]) if r["rule"] == rule)


# ---------------------------------------------------------------------------------------------- 领军人才


def test_leading_talent_of_55_with_a_national_programme_is_eligible_with_priority(client):
    answer = check(
        client, "wz-bysh-leading", birth_date="1970-06-30", title="231", education="11", designations=["D01"]
    )
    assert verdicts(answer) == (
        "pending",
        [*WENZHOU_GENERAL_PASSED, ("wz-bysh-leading:max_age", "passed")],
        [("wz-bysh-leading:designation:priority", "passed")],
    )
    assert message(answer, "wz-bysh-leading:designation:priority") == "Holds: National talent programme."


def test_leading_talent_on_the_56th_birthday_is_not_eligible_and_told_why(client):
    answer = check(client, "wz-bysh-leading", birth_date="1969-06-30", title="231")
    assert verdicts(answer)[:2] == ("ineligible", [*WENZHOU_GENERAL_PASSED, ("wz-bysh-leading:max_age", "failed")])
    assert message(answer, "wz-bysh-leading:max_age") == (
        "Born on 1969-06-30, aged 56 on 2025-06-30: over the age limit of 55 for Leading medical talent."
    )


def test_leading_talent_message_in_chinese(client):
    # 出生于1969-06-30，截至2025-06-30已满56周岁，超过医学领军人才55周岁的上限
    with translation.override("zh-hans"):
        answer = check(client, "wz-bysh-leading", language="zh-hans", birth_date="1969-06-30", title="231")
    text = message(answer, "wz-bysh-leading:max_age")
    assert [part in text for part in ("1969-06-30", "2025-06-30", "56", "55", "医学领军人才")] == [True] * 5


def test_leading_talent_the_day_before_the_56th_birthday_is_eligible(client):
    answer = check(client, "wz-bysh-leading", birth_date="1969-07-01", title="231", confirmed=UNIT_CHECKS)
    assert (answer["eligible"], answer["status"], message(answer, "wz-bysh-leading:max_age")) == (
        True,
        "eligible",
        "Born on 1969-07-01, aged 55 on 2025-06-30: within the age limit of 55 for Leading medical talent.",
    )


# ---------------------------------------------------------------------------------------------- general conditions


def test_general_conditions_bind_every_wenzhou_category(client):
    for category in (
        "wz-bysh-leading",
        "wz-bysh-clinical",
        "wz-bysh-innovation",
        "wz-bysh-teaching",
        "wz-bysh-management",
    ):
        answer = check(client, category, education="31", teaching_experience=True, admin_years=5)
        assert (answer["eligible"], answer["status"], failed(answer)) == (
            False,
            "ineligible",
            ["wz-bysh:min_education"],
        ), category


def test_a_junior_title_fails_but_the_equivalent_level_is_mentioned(client):
    answer = check(client, "wz-bysh-clinical", title="234")
    assert (answer["status"], message(answer, "wz-bysh:min_title")) == (
        "ineligible",
        "Professional title: Physician, below the requirement of intermediate or above. "
        "Equivalent academic or technical level accepted: the unit may record a justified exception.",
    )


def test_a_nurse_in_charge_meets_the_intermediate_title(client):
    answer = check(client, "wz-bysh-clinical", title="253", confirmed=UNIT_CHECKS)
    assert (answer["eligible"], answer["status"]) == (True, "eligible")


def test_a_serious_incident_blocks(client):
    answer = check(client, "wz-bysh-innovation", serious_incident=True)
    assert (answer["status"], failed(answer)) == ("ineligible", ["wz-bysh:no_serious_incident"])


def test_language_and_health_are_left_to_the_unit(client):
    answer = check(client, "wz-bysh")
    assert (answer["eligible"], verdicts(answer), message(answer, "wz-bysh:health")) == (
        False,
        ("pending", WENZHOU_GENERAL_PASSED, []),
        "Checked by the unit: Good physical and mental health, and a strong ability to adapt to life abroad and "
        "cope with pressure",
    )


def test_language_and_health_pass_once_the_unit_confirmed_them(client):
    answer = check(client, "wz-bysh", confirmed=UNIT_CHECKS)
    assert (answer["eligible"], verdicts(answer)[:2], message(answer, "wz-bysh:health")) == (
        True,
        ("eligible", [(rule, "passed") for rule, _ in WENZHOU_GENERAL_PASSED]),
        "Confirmed by the unit: Good physical and mental health, and a strong ability to adapt to life abroad and "
        "cope with pressure",
    )


# ---------------------------------------------------------------------------------------------- 临床骨干 / 创新


def test_clinical_talent_of_46_with_rising_star_is_eligible_outside_the_young_profile(client):
    answer = check(client, "wz-bysh-clinical", birth_date="1979-06-30", designations=["D09"])
    assert verdicts(answer) == (
        "pending",
        [*WENZHOU_GENERAL_PASSED, ("wz-bysh-clinical:max_age", "passed")],
        [("wz-bysh-clinical:designation:priority", "passed"), ("wz-bysh-clinical:max_age:priority", "failed")],
    )
    assert message(answer, "wz-bysh-clinical:max_age:priority") == (
        "Born on 1979-06-30, aged 46 on 2025-06-30: not in the priority group of 45 or younger."
    )


def test_clinical_talent_of_51_is_not_eligible(client):
    answer = check(client, "wz-bysh-clinical", birth_date="1974-06-30")
    assert (answer["status"], failed(answer)) == ("ineligible", ["wz-bysh-clinical:max_age"])


def test_innovation_talent_of_44_in_the_e_class_programme_matches_both_profiles(client):
    answer = check(client, "wz-bysh-innovation", birth_date="1981-01-15", education="14", designations=["D10"])
    assert verdicts(answer) == (
        "pending",
        [*WENZHOU_GENERAL_PASSED, ("wz-bysh-innovation:max_age", "passed")],
        [("wz-bysh-innovation:designation:priority", "passed"), ("wz-bysh-innovation:max_age:priority", "passed")],
    )
    assert message(answer, "wz-bysh-innovation:designation:priority") == "Holds: Wenzhou category E talent programme."


# ---------------------------------------------------------------------------------------------- 教学 / 管理


@pytest.mark.parametrize(
    ("experience", "status", "teaching"), [(True, "pending", "passed"), (False, "ineligible", "failed")]
)
def test_teaching_talent_needs_teaching_experience(client, experience, status, teaching):
    answer = check(client, "wz-bysh-teaching", teaching_experience=experience, designations=["D15"])
    assert verdicts(answer) == (
        status,
        [
            *WENZHOU_GENERAL_PASSED,
            ("wz-bysh-teaching:max_age", "passed"),
            ("wz-bysh-teaching:teaching_experience", teaching),
        ],
        [("wz-bysh-teaching:designation:priority", "passed")],
    )


@pytest.mark.parametrize(
    ("years", "status", "text"),
    [
        (2, "ineligible", "2 years of administrative work, fewer than the required 3."),
        (3, "pending", "3 years of administrative work, meets the requirement of 3 or more."),
        (4, "pending", "4 years of administrative work, meets the requirement of 3 or more."),
    ],
)
def test_management_talent_needs_three_years_of_administration(client, years, status, text):
    answer = check(client, "wz-bysh-management", admin_years=years, designations=["D17"])
    assert (answer["status"], message(answer, "wz-bysh-management:min_management_years")) == (status, text)
    assert answer["priority"] == [
        {
            "rule": "wz-bysh-management:designation:priority",
            "passed": True,
            "pending": False,
            "message": "Holds: Reserve cadre (young and mid-career managers).",
        }
    ]


# ---------------------------------------------------------------------------------------------- 广西


@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [("1980-06-30", True), ("1979-07-01", True), ("1979-06-30", False), ("1979-06-29", False)],
)
def test_guangxi_age_limit_of_45(client, birth_date, eligible):
    answer = check(client, "gx-excellent-young", birth_date=birth_date, confirmed=["gx-excellent-young:health"])
    assert answer["eligible"] is eligible


def test_guangxi_health_is_pending_until_the_unit_confirms_it(client):
    answer = check(client, "gx-excellent-young")
    assert (answer["status"], [r["rule"] for r in answer["rules"] if r["pending"]]) == (
        "pending",
        ["gx-excellent-young:health"],
    )


@pytest.mark.parametrize(
    ("title", "residency", "level", "passed", "text"),
    [
        (
            "233",
            False,
            "3",
            True,
            "Professional title: Attending Physician, meets the requirement of intermediate or above.",
        ),
        ("234", True, "3", True, "Standardised residency training completed."),
        ("234", False, "3", False, "Residency training not completed, and the title Physician is below intermediate."),
        ("234", False, "1", False, "Residency training not completed, and the title Physician is below intermediate."),
        (
            "234",
            False,
            "2",
            True,
            "Residency training not completed, and the title Physician is below intermediate. "
            "The requirement is relaxed for secondary hospitals.",
        ),
    ],
)
def test_guangxi_title_or_residency_relaxed_for_secondary_hospitals(client, title, residency, level, passed, text):
    answer = check(
        client,
        "gx-excellent-young",
        title=title,
        residency_completed=residency,
        employer_level=level,
        confirmed=["gx-excellent-young:health"],
    )
    rule = next(r for r in answer["rules"] if r["rule"] == "gx-excellent-young:title_or_residency")
    assert (answer["eligible"], rule["passed"], rule["message"]) == (passed, passed, text)
