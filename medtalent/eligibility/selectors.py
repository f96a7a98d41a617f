"""Reads for eligibility: a programme's (and category's) rules as RuleSpecs, a person's Facts, and the result
for an application, a batch of applications, or a code given to the API.

The code-table ranks and names come from `codes.selectors.code_ranks` (kept per process for a few minutes and
forgotten by `clear_code_caches` when the code tables change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, Model, Q, Value, When, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.catalog.models import Category, EligibilityRule, Programme
from medtalent.catalog.selectors import programmes_visible_to
from medtalent.codes.selectors import code_ranks
from medtalent.eligibility.engine import Policy, evaluate
from medtalent.eligibility.facts import CATEGORY, PROGRAMME, Facts, Result, RuleSpec


def _pk(obj: Model | int | None) -> int | None:
    return obj.pk if isinstance(obj, Model) else obj


def rule_spec(rule: EligibilityRule) -> RuleSpec:
    """The engine's view of a rule. Needs `rule.programme` or `rule.category` loaded (select_related)."""
    owner = rule.category if rule.category_id else rule.programme
    if owner is None:  # the table's check constraint gives every rule a programme or a category
        raise ValueError(f"Eligibility rule {rule.pk} has neither a programme nor a category")
    rule_id = f"{owner.code}:{rule.kind}" + ("" if rule.is_blocking else ":priority")
    return RuleSpec(
        id=rule_id,
        kind=rule.kind,
        params=rule.params if isinstance(rule.params, dict) else {},
        blocking=rule.is_blocking,
        text_zh=rule.text_zh,
        text_en=rule.text_en,
        scope=CATEGORY if rule.category_id else PROGRAMME,
        owner_name_zh=owner.name_zh,
        owner_name_en=owner.name_en,
    )


def _ordered_specs(rules: Iterable[EligibilityRule]) -> list[RuleSpec]:
    """Programme rules first, then the category's, each in their own order."""
    rules = sorted(rules, key=lambda r: (r.category_id is not None, r.sort, r.pk))
    return [rule_spec(r) for r in rules]


def rules_for(*, programme: Programme | int, category: Category | int | None = None) -> list[RuleSpec]:
    """The rules that apply to an application to `programme` in `category`: the programme's general
    conditions, then the category's own. One query."""
    if isinstance(category, Category) and category.programme_id != _pk(programme):
        raise ValueError(f"category {category.code} does not belong to programme {_pk(programme)}")
    owners = Q(programme_id=_pk(programme))
    if category is not None:
        owners |= Q(category_id=_pk(category), category__programme_id=_pk(programme))
    return _ordered_specs(EligibilityRule.objects.filter(owners).select_related("programme", "category"))


def facts_for_person(person) -> Facts:
    """The facts the rules look at. Reads person.education, .title and .employer (select_related them) and
    person.designations (prefetch it) to stay within a fixed number of queries."""
    confirmed = person.serious_incident_confirmed
    return Facts(
        birth_date=person.birth_date,
        education_code=person.education.code if person.education_id else "",
        title_code=person.title.code if person.title_id else "",
        residency_completed=person.residency_completed,
        admin_years=person.admin_years or 0,
        teaching_experience=person.teaching_experience,
        employer_level=(person.employer.level or "")[:1] if person.employer_id else "",
        serious_incident=confirmed is True or (person.serious_incident_declared and confirmed is None),
        designations=frozenset(d.code for d in person.designations.all()),
    )


def as_of_for_round(round_) -> dt.date:
    """The day a round judges eligibility on: its reference date, closing day or start; else today."""
    return round_.eligibility_date or timezone.localdate()


def eligibility_for_application(*, application) -> Result:
    """The application's person judged against its round's programme and its category, on the round's date."""
    round_ = application.round
    specs = rules_for(programme=round_.programme_id, category=application.category_id)
    return evaluate(specs, facts_for_person(application.person), as_of_for_round(round_), code_ranks())


APPLICATION_RELATIONS = (
    "round",
    "person",
    "person__education",
    "person__title",
    "person__employer",
    "person__designations",
)


def eligibility_for_applications(*, applications: Iterable) -> dict[int, Result]:
    """Results for many applications (a unit's list), keyed by application id, in a fixed number of queries:
    the relations not already loaded (one query each) and every rule involved (one query)."""
    applications = list(applications)
    if not applications:
        return {}
    prefetch_related_objects(applications, *APPLICATION_RELATIONS)
    programme_ids = {a.round.programme_id for a in applications}
    category_ids = {a.category_id for a in applications if a.category_id}
    rules = list(
        EligibilityRule.objects.filter(
            Q(programme_id__in=programme_ids) | Q(category_id__in=category_ids)
        ).select_related("programme", "category")
    )
    ranks = code_ranks()
    policies: dict[tuple[int, int | None], Policy] = {}
    results = {}
    for application in applications:
        key = (application.round.programme_id, application.category_id)
        if key not in policies:
            own = [r for r in rules if r.programme_id == key[0] or (key[1] and r.category_id == key[1])]
            policies[key] = Policy(_ordered_specs(own), ranks)
        results[application.pk] = policies[key].evaluate(
            facts_for_person(application.person), as_of_for_round(application.round)
        )
    return results


def eligibility_by_category_for_person(*, person, round_) -> list[tuple[Category | None, Result]]:
    """For a category chooser: each category of the round's programme (or None when it has none) with the
    person's result, exactly as `eligibility_for_application` would give it. The person's facts are read
    once and all the rules in one query, however many categories there are."""
    programme_id = round_.programme_id
    categories: list[Category | None] = list(
        Category.objects.filter(programme_id=programme_id).order_by("sort", "code")
    )
    rules = list(
        EligibilityRule.objects.filter(
            Q(programme_id=programme_id) | Q(category__programme_id=programme_id)
        ).select_related("programme", "category")
    )
    facts = facts_for_person(person)
    as_of = as_of_for_round(round_)
    ranks = code_ranks()
    rows = []
    for category in categories or [None]:
        own = [r for r in rules if r.category_id is None or (category is not None and r.category_id == category.pk)]
        rows.append((category, evaluate(_ordered_specs(own), facts, as_of, ranks)))
    return rows


def eligibility_for_category_code(*, user, code: str, facts: Facts, as_of: dt.date) -> Result:
    """Judge `facts` against a programme's general conditions (a programme code) or against those and a
    category's own rules (a category code), among the programmes `user` may see. Two queries; Http404 when
    the code names nothing visible."""
    programme = (
        programmes_visible_to(user=user)
        .filter(Q(code=code) | Q(categories__code=code))
        .annotate(exact=Case(When(code=code, then=Value(0)), default=Value(1)))
        .order_by("exact", "pk")
        .only("pk", "code")
        .first()
    )
    if programme is None:
        # Translators: 没有代码为 %(code)s 的项目或人才类别
        raise Http404(_("No programme or category has the code %(code)s.") % {"code": code})
    owners = Q(programme=programme)
    if programme.code != code:
        owners |= Q(category__code=code, category__programme=programme)
    rules = EligibilityRule.objects.filter(owners).select_related("programme", "category")
    return evaluate(_ordered_specs(rules), facts, as_of, code_ranks())
