"""The new facts read from a profile: language results, licence and title dates, earlier titles, the employer's
tags (its own and its regions'), verified facts (verified with the value the profile states now) and the rules
the unit confirmed for an application; in a fixed number of queries for a list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medtalent.applications.models import Application, RuleConfirmation
from medtalent.codes.selectors import code_ranks
from medtalent.eligibility.facts import Facts, LanguageResult
from medtalent.eligibility.selectors import (
    eligibility_for_application,
    eligibility_for_applications,
    facts_for_person,
    verification_value,
)
from medtalent.orgs.models import Tag
from medtalent.people.models import FactVerification, LanguageCertificate, TitleRecord
from tests.eligibility.conftest import code, make_application, make_person

pytestmark = pytest.mark.django_db


def full_person(**fields):
    """A profile stating every new fact, its employer in county 330302 of a prefecture tagged mountain-island."""
    person = make_person(
        birth_date=dt.date(1980, 5, 1),
        title="232",
        title_obtained_on=dt.date(2019, 9, 1),
        licence_number="110330300000123",
        licence_obtained_on=dt.date(2008, 7, 1),
        **fields,
    )
    person.employer.region = code("region", "330302")
    person.employer.save(update_fields=["region"])
    mountain = Tag.objects.get_or_create(code="mountain-island", defaults={"name_zh": "山区海岛县"})[0]
    mountain.regions.add(code("region", "330300"))
    tertiary = Tag.objects.get_or_create(code="county-hospital", defaults={"name_zh": "县级医院"})[0]
    person.employer.tags.add(tertiary)
    LanguageCertificate.objects.create(person=person, test="ielts", score="6.5", taken_on=dt.date(2024, 3, 2))
    LanguageCertificate.objects.create(person=person, test="assessment", level="B2", taken_on=dt.date(2023, 5, 6))
    LanguageCertificate.objects.create(person=person, test="other", score="良好", taken_on=dt.date(2020, 1, 1))
    TitleRecord.objects.create(person=person, title=code("title", "233"), obtained_on=dt.date(2012, 9, 1))
    TitleRecord.objects.create(person=person, title=code("title", "234"), obtained_on=dt.date(2007, 9, 1))
    return person


def test_the_new_facts_from_a_profile():
    person = full_person()
    FactVerification.objects.create(person=person, fact="title", value="232")
    FactVerification.objects.create(person=person, fact="education", value="22")  # verified before a change
    FactVerification.objects.create(person=person, fact="licence", value="2008-07-01|110330300000123")

    facts = facts_for_person(person)

    assert facts == Facts(
        birth_date=dt.date(1980, 5, 1),
        education_code="21",
        title_code="232",
        employer_level="3",
        languages=(
            LanguageResult(test="ielts", score=Decimal("6.5"), level="", taken_on=dt.date(2024, 3, 2)),
            LanguageResult(test="assessment", score=None, level="B2", taken_on=dt.date(2023, 5, 6)),
            LanguageResult(test="other", score=None, level="", taken_on=dt.date(2020, 1, 1)),
        ),
        licence_obtained_on=dt.date(2008, 7, 1),
        title_obtained_on=dt.date(2019, 9, 1),
        earlier_titles=(("234", dt.date(2007, 9, 1)), ("233", dt.date(2012, 9, 1))),
        employer_tags=frozenset({"mountain-island", "county-hospital"}),
        verified=frozenset({"title", "licence"}),
    )


@pytest.mark.parametrize(
    ("fact", "value"),
    [("title", "232"), ("education", "21"), ("licence", "2008-07-01|110330300000123")],
)
def test_the_value_a_verification_is_made_of(fact, value):
    assert verification_value(full_person(), fact) == value


def test_an_unstated_fact_has_no_value_and_is_never_verified():
    person = make_person(title="", education="")
    for fact in ("title", "education", "licence"):
        FactVerification.objects.create(person=person, fact=fact, value="")
    assert [verification_value(person, f) for f in ("title", "education", "licence")] == ["", "", ""]
    assert facts_for_person(person).verified == frozenset()


def test_a_changed_fact_is_no_longer_verified():
    person = full_person()
    FactVerification.objects.create(person=person, fact="licence", value=verification_value(person, "licence"))
    person.licence_number = "110330300000999"
    person.save(update_fields=["licence_number"])
    assert facts_for_person(person).verified == frozenset()


def test_the_rules_the_unit_confirmed_count_for_that_application_only():
    person = full_person()
    application = make_application(person=person, round_code="gx-excellent-young-2025")
    other = make_application(person=person, round_code="wz-bysh-2025", category_code="wz-bysh-leading")
    RuleConfirmation.objects.create(application=application, rule="gx-excellent-young:health")

    confirmed = eligibility_for_application(application=application)
    not_confirmed = eligibility_for_application(application=other)

    assert [(o.rule_id, o.pending) for o in confirmed.rules if o.kind == "health"] == [
        ("gx-excellent-young:health", False)
    ]
    assert [(o.rule_id, o.pending) for o in not_confirmed.rules if o.kind == "health"] == [("wz-bysh:health", True)]


def test_a_draft_not_saved_has_nothing_confirmed():
    person = full_person()
    draft = Application(
        person=person, round=make_application(person=person, round_code="gx-excellent-young-2025").round
    )
    assert [o.pending for o in eligibility_for_application(application=draft).rules if o.kind == "health"] == [True]


@pytest.mark.parametrize("count", [1, 3])
def test_a_list_costs_the_same_queries_with_every_new_fact(django_assert_num_queries, count):
    applications = []
    for _ in range(count):
        person = full_person()
        FactVerification.objects.create(person=person, fact="title", value="232")
        application = make_application(person=person, round_code="wz-bysh-2025", category_code="wz-bysh-leading")
        RuleConfirmation.objects.create(application=application, rule="wz-bysh:health")
        applications.append(application)
    code_ranks()

    # applications, rounds, people, education, titles, employers, designations, language certificates, title
    # records and their titles, verifications, confirmations; the employers' own tags, the regions' tags and
    # the employers' regions; the rules
    with django_assert_num_queries(16):
        results = eligibility_for_applications(
            applications=Application.objects.filter(pk__in=[a.pk for a in applications])
        )
    singles = {a.pk: eligibility_for_application(application=a).as_dict() for a in applications}
    assert {pk: r.as_dict() for pk, r in results.items()} == singles
    assert {pk: [o.rule_id for o in r.pending] for pk, r in results.items()} == {
        a.pk: ["wz-bysh:language"] for a in applications
    }
