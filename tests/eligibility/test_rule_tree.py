"""Rules that compose: all-of, any-of and not groups of rules, judged in three states (passed, pending,
failed), with each group's reason naming the alternative that held or why none did; rule ids; seed files
that write a tree. The engine alone needs no database; the loader tests do."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from medtalent.catalog.loaders import load_programmes
from medtalent.catalog.models import EligibilityRule
from medtalent.codes.selectors import code_ranks
from medtalent.core.seeding import SeedDataError, SeedReport
from medtalent.eligibility.engine import compile_rules, evaluate
from medtalent.eligibility.facts import Facts, LanguageResult, Outcome, RuleSpec, assign_ids, spec_id
from medtalent.eligibility.selectors import rules_for
from tests.eligibility.test_engine import AS_OF, RANKS


def rule(kind: str, params: dict | None = None, *children: RuleSpec, blocking: bool = True, **kw) -> RuleSpec:
    return RuleSpec(id="", kind=kind, params=params or {}, blocking=blocking, children=children, **kw)


def with_ids(*specs: RuleSpec) -> list[RuleSpec]:
    return assign_ids("city", specs)


def top(specs: list[RuleSpec], facts: Facts) -> Outcome:
    result = evaluate(specs, facts, AS_OF, RANKS)
    return (result.rules or result.priority)[0]


def english(outcome: Outcome) -> str:
    with translation.override("en"):
        return outcome.message


def ielts(score: str) -> LanguageResult:
    return LanguageResult("ielts", Decimal(score), "", dt.date(2024, 9, 1))


# "IELTS 6.0, or TOEFL 80, or the commission's own language assessment at B2"
LANGUAGE = rule(
    "any_of",
    {},
    rule("language_result", {"test": "ielts", "min_score": "6.0", "valid_years": 2}),
    rule("language_result", {"test": "toefl", "min_score": "80", "valid_years": 2}),
    rule("language_result", {"test": "assessment", "min_level": "B2"}),
    text_en="IELTS 6.0, or TOEFL 80, or the commission's assessment at B2",
)
# "attending physician, or residency completed and a practising licence held for at least 3 years"
CLINICAL = rule(
    "any_of",
    {},
    rule("min_title", {"code": "233"}),
    rule(
        "all_of",
        {},
        rule("title_or_residency", {"grade": "senior", "residency": True}),
        rule("licence_years", {"years": 3}),
    ),
)


# ---------------------------------------------------------------------------------------------- ids


def test_ids_of_a_tree_follow_the_contract():
    specs = with_ids(
        rule("max_age", {"years": 50}),
        LANGUAGE,
        rule("max_age", {"years": 45}, blocking=False),
        rule("health"),
        rule("health"),
    )
    flat = []

    def walk(spec: RuleSpec) -> None:
        flat.append(spec.id)
        for child in spec.children:
            walk(child)

    for spec in specs:
        walk(spec)
    assert flat == [
        "city:max_age",
        "city:any_of",
        "city:language_result:3",
        "city:language_result:4",
        "city:language_result:5",
        "city:max_age:priority",
        "city:health:7",
        "city:health:8",
    ]


def test_spec_id():
    assert [
        spec_id("wz-bysh", "min_title", True, 2, unique_kind=True),
        spec_id("wz-bysh-leading", "designation", False, 2, unique_kind=True),
        spec_id("wz-bysh", "language_result", True, 4, unique_kind=False),
    ] == ["wz-bysh:min_title", "wz-bysh-leading:designation:priority", "wz-bysh:language_result:4"]


# ---------------------------------------------------------------------------------------------- any of


@pytest.mark.parametrize(
    ("languages", "passed", "message"),
    [
        (
            (ielts("6.5"),),
            True,
            "Met by one of the alternatives: IELTS 6.5 (taken on 2024-09-01): meets the requirement of 6.0.",
        ),
        (
            (LanguageResult("assessment", None, "B2", dt.date(2025, 1, 10)),),
            True,
            "Met by one of the alternatives: Commission's language assessment B2 (taken on 2025-01-10): meets the "
            "requirement of B2.",
        ),
        (
            (ielts("5.5"), LanguageResult("toefl", Decimal("79"), "", dt.date(2024, 9, 1))),
            False,
            "None of the alternatives is met: IELTS 5.5: below the requirement of 6.0. TOEFL 79: below the "
            "requirement of 80. No Commission's language assessment result given: B2 is required.",
        ),
    ],
)
def test_any_of_three_language_alternatives_names_the_one_that_held_or_why_none_did(languages, passed, message):
    outcome = top(with_ids(LANGUAGE), Facts(languages=languages))
    assert (outcome.passed, outcome.pending, english(outcome)) == (passed, False, message)


def test_a_group_outcome_holds_its_childrens_outcomes_in_as_dict():
    outcome = top(with_ids(LANGUAGE), Facts(languages=(ielts("6.5"),)))
    with translation.override("en"):
        data = outcome.as_dict()
    assert (data["rule"], data["kind"], data["passed"], data["pending"]) == ("city:any_of", "any_of", True, False)
    assert [(c["rule"], c["passed"], c["pending"], "children" in c) for c in data["children"]] == [
        ("city:language_result:2", True, False, False),
        ("city:language_result:3", False, False, False),
        ("city:language_result:4", False, False, False),
    ]


@pytest.mark.parametrize(
    ("facts", "passed"),
    [
        (Facts(title_code="233"), True),  # attending physician
        (Facts(title_code="234", residency_completed=True, licence_obtained_on=dt.date(2022, 6, 30)), True),
        (Facts(title_code="234", residency_completed=True, licence_obtained_on=dt.date(2022, 7, 1)), False),
        (Facts(title_code="234", licence_obtained_on=dt.date(2015, 1, 1)), False),
        (Facts(title_code="253"), False),  # a nurse-in-charge is not an attending physician
    ],
)
def test_attending_or_residency_and_three_years_of_licence(facts, passed):
    assert top(with_ids(CLINICAL), facts).passed is passed


def test_the_failed_all_of_inside_an_any_of_says_what_is_missing():
    facts = Facts(title_code="234", residency_completed=True, licence_obtained_on=dt.date(2024, 1, 1))
    assert english(top(with_ids(CLINICAL), facts)) == (
        "None of the alternatives is met: Professional title: Physician, below the requirement of Attending "
        "Physician or above. Not met: Practising licence held for 1 full years on 2025-06-30: fewer than the "
        "required 3."
    )


# ---------------------------------------------------------------------------------------------- pending


@pytest.mark.parametrize(
    ("kind", "facts", "status"),
    [
        # any_of: one alternative holds → passed; else one pending → pending; else failed.
        ("any_of", Facts(title_code="233"), "passed"),
        ("any_of", Facts(title_code="234"), "pending"),
        ("any_of", Facts(title_code="234", confirmed=frozenset({"city:language:3"})), "passed"),
        # all_of: one fails → failed; else one pending → pending.
        ("all_of", Facts(title_code="234"), "failed"),
        ("all_of", Facts(title_code="233"), "pending"),
        ("all_of", Facts(title_code="233", confirmed=frozenset({"city:language:3"})), "passed"),
        # not: one holds → failed; else one pending → pending; else passed.
        ("not", Facts(title_code="233"), "failed"),
        ("not", Facts(title_code="234"), "pending"),
        ("not", Facts(title_code="234", confirmed=frozenset({"city:language:3"})), "failed"),
    ],
)
def test_groups_in_three_states(kind, facts, status):
    tree = rule(kind, {}, rule("min_title", {"grade": "intermediate"}), rule("language"))
    outcome = top(with_ids(tree), facts)
    assert outcome.status == status


def test_a_pending_any_of_says_what_the_unit_checks():
    tree = rule("any_of", {}, rule("language_result", {"test": "ielts", "min_score": "6"}), rule("language"))
    specs = with_ids(
        dataclasses.replace(
            tree, children=(tree.children[0], dataclasses.replace(tree.children[1], text_en="Oral English interview"))
        )
    )
    outcome = top(specs, Facts())
    assert (outcome.pending, english(outcome)) == (
        True,
        "None of the alternatives is met yet; to be checked by the unit: Checked by the unit: Oral English interview",
    )
    result = evaluate(specs, Facts(), AS_OF, RANKS)
    assert (result.eligible, result.status, [o.rule_id for o in result.pending]) == (False, "pending", ["city:any_of"])


# ---------------------------------------------------------------------------------------------- not, empty groups


def test_not_excludes_and_says_why():
    tree = rule("not", {}, rule("designation", {"any_of": ["D01"]}))
    held = top(with_ids(tree), Facts(designations=frozenset({"D01"})))
    free = top(with_ids(tree), Facts())
    assert [(o.passed, english(o)) for o in (held, free)] == [
        (False, "Excluded: Holds: National talent programme."),
        (True, "None of the excluding conditions applies: Holds none of: National talent programme."),
    ]


@pytest.mark.parametrize(
    ("kind", "passed", "message"),
    [
        ("all_of", True, "This group has no conditions."),
        ("any_of", False, "This group has no alternatives: it cannot be met."),
        ("not", True, "This group has no conditions."),
    ],
)
def test_empty_groups(kind, passed, message):
    outcome = top(with_ids(rule(kind)), Facts())
    assert (outcome.passed, outcome.pending, english(outcome)) == (passed, False, message)


def test_an_unknown_parameter_key_is_refused_by_the_form_but_ignored_by_the_engine():
    # The admin form refuses it (params_problems); a rule saved before (a seed's `text:` note) keeps its verdict.
    outcome = top(with_ids(rule("all_of", {"years": 3}, rule("teaching_experience"))), Facts(teaching_experience=True))
    assert (outcome.passed, english(outcome)) == (
        True,
        "All of these are met: Has clinical teaching or education-management experience.",
    )


def test_a_group_with_a_bad_relaxation_is_misconfigured():
    outcome = top(with_ids(rule("any_of", {"relaxed_for_levels": ["5"]}, rule("teaching_experience"))), Facts())
    assert (outcome.passed, english(outcome)) == (
        False,
        "This condition is not set up correctly (The hospital levels to relax for must be chosen among 3, 2 and "
        "1.): the commission must correct it.",
    )


# ---------------------------------------------------------------------------------------------- relaxation


@pytest.mark.parametrize(("level", "passed", "relaxed"), [("2", True, True), ("3", False, False)])
def test_a_group_is_relaxed_for_the_levels_it_names(level, passed, relaxed):
    tree = rule("any_of", {"relaxed_for_levels": ["2"]}, rule("min_title", {"grade": "intermediate"}))
    outcome = top(with_ids(tree), Facts(title_code="234", employer_level=level))
    assert (outcome.passed, outcome.relaxed, len(outcome.children)) == (passed, relaxed, 1)


def test_the_relaxed_group_message_gives_the_reason_and_the_relaxation():
    tree = rule("any_of", {"relaxed_for_levels": ["2"]}, rule("min_title", {"grade": "intermediate"}))
    assert english(top(with_ids(tree), Facts(title_code="234", employer_level="2"))) == (
        "None of the alternatives is met: Professional title: Physician, below the requirement of intermediate "
        "or above. The requirement is relaxed for secondary hospitals."
    )


def test_relaxation_never_turns_a_pending_group_into_a_pass():
    tree = rule("any_of", {"relaxed_for_levels": ["2"]}, rule("min_title", {"grade": "intermediate"}), rule("health"))
    outcome = top(with_ids(tree), Facts(title_code="234", employer_level="2"))
    assert (outcome.passed, outcome.pending, outcome.relaxed) == (False, True, False)


def test_a_relaxed_child_holds_inside_its_group():
    tree = rule("all_of", {}, rule("min_title", {"grade": "intermediate", "relaxed_for_levels": ["2"]}))
    outcome = top(with_ids(tree), Facts(title_code="234", employer_level="2"))
    assert (outcome.passed, outcome.relaxed, outcome.children[0].relaxed) == (True, False, True)


# ---------------------------------------------------------------------------------------------- prepared once


def test_a_compiled_tree_judges_many_people_like_evaluate_and_shares_outcomes():
    specs = with_ids(rule("max_age", {"years": 50}), LANGUAGE, CLINICAL, rule("health", blocking=False))
    people = [
        Facts(birth_date=dt.date(1980, 1, 1), title_code="233", languages=(ielts("6.5"),)),
        Facts(birth_date=dt.date(1960, 1, 1), title_code="234", residency_completed=True),
        Facts(title_code="253", languages=(LanguageResult("assessment", None, "C1", None),)),
        Facts(title_code="233", languages=(ielts("6.5"),)),
    ]
    policy = compile_rules(specs, RANKS)
    with translation.override("en"):
        once = [evaluate(specs, p, AS_OF, RANKS).as_dict() for p in people]
        results = [policy.evaluate(p, AS_OF) for p in people]
        many = [r.as_dict() for r in results]
    assert many == once
    # The same children give the very same group outcome (prepared once, shared).
    assert results[0].rules[1] is results[3].rules[1]


# ---------------------------------------------------------------------------------------------- seed files


TREE_YAML = """\
code: tree-city-training
name_zh: 树状条件测试项目
owner: zj-hc
programme_type: overseas_fellowship
rules:
  - kind: max_age
    params: {years: 50}
  - kind: any_of
    text_zh: 雅思6.0或托福80或卫健委外语评估B2
    rules:
      - kind: language_result
        params: {test: ielts, min_score: "6.0", valid_years: 2}
      - kind: language_result
        params: {test: toefl, min_score: "80", valid_years: 2}
      - kind: language_result
        params: {test: assessment, min_level: B2}
  - kind: any_of
    rules:
      - kind: min_title
        params: {code: "233"}
      - kind: all_of
        rules:
          - kind: title_or_residency
            params: {grade: senior, residency: true}
          - kind: licence_years
            params: {years: 3}
"""


@pytest.mark.django_db
def test_a_seed_file_writes_a_tree_and_loading_it_twice_changes_nothing(tmp_path):
    (tmp_path / "tree.yaml").write_text(TREE_YAML, encoding="utf-8")
    (programme,) = load_programmes(SeedReport(), data_dir=tmp_path)
    again = SeedReport()
    load_programmes(again, data_dir=tmp_path)

    rows = EligibilityRule.objects.filter(programme=programme).order_by("pk")
    assert [(r.kind, r.parent.kind if r.parent else None, r.sort) for r in rows] == [
        ("max_age", None, 10),
        ("any_of", None, 20),
        ("language_result", "any_of", 10),
        ("language_result", "any_of", 20),
        ("language_result", "any_of", 30),
        ("any_of", None, 30),
        ("min_title", "any_of", 10),
        ("all_of", "any_of", 20),
        ("title_or_residency", "all_of", 10),
        ("licence_years", "all_of", 20),
    ]
    assert again.changed is False
    specs = rules_for(programme=programme)
    result = evaluate(
        specs, Facts(birth_date=dt.date(1980, 1, 1), title_code="233", languages=(ielts("7"),)), AS_OF, RANKS
    )
    assert [(o.rule_id, o.passed, [c.rule_id for c in o.children]) for o in result.rules] == [
        ("tree-city-training:max_age", True, []),
        (
            "tree-city-training:any_of:2",
            True,
            [
                "tree-city-training:language_result:3",
                "tree-city-training:language_result:4",
                "tree-city-training:language_result:5",
            ],
        ),
        ("tree-city-training:any_of:6", True, ["tree-city-training:min_title:7", "tree-city-training:all_of:8"]),
    ]


@pytest.mark.django_db
def test_a_seed_rule_that_is_not_a_group_cannot_hold_rules(tmp_path):
    text = TREE_YAML.replace(
        "  - kind: max_age\n    params: {years: 50}\n",
        "  - kind: max_age\n    params: {years: 50}\n    rules: [{kind: health}]\n",
    )
    (tmp_path / "tree.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SeedDataError, match="tree-city-training.*a max_age rule cannot hold rules"):
        load_programmes(SeedReport(), data_dir=tmp_path)


@pytest.mark.django_db
def test_two_top_level_rules_of_one_kind_are_still_refused_but_two_groups_are_not(tmp_path):
    text = TREE_YAML + "  - kind: max_age\n    params: {years: 45}\n"
    (tmp_path / "tree.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SeedDataError, match="two blocking max_age rules for one owner"):
        load_programmes(SeedReport(), data_dir=tmp_path)


@pytest.mark.django_db
def test_the_title_series_come_from_the_code_table():
    ranks = code_ranks()
    by_series = {s: sorted(c for c, v in ranks.series.items() if v == s) for s in set(ranks.series.values())}
    assert by_series == {
        "physician": ["230", "231", "232", "233", "234", "235"],
        "pharmacist": ["240", "241", "242", "243", "244", "245"],
        "nurse": ["250", "251", "252", "253", "254", "255"],
        "technician": ["260", "261", "262", "263", "264", "265"],
    }
    nurses = with_ids(rule("min_title", {"code": "253"}))
    doctors = with_ids(rule("min_title", {"code": "233"}))
    judged = [
        evaluate(specs, Facts(title_code=title), AS_OF, ranks).rules[0].passed
        for specs, title in ((nurses, "233"), (nurses, "252"), (doctors, "252"), (doctors, "232"))
    ]
    assert judged == [False, True, False, True]
