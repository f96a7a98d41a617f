"""The eligibility engine alone: every kind and relaxation on both sides of each boundary. No database:
the ranks below are those of codes/data (education.csv, title.csv), checked against the seeded tables in
test_selectors.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from medtalent.catalog.rule_params import params_problems
from medtalent.codes.ranks import Ranks
from medtalent.eligibility.engine import compile_rules, evaluate
from medtalent.eligibility.facts import CATEGORY, Facts, Outcome, RuleSpec, age_on

RANKS = Ranks(
    education={"11": 100, "14": 90, "21": 70, "22": 67, "28": 66, "31": 60},
    title={"231": 50, "232": 40, "233": 30, "234": 20, "235": 10, "253": 30, "254": 20},
    grades={"senior": 50, "associate_senior": 40, "intermediate": 30, "junior": 20, "assistant": 10},
    names={
        ("education", "14"): ("硕士研究生毕业", "Master's study, graduated"),
        ("education", "21"): ("大学本科毕业", "Undergraduate study, graduated"),
        ("education", "22"): ("大学本科结业", "Undergraduate study, completed without graduating"),
        ("education", "31"): ("大学专科毕业", "Junior college, graduated"),
        ("title", "233"): ("主治医师", "Attending Physician"),
        ("title", "234"): ("医师", "Physician"),
        ("title", "232"): ("副主任医师", "Associate Chief Physician"),
        ("designation", "D01"): ("国家级人才项目", "National talent programme"),
        ("designation", "D02"): (
            "省卫生高层次领军人才培养对象",
            "Provincial high-level leading health talent (trainee)",
        ),
    },
    grade_names={"intermediate": ("中级", "intermediate"), "associate_senior": ("副高", "associate senior")},
)
AS_OF = dt.date(2025, 6, 30)
BASE = Facts(
    birth_date=dt.date(1980, 1, 1),
    education_code="21",
    title_code="233",
    employer_level="3",
)


def spec(kind: str, params: dict | None = None, *, blocking: bool = True, **kwargs) -> RuleSpec:
    return RuleSpec(id=f"test:{kind}", kind=kind, params=params or {}, blocking=blocking, **kwargs)


def one(rule: RuleSpec, facts: Facts, as_of: dt.date = AS_OF) -> Outcome:
    result = evaluate([rule], facts, as_of, RANKS)
    return (result.rules or result.priority)[0]


def judged(rule: RuleSpec, facts: Facts, as_of: dt.date = AS_OF) -> tuple[bool, bool, str]:
    with translation.override("en"):
        outcome = one(rule, facts, as_of)
        return outcome.passed, outcome.relaxed, outcome.message


# ---------------------------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("as_of", "age"),
    [
        (dt.date(2024, 6, 29), 54),
        (dt.date(2024, 6, 30), 55),  # the 55th birthday
        (dt.date(2025, 6, 29), 55),  # the day before the 56th birthday
        (dt.date(2025, 6, 30), 56),  # the 56th birthday
        (dt.date(2025, 7, 1), 56),
    ],
)
def test_age_in_completed_years(as_of, age):
    assert age_on(dt.date(1969, 6, 30), as_of) == age


@pytest.mark.parametrize(
    ("as_of", "age"),
    [(dt.date(2023, 2, 28), 50), (dt.date(2023, 3, 1), 51), (dt.date(2024, 2, 28), 51), (dt.date(2024, 2, 29), 52)],
)
def test_age_of_someone_born_on_29_february(as_of, age):
    assert age_on(dt.date(1972, 2, 29), as_of) == age


@pytest.mark.parametrize(
    ("as_of", "passed", "message"),
    [
        (
            dt.date(2025, 6, 29),
            True,
            "Born on 1969-06-30, aged 55 on 2025-06-29: within the age limit of 55 for Leading medical talent.",
        ),
        (
            dt.date(2025, 6, 30),
            False,
            "Born on 1969-06-30, aged 56 on 2025-06-30: over the age limit of 55 for Leading medical talent.",
        ),
        (
            dt.date(2025, 7, 1),
            False,
            "Born on 1969-06-30, aged 56 on 2025-07-01: over the age limit of 55 for Leading medical talent.",
        ),
    ],
)
def test_max_age_the_day_before_on_and_after_the_birthday(as_of, passed, message):
    rule = spec(
        "max_age", {"years": 55}, scope=CATEGORY, owner_name_zh="医学领军人才", owner_name_en="Leading medical talent"
    )
    facts = Facts(birth_date=dt.date(1969, 6, 30))
    assert judged(rule, facts, as_of) == (passed, False, message)


def test_max_age_message_in_chinese_names_the_category_and_the_numbers():
    rule = spec(
        "max_age", {"years": 55}, scope=CATEGORY, owner_name_zh="医学领军人才", owner_name_en="Leading medical talent"
    )
    with translation.override("zh-hans"):
        message = one(rule, Facts(birth_date=dt.date(1969, 6, 30))).message
    assert [part in message for part in ("1969-06-30", "2025-06-30", "56", "55", "医学领军人才")] == [True] * 5


def test_max_age_of_a_programme_rule_names_no_category():
    facts = Facts(birth_date=dt.date(1979, 6, 30))
    assert judged(spec("max_age", {"years": 45}), facts) == (
        False,
        False,
        "Born on 1979-06-30, aged 46 on 2025-06-30: over the age limit of 45.",
    )
    assert judged(spec("max_age", {"years": 50}), facts) == (
        True,
        False,
        "Born on 1979-06-30, aged 46 on 2025-06-30: within the age limit of 50.",
    )


def test_max_age_without_a_birth_date_fails():
    assert judged(spec("max_age", {"years": 50}), Facts()) == (
        False,
        False,
        "Date of birth not given: the age condition of 50 cannot be checked.",
    )


@pytest.mark.parametrize(
    ("birth", "passed", "message"),
    [
        (
            dt.date(1980, 7, 1),
            True,
            "Born on 1980-07-01, aged 44 on 2025-06-30: in the priority group of 45 or younger.",
        ),
        (
            dt.date(1980, 6, 30),
            True,
            "Born on 1980-06-30, aged 45 on 2025-06-30: in the priority group of 45 or younger.",
        ),
        (
            dt.date(1979, 6, 30),
            False,
            "Born on 1979-06-30, aged 46 on 2025-06-30: not in the priority group of 45 or younger.",
        ),
    ],
)
def test_priority_age_profile(birth, passed, message):
    rule = spec("max_age", {"years": 45}, blocking=False, scope=CATEGORY, owner_name_en="Key clinical talent")
    result = evaluate([rule], Facts(birth_date=birth), AS_OF, RANKS)
    with translation.override("en"):
        assert (result.eligible, result.rules, [(o.passed, o.message) for o in result.priority]) == (
            True,
            [],
            [(passed, message)],
        )


# ---------------------------------------------------------------------------------------------- education


@pytest.mark.parametrize(
    ("education", "passed", "message"),
    [
        (
            "14",
            True,
            "Education: Master's study, graduated, meets the requirement of Undergraduate study, graduated or above.",
        ),
        (
            "21",
            True,
            "Education: Undergraduate study, graduated, meets the requirement of Undergraduate study, graduated or above.",
        ),
        (
            "22",
            False,
            "Education: Undergraduate study, completed without graduating, below the requirement of "
            "Undergraduate study, graduated or above.",
        ),
        ("28", False, "Education: 28, below the requirement of Undergraduate study, graduated or above."),
        (
            "31",
            False,
            "Education: Junior college, graduated, below the requirement of Undergraduate study, graduated or above.",
        ),
        ("", False, "Education not given: Undergraduate study, graduated or above is required."),
        ("99", False, "Education code 99 is not in the education table (GB/T 4658)."),
    ],
)
def test_min_education_around_the_required_rank(education, passed, message):
    facts = Facts(education_code=education)
    assert judged(spec("min_education", {"code": "21"}), facts) == (passed, False, message)


def test_min_education_in_chinese_names_both_levels():
    with translation.override("zh-hans"):
        message = one(spec("min_education", {"code": "21"}), Facts(education_code="31")).message
    assert ("大学专科毕业" in message, "大学本科毕业" in message) == (True, True)


# ---------------------------------------------------------------------------------------------- title


@pytest.mark.parametrize(
    ("title", "passed", "message"),
    [
        ("232", True, "Professional title: Associate Chief Physician, meets the requirement of intermediate or above."),
        ("233", True, "Professional title: Attending Physician, meets the requirement of intermediate or above."),
        ("253", True, "Professional title: 253, meets the requirement of intermediate or above."),
        ("234", False, "Professional title: Physician, below the requirement of intermediate or above."),
        ("", False, "No professional title given: intermediate or above is required."),
        ("230", False, "Title code 230 is not a health professional title (GB/T 8561)."),
    ],
)
def test_min_title_by_grade_around_the_required_rank(title, passed, message):
    assert judged(spec("min_title", {"grade": "intermediate"}), Facts(title_code=title)) == (passed, False, message)


@pytest.mark.parametrize(("title", "passed"), [("233", False), ("232", True), ("231", True)])
def test_min_title_by_code(title, passed):
    assert one(spec("min_title", {"code": "232"}), Facts(title_code=title)).passed == passed


def test_min_title_says_when_an_equivalent_level_is_accepted():
    rule = spec("min_title", {"grade": "intermediate", "equivalent_allowed": True})
    assert judged(rule, Facts(title_code="234")) == (
        False,
        False,
        "Professional title: Physician, below the requirement of intermediate or above. "
        "Equivalent academic or technical level accepted: the unit may record a justified exception.",
    )
    assert judged(rule, Facts(title_code="233"))[:2] == (True, False)


@pytest.mark.parametrize(
    ("title", "residency", "passed", "message"),
    [
        (
            "233",
            False,
            True,
            "Professional title: Attending Physician, meets the requirement of intermediate or above.",
        ),
        ("233", True, True, "Professional title: Attending Physician, meets the requirement of intermediate or above."),
        ("234", True, True, "Standardised residency training completed."),
        ("", True, True, "Standardised residency training completed."),
        ("234", False, False, "Residency training not completed, and the title Physician is below intermediate."),
        (
            "",
            False,
            False,
            "Residency training not completed and no title given (intermediate or above is required).",
        ),
    ],
)
def test_title_or_residency(title, residency, passed, message):
    rule = spec("title_or_residency", {"grade": "intermediate", "residency": True})
    facts = Facts(title_code=title, residency_completed=residency)
    assert judged(rule, facts) == (passed, False, message)


def test_title_or_residency_without_the_residency_alternative_is_a_title_rule():
    rule = spec("title_or_residency", {"grade": "intermediate", "residency": False})
    assert judged(rule, Facts(title_code="234", residency_completed=True)) == (
        False,
        False,
        "Professional title: Physician, below the requirement of intermediate or above.",
    )


# ---------------------------------------------------------------------------------------------- relaxation


@pytest.mark.parametrize(
    ("level", "title", "passed", "relaxed"),
    [
        ("2", "234", True, True),  # fails, secondary hospital: relaxed
        ("3", "234", False, False),  # fails, tertiary: not relaxed
        ("1", "234", False, False),  # fails, primary: not in the list
        ("", "234", False, False),  # not a graded hospital
        ("2", "233", True, False),  # passes anyway: nothing to relax
    ],
)
def test_relaxation_by_employer_level(level, title, passed, relaxed):
    rule = spec("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]})
    outcome = one(rule, Facts(title_code=title, employer_level=level))
    assert (outcome.passed, outcome.relaxed) == (passed, relaxed)


def test_relaxed_message_gives_the_reason_and_the_relaxation():
    rule = spec("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]})
    assert judged(rule, Facts(title_code="234", employer_level="2")) == (
        True,
        True,
        "Residency training not completed, and the title Physician is below intermediate. "
        "The requirement is relaxed for secondary hospitals.",
    )


def test_relaxation_applies_to_any_kind():
    rule = spec("max_age", {"years": 45, "relaxed_for_levels": ["1", "2"]})
    facts = Facts(birth_date=dt.date(1970, 1, 1), employer_level="1")
    assert judged(rule, facts) == (
        True,
        True,
        "Born on 1970-01-01, aged 55 on 2025-06-30: over the age limit of 45. "
        "The requirement is relaxed for primary hospitals.",
    )


# ---------------------------------------------------------------------------------------------- the other kinds


@pytest.mark.parametrize(
    ("years", "passed", "message"),
    [
        (2, False, "2 years of administrative work, fewer than the required 3."),
        (3, True, "3 years of administrative work, meets the requirement of 3 or more."),
        (4, True, "4 years of administrative work, meets the requirement of 3 or more."),
    ],
)
def test_min_management_years(years, passed, message):
    assert judged(spec("min_management_years", {"years": 3}), Facts(admin_years=years)) == (passed, False, message)


@pytest.mark.parametrize(
    ("experience", "passed", "message"),
    [
        (True, True, "Has clinical teaching or education-management experience."),
        (False, False, "No clinical teaching or education-management experience recorded."),
    ],
)
def test_teaching_experience(experience, passed, message):
    assert judged(spec("teaching_experience"), Facts(teaching_experience=experience)) == (passed, False, message)


@pytest.mark.parametrize(
    ("incident", "passed", "message"),
    [
        (False, True, "No serious medical incident on record."),
        (
            True,
            False,
            "A serious medical incident is on record (confirmed, or declared and not yet cleared by the unit).",
        ),
    ],
)
def test_no_serious_incident(incident, passed, message):
    assert judged(spec("no_serious_incident"), Facts(serious_incident=incident)) == (passed, False, message)


@pytest.mark.parametrize(
    ("held", "passed", "message"),
    [
        (frozenset({"D02", "D09"}), True, "Holds: Provincial high-level leading health talent (trainee)."),
        (
            frozenset({"D01", "D02"}),
            True,
            "Holds: National talent programme, Provincial high-level leading health talent (trainee).",
        ),
        (
            frozenset({"D09"}),
            False,
            "Holds none of: National talent programme, Provincial high-level leading health talent (trainee).",
        ),
        (
            frozenset(),
            False,
            "Holds none of: National talent programme, Provincial high-level leading health talent (trainee).",
        ),
    ],
)
def test_designation_priority_profile(held, passed, message):
    rule = spec("designation", {"any_of": ["D01", "D02"]}, blocking=False)
    result = evaluate([rule], Facts(designations=held), AS_OF, RANKS)
    with translation.override("en"):
        assert (result.eligible, [(o.passed, o.message) for o in result.priority]) == (True, [(passed, message)])


def test_designation_names_in_chinese_are_listed_with_the_chinese_comma():
    rule = spec("designation", {"any_of": ["D01", "D02"]}, blocking=False)
    with translation.override("zh-hans"):
        message = one(rule, Facts()).message
    assert "国家级人才项目、省卫生高层次领军人才培养对象" in message


@pytest.mark.parametrize("kind", ["language", "health", "other", "a_kind_from_the_future"])
def test_conditions_the_facts_cannot_show_pass_and_say_the_unit_checks_them(kind):
    rule = spec(kind, {}, text_zh="身体健康", text_en="In good health")
    assert judged(rule, Facts()) == (True, False, "Checked by the unit: In good health")


def test_unchecked_rule_without_text_names_its_kind():
    assert judged(spec("health"), Facts()) == (True, False, "Checked by the unit: Health")


# ---------------------------------------------------------------------------------------------- misconfigured rules


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        ("max_age", {}, '"years" must be a whole number from 0 to 100'),
        ("max_age", {"years": "55"}, '"years" must be a whole number from 0 to 100'),
        ("max_age", {"years": True}, '"years" must be a whole number from 0 to 100'),
        ("min_management_years", {"years": -1}, '"years" must be a whole number from 0 to 100'),
        ("min_education", {}, '"code" must be an education code (GB/T 4658), e.g. "21"'),
        ("min_title", {}, '"grade" (e.g. "intermediate") or "code" (GB/T 8561, e.g. "233") is required'),
        ("title_or_residency", {"grade": "intermediate", "residency": "yes"}, '"residency" must be true or false'),
        ("designation", {"any_of": []}, '"any_of" must be a non-empty list of designation codes'),
        ("health", {"relaxed_for_levels": ["4"]}, '"relaxed_for_levels" must be a list of "3", "2", "1"'),
    ],
)
def test_params_problems(kind, params, problem):
    assert params_problems(kind, params) == [problem]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("max_age", {"years": 55}),
        ("min_education", {"code": "21", "text": "本科以上"}),
        ("min_title", {"grade": "intermediate", "equivalent_allowed": True}),
        ("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]}),
        ("min_management_years", {"years": 3}),
        ("designation", {"any_of": ["D01"]}),
        ("language", {"english": "good", "hard_score": False, "relaxed_for": ["wz-bysh-management"]}),
    ],
)
def test_seed_style_params_have_no_problems(kind, params):
    assert params_problems(kind, params) == []


def test_a_misconfigured_rule_fails_and_says_why():
    assert judged(spec("max_age", {"years": "old"}), BASE) == (
        False,
        False,
        'This condition is not set up correctly ("years" must be a whole number from 0 to 100): '
        "the commission must correct it.",
    )
    assert judged(spec("min_education", {"code": "77"}), BASE) == (
        False,
        False,
        "This condition is not set up correctly (unknown education code '77'): the commission must correct it.",
    )
    assert judged(spec("min_title", {"grade": "master"}), BASE)[0] is False


# ---------------------------------------------------------------------------------------------- results


def test_result_is_eligible_only_when_every_blocking_rule_passes_and_priority_never_blocks():
    rules = [
        spec("max_age", {"years": 50}),
        spec("min_education", {"code": "21"}),
        spec("designation", {"any_of": ["D01"]}, blocking=False),
    ]
    young = evaluate(rules, BASE, AS_OF, RANKS)
    old = evaluate(rules, Facts(birth_date=dt.date(1960, 1, 1), education_code="21"), AS_OF, RANKS)
    assert (young.eligible, [o.passed for o in young.rules], [o.passed for o in young.priority]) == (
        True,
        [True, True],
        [False],
    )
    assert (old.eligible, [o.passed for o in old.failed]) == (False, [False])


def test_result_as_dict_is_plain_data_in_the_active_language():
    rules = [spec("max_age", {"years": 50}), spec("designation", {"any_of": ["D01"]}, blocking=False)]
    result = evaluate(rules, BASE, AS_OF, RANKS)
    with translation.override("en"):
        data = result.as_dict()
    assert data == {
        "eligible": True,
        "as_of": "2025-06-30",
        "rules": [
            {
                "rule": "test:max_age",
                "kind": "max_age",
                "passed": True,
                "blocking": True,
                "relaxed": False,
                "message": "Born on 1980-01-01, aged 45 on 2025-06-30: within the age limit of 50.",
            }
        ],
        "priority": [
            {
                "rule": "test:designation",
                "kind": "designation",
                "passed": False,
                "blocking": False,
                "relaxed": False,
                "message": "Holds none of: National talent programme.",
            }
        ],
    }


def test_messages_follow_the_language_active_when_read():
    outcome = one(spec("designation", {"any_of": ["D01"]}, blocking=False), Facts(designations=frozenset({"D01"})))
    with translation.override("en"):
        english = outcome.message
    with translation.override("zh-hans"):
        chinese = outcome.message
    assert (english, "国家级人才项目" in chinese) == ("Holds: National talent programme.", True)


def test_a_compiled_policy_judges_many_people_like_evaluate():
    rules = [
        spec("max_age", {"years": 50}),
        spec("min_title", {"grade": "intermediate"}),
        spec("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]}),
        spec("min_management_years", {"years": 3}),
        spec("designation", {"any_of": ["D01", "D02"]}, blocking=False),
    ]
    people = [
        Facts(
            birth_date=dt.date(1970 + n, 1, 1), title_code=t, admin_years=n, employer_level=lvl, residency_completed=r
        )
        for n, (t, lvl, r) in enumerate(
            [("233", "3", False), ("234", "2", False), ("234", "3", True), ("", "1", False)]
        )
    ]
    policy = compile_rules(rules, RANKS)
    with translation.override("en"):
        once = [evaluate(rules, p, AS_OF, RANKS).as_dict() for p in people]
        many = [policy.evaluate(p, AS_OF).as_dict() for p in people]
    assert many == once
