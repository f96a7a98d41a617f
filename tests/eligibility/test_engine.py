"""The eligibility engine alone: every kind and relaxation on both sides of each boundary. No database:
the ranks below are those of codes/data (education.csv, title.csv), checked against the seeded tables in
test_selectors.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from medtalent.catalog.rule_params import params_problems
from medtalent.codes.ranks import Ranks
from medtalent.eligibility.engine import compile_rules, evaluate
from medtalent.eligibility.facts import CATEGORY, Facts, LanguageResult, Outcome, RuleSpec, age_on

SERIES = dict.fromkeys(("230", "231", "232", "233", "234", "235"), "physician") | dict.fromkeys(
    ("250", "251", "252", "253", "254", "255"), "nurse"
)
RANKS = Ranks(
    education={"11": 100, "14": 90, "21": 70, "22": 67, "28": 66, "31": 60},
    title={"231": 50, "232": 40, "233": 30, "234": 20, "235": 10, "252": 40, "253": 30, "254": 20},
    series=SERIES,
    grades={"senior": 50, "associate_senior": 40, "intermediate": 30, "junior": 20, "assistant": 10},
    names={
        ("education", "14"): ("硕士研究生毕业", "Master's study, graduated"),
        ("education", "21"): ("大学本科毕业", "Undergraduate study, graduated"),
        ("education", "22"): ("大学本科结业", "Undergraduate study, completed without graduating"),
        ("education", "31"): ("大学专科毕业", "Junior college, graduated"),
        ("title", "233"): ("主治医师", "Attending Physician"),
        ("title", "234"): ("医师", "Physician"),
        ("title", "232"): ("副主任医师", "Associate Chief Physician"),
        ("title", "252"): ("副主任护师", "Associate Chief Nurse"),
        ("title", "253"): ("主管护师", "Nurse-in-charge"),
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
        ("253", True, "Professional title: Nurse-in-charge, meets the requirement of intermediate or above."),
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
def test_conditions_the_facts_cannot_show_are_pending_and_say_the_unit_checks_them(kind):
    rule = spec(kind, {}, text_zh="身体健康", text_en="In good health")
    outcome = one(rule, Facts())
    with translation.override("en"):
        assert (outcome.passed, outcome.pending, outcome.status, outcome.message) == (
            False,
            True,
            "pending",
            "Checked by the unit: In good health",
        )


@pytest.mark.parametrize("kind", ["language", "health", "other", "a_kind_from_the_future"])
def test_a_condition_the_unit_confirmed_passes_and_says_so(kind):
    rule = spec(kind, {}, text_zh="身体健康", text_en="In good health")
    outcome = one(rule, Facts(confirmed=frozenset({f"test:{kind}"})))
    with translation.override("en"):
        assert (outcome.passed, outcome.pending, outcome.confirmed, outcome.message) == (
            True,
            False,
            True,
            "Confirmed by the unit: In good health",
        )


def test_a_confirmation_of_another_rule_leaves_it_pending():
    outcome = one(spec("health"), Facts(confirmed=frozenset({"test:language", "other:health"})))
    assert (outcome.passed, outcome.pending) == (False, True)


def test_unchecked_rule_without_text_names_its_kind():
    assert judged(spec("health"), Facts()) == (False, False, "Checked by the unit: Health")


def test_a_pending_rule_makes_the_result_pending_and_a_failed_one_beats_it():
    rules = [spec("health"), spec("max_age", {"years": 50})]
    pending = evaluate(rules, BASE, AS_OF, RANKS)
    failed = evaluate(rules, Facts(birth_date=dt.date(1960, 1, 1)), AS_OF, RANKS)
    confirmed = evaluate(rules, Facts(birth_date=BASE.birth_date, confirmed=frozenset({"test:health"})), AS_OF, RANKS)
    assert [
        (r.eligible, r.status, [o.rule_id for o in r.pending], [o.rule_id for o in r.failed])
        for r in (
            pending,
            failed,
            confirmed,
        )
    ] == [
        (False, "pending", ["test:health"], []),
        (False, "ineligible", ["test:health"], ["test:max_age"]),
        (True, "eligible", [], []),
    ]


def test_a_pending_priority_profile_never_blocks():
    result = evaluate([spec("language", blocking=False)], BASE, AS_OF, RANKS)
    assert (result.eligible, result.status, result.pending, result.priority[0].pending) == (True, "eligible", [], True)


# ---------------------------------------------------------------------------------------------- misconfigured rules


@pytest.mark.parametrize(
    ("kind", "params", "key", "problem"),
    [
        ("max_age", {}, "years", "Years must be a whole number from 0 to 100."),
        ("max_age", {"years": "55"}, "years", "Years must be a whole number from 0 to 100."),
        ("max_age", {"years": True}, "years", "Years must be a whole number from 0 to 100."),
        ("min_management_years", {"years": -1}, "years", "Years must be a whole number from 0 to 100."),
        ("min_education", {}, "code", "Choose the minimum education (GB/T 4658, e.g. 21)."),
        ("min_title", {}, "grade", "Give a title grade (e.g. intermediate) or a title (GB/T 8561, e.g. 233)."),
        (
            "title_or_residency",
            {"grade": "intermediate", "residency": "yes"},
            "residency",
            "“Completed residency training counts” must be yes or no.",
        ),
        ("designation", {"any_of": []}, "any_of", "Choose at least one talent designation."),
        (
            "health",
            {"relaxed_for_levels": ["4"]},
            "relaxed_for_levels",
            "The hospital levels to relax for must be chosen among 3, 2 and 1.",
        ),
    ],
)
def test_params_problems(kind, params, key, problem):
    with translation.override("en"):
        assert [(p.key, str(p)) for p in params_problems(kind, params)] == [(key, problem)]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("max_age", {"years": 55}),
        ("min_education", {"code": "21", "verified": True}),
        ("min_title", {"grade": "intermediate", "equivalent_allowed": True}),
        ("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]}),
        ("min_management_years", {"years": 3}),
        ("designation", {"any_of": ["D01"]}),
        ("language", {}),
        ("all_of", {}),
        ("any_of", {"relaxed_for_levels": ["2"]}),
    ],
)
def test_seed_style_params_have_no_problems(kind, params):
    assert params_problems(kind, params) == []


@pytest.mark.parametrize(
    ("kind", "params", "keys"),
    [
        ("min_education", {"code": "21", "text": "本科以上"}, ["text"]),
        ("language", {"english": "good", "hard_score": False}, ["english", "hard_score"]),
        ("all_of", {"years": 3}, ["years"]),
    ],
)
def test_unknown_parameter_keys_are_problems(kind, params, keys):
    with translation.override("en"):
        problems = params_problems(kind, params)
        assert [(p.key, str(p)) for p in problems] == [
            (key, f"This kind of rule has no parameter “{key}”.") for key in keys
        ]


def test_a_misconfigured_rule_fails_and_says_why():
    assert judged(spec("max_age", {"years": "old"}), BASE) == (
        False,
        False,
        "This condition is not set up correctly (Years must be a whole number from 0 to 100.): "
        "the commission must correct it.",
    )
    assert judged(spec("min_education", {"code": "77"}), BASE) == (
        False,
        False,
        "This condition is not set up correctly (The education code 77 is not in the education table "
        "(GB/T 4658).): the commission must correct it.",
    )
    assert judged(spec("min_title", {"grade": "master"}), BASE) == (
        False,
        False,
        "This condition is not set up correctly (There is no title grade “master”.): the commission must correct it.",
    )


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
        "status": "eligible",
        "as_of": "2025-06-30",
        "rules": [
            {
                "rule": "test:max_age",
                "kind": "max_age",
                "passed": True,
                "pending": False,
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
                "pending": False,
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


# ---------------------------------------------------------------------------------------------- title series


@pytest.mark.parametrize(
    ("params", "title", "passed", "message"),
    [
        # A rule given by a title admits only that title's series: 主管护师 or above means nurses.
        (
            {"code": "253"},
            "233",
            False,
            "Professional title: Attending Physician, not in the nurse series: Nurse-in-charge or above is required.",
        ),
        (
            {"code": "253"},
            "252",
            True,
            "Professional title: Associate Chief Nurse, meets the requirement of Nurse-in-charge or above.",
        ),
        ({"code": "253"}, "254", False, "Professional title: 254, below the requirement of Nurse-in-charge or above."),
        # 副主任护师 does not pass a doctors' rule.
        (
            {"code": "233"},
            "252",
            False,
            "Professional title: Associate Chief Nurse, not in the physician series: "
            "Attending Physician or above is required.",
        ),
        (
            {"code": "233"},
            "232",
            True,
            "Professional title: Associate Chief Physician, meets the requirement of Attending Physician or above.",
        ),
        # By grade: only the listed series, or any when none is listed.
        (
            {"grade": "intermediate", "series": ["nurse"]},
            "233",
            False,
            "Professional title: Attending Physician, not in the nurse series: "
            "intermediate (nurse series) or above is required.",
        ),
        (
            {"grade": "intermediate", "series": ["nurse"]},
            "253",
            True,
            "Professional title: Nurse-in-charge, meets the requirement of intermediate (nurse series) or above.",
        ),
        (
            {"grade": "intermediate", "series": ["physician", "nurse"]},
            "233",
            True,
            "Professional title: Attending Physician, meets the requirement of "
            "intermediate (physician, nurse series) or above.",
        ),
        (
            {"grade": "intermediate"},
            "252",
            True,
            "Professional title: Associate Chief Nurse, meets the requirement of intermediate or above.",
        ),
    ],
)
def test_min_title_admits_only_the_series_of_the_rule(params, title, passed, message):
    assert judged(spec("min_title", params), Facts(title_code=title)) == (passed, False, message)


def test_title_or_residency_of_a_series_says_when_the_title_is_of_another():
    rule = spec("title_or_residency", {"grade": "intermediate", "series": ["physician"], "residency": True})
    assert judged(rule, Facts(title_code="253")) == (
        False,
        False,
        "Residency training not completed, and the title Nurse-in-charge is not in the physician series.",
    )
    assert judged(rule, Facts(title_code="253", residency_completed=True))[0] is True


def test_title_series_in_chinese():
    with translation.override("zh-hans"):
        message = one(spec("min_title", {"code": "253"}), Facts(title_code="233")).message
    assert ("主治医师" in message, "主管护师" in message) == (True, True)


# ---------------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize(
    ("kind", "params", "facts", "fact"),
    [
        ("min_education", {"code": "21", "verified": True}, Facts(education_code="14"), "education"),
        ("min_title", {"grade": "intermediate", "verified": True}, Facts(title_code="233"), "title"),
        (
            "licence_years",
            {"years": 3, "verified": True},
            Facts(licence_obtained_on=dt.date(2020, 1, 1)),
            "licence",
        ),
    ],
)
def test_a_rule_requiring_verification_is_pending_until_the_fact_is_verified(kind, params, facts, fact):
    unverified = one(spec(kind, params), facts)
    verified = one(spec(kind, params), dataclasses.replace(facts, verified=frozenset({fact})))
    assert [(o.passed, o.pending) for o in (unverified, verified)] == [(False, True), (True, False)]


def test_the_pending_verification_message_says_which_fact():
    rule = spec("min_title", {"grade": "intermediate", "verified": True})
    assert judged(rule, Facts(title_code="233", verified=frozenset({"education"}))) == (
        False,
        False,
        "Professional title: Attending Physician, meets the requirement of intermediate or above. "
        "Pending: the unit has yet to verify the professional title against the original.",
    )


def test_a_rule_requiring_verification_still_fails_a_person_who_does_not_meet_it():
    outcome = one(spec("min_title", {"grade": "intermediate", "verified": True}), Facts(title_code="234"))
    assert (outcome.passed, outcome.pending) == (False, False)


# ---------------------------------------------------------------------------------------------- licence and title years


@pytest.mark.parametrize(
    ("obtained", "passed", "message"),
    [
        (
            dt.date(2022, 7, 1),
            False,
            "Practising licence held for 2 full years on 2025-06-30: fewer than the required 3.",
        ),
        (
            dt.date(2022, 6, 30),
            True,
            "Practising licence held for 3 full years on 2025-06-30: meets the requirement of 3.",
        ),
        (None, False, "No practising licence (or its date) on 2025-06-30: 3 full years are required."),
        (dt.date(2025, 7, 1), False, "No practising licence (or its date) on 2025-06-30: 3 full years are required."),
    ],
)
def test_licence_years_in_whole_years_on_the_reference_date(obtained, passed, message):
    assert judged(spec("licence_years", {"years": 3}), Facts(licence_obtained_on=obtained)) == (passed, False, message)


@pytest.mark.parametrize(
    ("facts", "passed", "message"),
    [
        (
            Facts(title_code="233", title_obtained_on=dt.date(2020, 7, 1)),
            False,
            "intermediate or above held for 4 full years on 2025-06-30: fewer than the required 5.",
        ),
        (
            Facts(title_code="233", title_obtained_on=dt.date(2020, 6, 30)),
            True,
            "intermediate or above held for 5 full years on 2025-06-30: meets the requirement of 5.",
        ),
        # The earliest qualifying title counts: attending since 2018, associate chief since 2024.
        (
            Facts(
                title_code="232",
                title_obtained_on=dt.date(2024, 1, 1),
                earlier_titles=(("234", dt.date(2012, 1, 1)), ("233", dt.date(2018, 1, 1))),
            ),
            True,
            "intermediate or above held for 7 full years on 2025-06-30: meets the requirement of 5.",
        ),
        (
            Facts(title_code="234", title_obtained_on=dt.date(2010, 1, 1)),
            False,
            "No title of intermediate or above held on 2025-06-30: 5 full years are required.",
        ),
        (
            Facts(title_code="233"),
            False,
            "The date the current title was obtained is not given: years at intermediate or above cannot be counted.",
        ),
    ],
)
def test_title_years_from_the_earliest_qualifying_title(facts, passed, message):
    assert judged(spec("title_years", {"grade": "intermediate", "years": 5}), facts) == (passed, False, message)


def test_title_years_counts_only_titles_of_the_series():
    rule = spec("title_years", {"code": "253", "years": 2})
    nurse_later = Facts(
        title_code="253", title_obtained_on=dt.date(2024, 1, 1), earlier_titles=(("233", dt.date(2015, 1, 1)),)
    )
    assert one(rule, nurse_later).passed is False


# ---------------------------------------------------------------------------------------------- language results

IELTS_6 = {"test": "ielts", "min_score": "6.0", "valid_years": 2}


def lang(test: str, score: str | None = None, level: str = "", taken: dt.date | None = dt.date(2024, 9, 1)):
    return LanguageResult(test=test, score=Decimal(score) if score else None, level=level, taken_on=taken)


@pytest.mark.parametrize(
    ("results", "passed", "message"),
    [
        ((lang("ielts", "6.5"),), True, "IELTS 6.5 (taken on 2024-09-01): meets the requirement of 6.0."),
        ((lang("ielts", "6.0"),), True, "IELTS 6.0 (taken on 2024-09-01): meets the requirement of 6.0."),
        ((lang("ielts", "5.5"),), False, "IELTS 5.5: below the requirement of 6.0."),
        ((lang("toefl", "100"),), False, "No IELTS result given: 6.0 is required."),
        ((), False, "No IELTS result given: 6.0 is required."),
        (
            (lang("ielts", "7.0", taken=dt.date(2023, 6, 30)),),
            False,
            "IELTS 7.0 taken on 2023-06-30 is no longer valid on 2025-06-30 (valid for 2 years).",
        ),
        (
            (lang("ielts", "7.0", taken=dt.date(2023, 7, 1)),),
            True,
            "IELTS 7.0 (taken on 2023-07-01): meets the requirement of 6.0.",
        ),
        (
            (lang("ielts", "7.0", taken=None),),
            False,
            "IELTS 7.0: the date taken is not given, so its validity of 2 years cannot be checked.",
        ),
        # The best result counts: an expired 7.0 and a valid 6.5.
        (
            (lang("ielts", "7.0", taken=dt.date(2020, 1, 1)), lang("ielts", "6.5")),
            True,
            "IELTS 6.5 (taken on 2024-09-01): meets the requirement of 6.0.",
        ),
        (
            (lang("ielts", "7.0", taken=dt.date(2025, 7, 1)),),
            False,
            "IELTS 7.0 was taken on 2025-07-01, after the reference date 2025-06-30.",
        ),
    ],
)
def test_language_result_by_score_and_validity(results, passed, message):
    assert judged(spec("language_result", IELTS_6), Facts(languages=results)) == (passed, False, message)


@pytest.mark.parametrize(
    ("level", "passed"), [("A1", False), ("B1", False), ("B2", True), ("C1", True), ("C2", True), ("", False)]
)
def test_language_result_by_cefr_level_in_order(level, passed):
    rule = spec("language_result", {"test": "assessment", "min_level": "B2"})
    assert one(rule, Facts(languages=(lang("assessment", level=level),))).passed is passed


def test_language_result_by_score_or_level():
    rule = spec("language_result", {"test": "delf_dalf", "min_score": "50", "min_level": "B2"})
    by_level = Facts(languages=(lang("delf_dalf", level="C1", taken=None),))
    assert judged(rule, by_level) == (True, False, "DELF/DALF C1: meets the requirement of 50 or B2.")


def test_language_result_of_an_unknown_test_is_misconfigured():
    assert judged(spec("language_result", {"test": "klingon", "min_score": "1"}), Facts()) == (
        False,
        False,
        "This condition is not set up correctly (There is no language test “klingon”.): "
        "the commission must correct it.",
    )


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"test": "ielts"}, ["min_score"]),
        ({"test": "ielts", "min_score": "abc"}, ["min_score"]),
        ({"test": "ielts", "min_level": "B3"}, ["min_level"]),
        ({"test": "ielts", "min_score": "6", "valid_years": 0}, ["valid_years"]),
        ({"min_score": "6"}, ["test"]),
    ],
)
def test_language_result_params_problems(params, keys):
    assert [p.key for p in params_problems("language_result", params)] == keys


# ---------------------------------------------------------------------------------------------- employer tags


def test_employer_tag_with_names_given_by_the_caller():
    ranks = dataclasses.replace(
        RANKS, names={**RANKS.names, ("tag", "mountain-island"): ("山区海岛县", "Mountain or island county")}
    )
    rule = spec("employer_tag", {"any_of": ["mountain-island", "underdeveloped"]})
    with translation.override("en"):
        held = evaluate([rule], Facts(employer_tags=frozenset({"mountain-island", "x"})), AS_OF, ranks).rules[0]
        none = evaluate([rule], Facts(employer_tags=frozenset({"x"})), AS_OF, ranks).rules[0]
        assert [(o.passed, o.message) for o in (held, none)] == [
            (True, "The employer is: Mountain or island county."),
            (False, "The employer is none of: Mountain or island county, underdeveloped."),
        ]


def test_a_seed_note_in_the_params_is_ignored_by_the_engine():
    # {"code": "21", "text": "本科以上"} as the Wenzhou seed writes it: the form refuses the key, the engine
    # judges the rule by its known keys so the seed verdicts stay.
    assert judged(spec("min_education", {"code": "21", "text": "本科以上"}), Facts(education_code="21"))[0] is True
