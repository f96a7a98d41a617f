"""Eligibility selectors: rules from the database, facts from a profile, results for applications."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from medtalent.applications.models import Application
from medtalent.catalog.models import Category, EligibilityRule, Programme, Round
from medtalent.codes.models import Code, CodeTable
from medtalent.codes.selectors import code_ranks
from medtalent.eligibility.facts import CATEGORY, PROGRAMME, Facts
from medtalent.eligibility.selectors import (
    eligibility_by_category_for_person,
    eligibility_for_application,
    eligibility_for_applications,
    facts_for_person,
    rules_for,
)

pytestmark = pytest.mark.django_db

WENZHOU_GENERAL = [
    "wz-bysh:min_education",
    "wz-bysh:min_title",
    "wz-bysh:no_serious_incident",
    "wz-bysh:language",
    "wz-bysh:health",
]


def test_designation_table_is_medtalents_own_with_stable_codes():
    table = CodeTable.objects.get(slug="designation")
    assert (table.standard, table.version, table.source.startswith("Not a national standard")) == (
        "MedTalent",
        "2026.1",
        True,
    )
    codes = list(Code.objects.filter(table=table).order_by("sort").values_list("code", "name_zh"))
    assert codes[:3] == [
        ("D01", "国家级人才项目"),
        ("D02", "省卫生高层次领军人才培养对象"),
        ("D03", "省级以上卫生高层次人才"),
    ]
    assert [c for c, _ in codes] == [f"D{n:02d}" for n in range(1, 18)]
    assert all(name for name in Code.objects.filter(table=table).values_list("name_en", flat=True))


def test_every_designation_a_seed_rule_names_is_in_the_table():
    named = {
        code
        for params in Category.objects.filter(rules__kind="designation").values_list("rules__params", flat=True)
        for code in params["any_of"]
    }
    known = set(Code.objects.filter(table__slug="designation").values_list("code", flat=True))
    assert (len(named), named - known) == (17, set())


def test_code_ranks_from_the_seeded_tables():
    ranks = code_ranks()
    assert (ranks.education["21"], ranks.education["22"], ranks.education["31"], ranks.education["11"]) == (
        70,
        67,
        60,
        100,
    )
    assert (ranks.title["233"], ranks.title["253"], ranks.title["234"], "230" in ranks.title) == (30, 30, 20, False)
    assert ranks.grades == {"senior": 50, "associate_senior": 40, "intermediate": 30, "junior": 20, "assistant": 10}
    assert ranks.grade_names["intermediate"] == ("中级", "intermediate")
    assert ranks.names[("designation", "D09")] == ("医坛新秀培养项目", '"Rising Stars of Medicine" programme')


def test_rules_for_a_category_are_the_programme_rules_then_the_categorys(django_assert_num_queries):
    programme = Programme.objects.get(code="wz-bysh")
    category = Category.objects.get(code="wz-bysh-clinical")
    with django_assert_num_queries(1):
        specs = rules_for(programme=programme, category=category)
    assert [(s.id, s.blocking, s.scope) for s in specs] == [
        *[(rule_id, True, PROGRAMME) for rule_id in WENZHOU_GENERAL],
        ("wz-bysh-clinical:max_age", True, CATEGORY),
        ("wz-bysh-clinical:designation:priority", False, CATEGORY),
        ("wz-bysh-clinical:max_age:priority", False, CATEGORY),
    ]
    assert (specs[5].params, specs[5].owner_name_zh, specs[5].text_zh) == (
        {"years": 50},
        "临床骨干人才",
        "年龄原则上不超过50周岁",
    )


def test_rules_for_a_programme_alone_are_its_general_conditions():
    assert [s.id for s in rules_for(programme=Programme.objects.get(code="wz-bysh"))] == WENZHOU_GENERAL
    assert [s.id for s in rules_for(programme=Programme.objects.get(code="gx-excellent-young"))] == [
        "gx-excellent-young:max_age",
        "gx-excellent-young:title_or_residency",
        "gx-excellent-young:health",
    ]


def test_rules_for_refuses_a_category_of_another_programme():
    with pytest.raises(ValueError, match="does not belong"):
        rules_for(
            programme=Programme.objects.get(code="gx-excellent-young"),
            category=Category.objects.get(code="wz-bysh-leading"),
        )


def _rule(owner, kind, params=None, *, parent=None, sort=0, blocking=True):
    field = "category" if isinstance(owner, Category) else "programme"
    return EligibilityRule.objects.create(
        **{field: owner}, kind=kind, params=params or {}, parent=parent, sort=sort, is_blocking=blocking
    )


def test_rules_for_builds_groups_as_trees_with_ids_by_position(django_assert_num_queries):
    programme = Programme.objects.get(code="gx-excellent-young")
    EligibilityRule.objects.filter(programme=programme).delete()
    # "attending physician, or residency completed and a licence held for 3 years", then two age rules
    either = _rule(programme, "any_of", sort=1)
    _rule(programme, "min_title", {"grade": "intermediate"}, parent=either, sort=1)
    both = _rule(programme, "all_of", parent=either, sort=2)
    _rule(programme, "title_or_residency", {"grade": "intermediate", "residency": True}, parent=both, sort=1)
    _rule(programme, "licence_years", {"years": 3}, parent=both, sort=2)
    _rule(programme, "max_age", {"years": 45}, sort=2)
    _rule(programme, "max_age", {"years": 40}, sort=3)
    _rule(programme, "max_age", {"years": 35}, sort=4, blocking=False)

    with django_assert_num_queries(1):
        specs = rules_for(programme=programme)

    def shape(spec):
        return (spec.id, [shape(child) for child in spec.children])

    assert [shape(s) for s in specs] == [
        (
            "gx-excellent-young:any_of",
            [
                ("gx-excellent-young:min_title:2", []),
                (
                    "gx-excellent-young:all_of:3",
                    [("gx-excellent-young:title_or_residency:4", []), ("gx-excellent-young:licence_years:5", [])],
                ),
            ],
        ),
        ("gx-excellent-young:max_age:6", []),
        ("gx-excellent-young:max_age:7", []),
        ("gx-excellent-young:max_age:priority", []),
    ]
    assert (specs[0].children[1].children[1].params, specs[0].children[1].children[1].owner_name_zh) == (
        {"years": 3},
        programme.name_zh,
    )


def test_a_rule_in_a_group_of_another_owner_or_a_loop_is_read_as_top_level():
    programme = Programme.objects.get(code="gx-excellent-young")
    EligibilityRule.objects.filter(programme=programme).delete()
    foreign = _rule(Category.objects.get(code="wz-bysh-leading"), "any_of")
    stray = _rule(programme, "max_age", {"years": 45}, parent=foreign, sort=1)
    first = _rule(programme, "all_of", sort=2)
    second = _rule(programme, "any_of", parent=first, sort=3)
    EligibilityRule.objects.filter(pk=first.pk).update(parent=second)  # a loop: first ⊂ second ⊂ first

    specs = rules_for(programme=programme)

    assert [(s.id, [c.id for c in s.children]) for s in specs] == [
        ("gx-excellent-young:max_age", []),
        ("gx-excellent-young:all_of", ["gx-excellent-young:any_of:3"]),
    ]
    assert stray.parent_id == foreign.pk


@pytest.mark.parametrize(
    ("declared", "confirmed", "serious"),
    [
        (False, None, False),  # nothing declared, not checked
        (False, False, False),
        (False, True, True),  # the unit found one
        (True, None, True),  # declared, not yet cleared
        (True, True, True),
        (True, False, False),  # declared, cleared by the unit
    ],
)
def test_serious_incident_counts_when_confirmed_or_declared_and_not_cleared(
    person_factory, declared, confirmed, serious
):
    person = person_factory(serious_incident_declared=declared, serious_incident_confirmed=confirmed)
    assert facts_for_person(person).serious_incident is serious


def test_facts_for_person(person_factory):
    person = person_factory(
        birth_date=dt.date(1975, 3, 1),
        education="14",
        title="232",
        level="2A",
        designations=("D04", "D09"),
        residency_completed=True,
        admin_years=4,
        teaching_experience=True,
    )
    assert facts_for_person(person) == Facts(
        birth_date=dt.date(1975, 3, 1),
        education_code="14",
        title_code="232",
        residency_completed=True,
        admin_years=4,
        teaching_experience=True,
        employer_level="2",
        serious_incident=False,
        designations=frozenset({"D04", "D09"}),
    )


def test_facts_for_an_incomplete_profile(person_factory):
    person = person_factory(birth_date=None, education="", title="", level="")
    assert facts_for_person(person) == Facts(employer_level="")


def test_eligibility_for_application_uses_the_rounds_reference_date(person_factory, application_factory):
    Round.objects.filter(code="wz-bysh-2025").update(
        application_opens=dt.date(2025, 6, 1), application_closes=dt.date(2025, 6, 30)
    )
    person = person_factory(birth_date=dt.date(1969, 6, 30), designations=("D01",))
    application = application_factory(person=person, round_code="wz-bysh-2025", category_code="wz-bysh-leading")
    result = eligibility_for_application(application=application)
    with translation.override("en"):
        failed = [(o.rule_id, o.message) for o in result.failed]
        assert (result.status, result.as_of, failed, [o.passed for o in result.priority]) == (
            "ineligible",
            dt.date(2025, 6, 30),
            [
                (
                    "wz-bysh-leading:max_age",
                    "Born on 1969-06-30, aged 56 on 2025-06-30: over the age limit of 55 for Leading medical talent.",
                )
            ],
            [True],
        )
    json.dumps(result.as_dict())  # stored as the application's eligibility snapshot

    Round.objects.filter(code="wz-bysh-2025").update(reference_date=dt.date(2025, 6, 29))
    application.refresh_from_db()
    result = eligibility_for_application(application=application)
    # Nothing fails; the unit still checks the language and health conditions.
    assert (result.status, result.failed, [o.rule_id for o in result.pending]) == (
        "pending",
        [],
        ["wz-bysh:language", "wz-bysh:health"],
    )


def test_eligibility_for_application_without_round_dates_is_judged_today(person_factory, application_factory):
    person = person_factory(birth_date=dt.date(1990, 1, 1), title="234", residency_completed=True)
    application = application_factory(person=person, round_code="gx-excellent-young-2025")
    result = eligibility_for_application(application=application)
    assert (result.as_of, result.status, [o.rule_id for o in result.rules], [o.rule_id for o in result.pending]) == (
        timezone.localdate(),
        "pending",
        ["gx-excellent-young:max_age", "gx-excellent-young:title_or_residency", "gx-excellent-young:health"],
        ["gx-excellent-young:health"],
    )


def _applications(application_factory, person_factory, count):
    categories = ["wz-bysh-leading", "wz-bysh-clinical", "wz-bysh-management"]
    made = [
        application_factory(
            person=person_factory(designations=("D01", "D17")), round_code="wz-bysh-2025", category_code=categories[n]
        )
        for n in range(count)
    ]
    made.append(application_factory(person=person_factory(), round_code="gx-excellent-young-2025"))
    return made


@pytest.mark.parametrize("count", [1, 3])
def test_eligibility_for_many_applications_costs_the_same_queries(
    application_factory, person_factory, django_assert_num_queries, count
):
    applications = _applications(application_factory, person_factory, count)
    ids = [a.pk for a in applications]
    code_ranks()

    # applications, rounds, people, education, titles, employers, designations, language certificates, earlier
    # titles, verifications, confirmations, the employers' tags and their regions' tags, rules
    with django_assert_num_queries(14):
        results = eligibility_for_applications(applications=Application.objects.filter(pk__in=ids))
    singles = {a.pk: eligibility_for_application(application=a).as_dict() for a in applications}
    assert {pk: r.as_dict() for pk, r in results.items()} == singles


def test_eligibility_by_category_for_person_matches_each_application(
    person_factory, application_factory, django_assert_num_queries
):
    person = person_factory(birth_date=dt.date(1970, 5, 1), designations=("D01",), admin_years=2)
    Round.objects.filter(code="wz-bysh-2025").update(reference_date=dt.date(2025, 6, 30))
    round_ = Round.objects.select_related("programme").get(code="wz-bysh-2025")
    code_ranks()
    person = type(person).objects.select_related("education", "title", "employer").get(pk=person.pk)
    # categories, rules, designations, language certificates, earlier titles, verifications, the employer's tags
    # and its region's tags
    with django_assert_num_queries(8):
        rows = eligibility_by_category_for_person(person=person, round_=round_)
    singles = [
        eligibility_for_application(
            application=application_factory(person=person, round_code=round_.code, category_code=c.code)
        )
        for c, _ in rows
    ]
    assert [(c.code, r.status) for c, r in rows] == [
        ("wz-bysh-leading", "pending"),
        ("wz-bysh-clinical", "ineligible"),
        ("wz-bysh-innovation", "ineligible"),
        ("wz-bysh-teaching", "ineligible"),
        ("wz-bysh-management", "ineligible"),
    ]
    assert [r.as_dict() for _, r in rows] == [r.as_dict() for r in singles]


def test_eligibility_by_category_for_a_programme_without_categories(person_factory):
    rows = eligibility_by_category_for_person(
        person=person_factory(birth_date=dt.date(1990, 1, 1)), round_=Round.objects.get(code="gx-excellent-young-2025")
    )
    assert [(c, r.status, len(r.rules)) for c, r in rows] == [(None, "pending", 3)]
