"""Reads for eligibility: a programme's (and category's) rules as RuleSpecs (trees: groups hold their children),
a person's Facts, and the result for an application, a batch of applications, or a code given to the API.

A round keeps the rule set it opened with: at its first submission `eligibility.services.round_freeze_rules`
stores the programme's and every category's rules in `Round.rule_snapshot` (`rule_snapshot_for`), and from then
on every evaluation for that round reads the snapshot, whatever the rules become. A submitted application's
verdict is the one stored with it (`Application.eligibility_snapshot`, see `eligibility_shown_for_application`).

The code-table ranks and names come from `codes.selectors.code_ranks` (kept per process for a few minutes and
forgotten by `clear_code_caches` when the code tables change).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Case, Model, Q, Value, When, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.catalog.models import Category, EligibilityRule, Programme
from medtalent.catalog.selectors import programmes_visible_to
from medtalent.codes.selectors import code_ranks
from medtalent.eligibility.engine import Policy, evaluate
from medtalent.eligibility.facts import (
    CATEGORY,
    PROGRAMME,
    Facts,
    LanguageResult,
    Result,
    RuleSpec,
    assign_ids,
    spec_id,
)
from medtalent.orgs.models import Tag
from medtalent.orgs.selectors import tag_codes_for_organisation, tag_codes_for_organisations
from medtalent.people.enums import VerifiedFact
from medtalent.people.selectors import fact_value

# The version of `Round.rule_snapshot`'s layout (see `rule_snapshot_for`).
SNAPSHOT_VERSION = 1


def _pk(obj: Model | int | None) -> int | None:
    return obj.pk if isinstance(obj, Model) else obj


# ---- Rules as RuleSpecs ---------------------------------------------------------------------------------------


def _owner(rule: EligibilityRule):
    owner = rule.category if rule.category_id else rule.programme
    if owner is None:  # the table's check constraint gives every rule a programme or a category
        raise ValueError(f"Eligibility rule {rule.pk} has neither a programme nor a category")
    return owner


def rule_spec(rule: EligibilityRule, *, rule_id: str = "", children: tuple[RuleSpec, ...] = ()) -> RuleSpec:
    """The engine's view of one rule. Needs `rule.programme` or `rule.category` loaded (select_related). Without
    `rule_id`, the id a top-level rule has when its kind is unique in its owner ("<owner>:<kind>[:priority]");
    `rule_specs` gives every rule its id by the scheme of `facts.assign_ids`."""
    owner = _owner(rule)
    return RuleSpec(
        id=rule_id or spec_id(owner.code, rule.kind, rule.is_blocking, 0, unique_kind=True),
        kind=rule.kind,
        params=rule.params if isinstance(rule.params, dict) else {},
        blocking=rule.is_blocking,
        text_zh=rule.text_zh,
        text_en=rule.text_en,
        scope=CATEGORY if rule.category_id else PROGRAMME,
        owner_name_zh=owner.name_zh,
        owner_name_en=owner.name_en,
        children=children,
    )


def _owner_tree(rules: list[EligibilityRule]) -> list[RuleSpec]:
    """One owner's rules as trees, in order (sort, id) at each level, with their ids (`facts.assign_ids`). A rule
    whose group is not among the owner's rules, or that sits in a loop of groups, is read as a top-level rule."""
    if not rules:
        return []
    rules = sorted(rules, key=lambda r: (r.sort, r.pk))
    known = {r.pk for r in rules}
    children: dict[int, list[EligibilityRule]] = {}
    roots: list[EligibilityRule] = []
    for rule in rules:
        if rule.parent_id is not None and rule.parent_id in known and rule.parent_id != rule.pk:
            children.setdefault(rule.parent_id, []).append(rule)
        else:
            roots.append(rule)
    placed: set[int] = set()

    def place(rule: EligibilityRule) -> None:
        placed.add(rule.pk)
        for child in children.get(rule.pk, ()):
            if child.pk not in placed:
                place(child)

    for rule in roots:
        place(rule)
    for rule in rules:  # a loop of groups reaches no top-level rule: its first rule becomes one
        if rule.pk not in placed:
            roots.append(rule)
            place(rule)
    root_ids = {r.pk for r in roots}
    built: set[int] = set()

    def tree(rule: EligibilityRule) -> RuleSpec:
        built.add(rule.pk)
        inner = tuple(
            tree(child) for child in children.get(rule.pk, ()) if child.pk not in built and child.pk not in root_ids
        )
        return rule_spec(rule, children=inner)

    return assign_ids(_owner(rules[0]).code, [tree(rule) for rule in roots])


def rule_specs(rules: Iterable[EligibilityRule]) -> list[RuleSpec]:
    """Rules of one or several owners as the engine reads them: the programme's general conditions first, then
    the category's own, each owner's as trees (`_owner_tree`). Needs programme/category loaded."""
    by_owner: dict[tuple[bool, int | None], list[EligibilityRule]] = {}
    for rule in rules:
        key = (True, rule.category_id) if rule.category_id else (False, rule.programme_id)
        by_owner.setdefault(key, []).append(rule)
    specs: list[RuleSpec] = []
    for key in sorted(by_owner, key=lambda k: (k[0], k[1] or 0)):
        specs.extend(_owner_tree(by_owner[key]))
    return specs


def _rules_query(owners: Q):
    return EligibilityRule.objects.filter(owners).select_related("programme", "category")


def _live_rules(*, programme: Programme | int, category: Category | int | None) -> list[RuleSpec]:
    owners = Q(programme_id=_pk(programme))
    if category is not None:
        owners |= Q(category_id=_pk(category), category__programme_id=_pk(programme))
    return rule_specs(_rules_query(owners))


def rules_for(*, programme: Programme | int, category: Category | int | None = None, round_=None) -> list[RuleSpec]:
    """The rules that apply to an application to `programme` in `category`: the programme's general
    conditions, then the category's own. With a `round_` whose rules are frozen: the rules it opened with (no
    query). Otherwise one query."""
    if isinstance(category, Category) and category.programme_id != _pk(programme):
        raise ValueError(f"category {category.code} does not belong to programme {_pk(programme)}")
    if round_ is not None and round_.rule_snapshot:
        frozen = frozen_rules(round_.rule_snapshot, category_id=_pk(category))
        if frozen is not None:
            return frozen
    return _live_rules(programme=programme, category=category)


# ---- The rules a round opened with ------------------------------------------------------------------------------


def spec_as_dict(spec: RuleSpec) -> dict[str, Any]:
    """A RuleSpec as JSON (its children too), read back by `spec_from_dict`."""
    data = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name != "children"}
    data["params"] = dict(spec.params)
    data["children"] = [spec_as_dict(child) for child in spec.children]
    return data


_SPEC_FIELDS = frozenset(f.name for f in dataclasses.fields(RuleSpec))


def spec_from_dict(data: dict[str, Any]) -> RuleSpec:
    values = {key: value for key, value in data.items() if key in _SPEC_FIELDS and key != "children"}
    return RuleSpec(**values, children=tuple(spec_from_dict(child) for child in data.get("children") or ()))


def rule_snapshot_for(*, programme: Programme | int) -> dict[str, Any]:
    """The rule set of a programme as `Round.rule_snapshot` keeps it: the programme's rules and each category's
    (trees, with the names the messages use), and each category's duration limits. Two queries (three given an id).

        {"version": 1,
         "programme": {"id", "code", "name_zh", "name_en", "rules": [spec, …]},
         "categories": [{"id", "code", "name_zh", "name_en", "duration_min", "duration_max", "duration_unit",
                         "rules": [spec, …]}, …]}

    A spec is `spec_as_dict`: id, kind, params, blocking, text_zh/en, scope, owner_name_zh/en, children."""
    if isinstance(programme, Programme):
        programme_row = programme
    else:
        programme_row = Programme.objects.only("pk", "code", "name_zh", "name_en").get(pk=programme)
    programme_id = programme_row.pk
    rules = list(_rules_query(Q(programme_id=programme_id) | Q(category__programme_id=programme_id)))
    categories = list(Category.objects.filter(programme_id=programme_id).order_by("sort", "code"))
    own = [r for r in rules if r.category_id is None]
    return {
        "version": SNAPSHOT_VERSION,
        "programme": {
            "id": programme_row.pk,
            "code": programme_row.code,
            "name_zh": programme_row.name_zh,
            "name_en": programme_row.name_en,
            "rules": [spec_as_dict(s) for s in rule_specs(own)],
        },
        "categories": [
            {
                "id": c.pk,
                "code": c.code,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "duration_min": c.duration_min,
                "duration_max": c.duration_max,
                "duration_unit": c.duration_unit,
                "rules": [spec_as_dict(s) for s in rule_specs(r for r in rules if r.category_id == c.pk)],
            }
            for c in categories
        ],
    }


def frozen_rules(snapshot: dict[str, Any], *, category_id: int | None) -> list[RuleSpec] | None:
    """The rules of a frozen round for an application in `category_id` (None: the programme's alone): the
    programme's, then the category's. None when the category is not in the snapshot (added after the round
    opened): the caller then reads the live rules."""
    specs = [spec_from_dict(s) for s in snapshot.get("programme", {}).get("rules", [])]
    if category_id is None:
        return specs
    for category in snapshot.get("categories", []):
        if category.get("id") == category_id:
            return specs + [spec_from_dict(s) for s in category.get("rules", [])]
    return None


def frozen_category_duration(round_, category: Category) -> tuple[int | None, int | None, str]:
    """A category's (shortest, longest, unit) duration as the round opened with it; the category's own when the
    round's rules are not frozen or the category is newer."""
    for frozen in (round_.rule_snapshot or {}).get("categories", []):
        if frozen.get("id") == category.pk:
            return frozen.get("duration_min"), frozen.get("duration_max"), frozen.get("duration_unit", "")
    return category.duration_min, category.duration_max, category.duration_unit


# ---- Facts from a profile -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _score(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if _NUMBER.match(text) else None


def verification_value(person, fact: str) -> str:
    """THE value a verification of `fact` (people.enums.VerifiedFact) is made of, and held against: the title's
    code, the education's code, or the licence as "<obtained on ISO>|<number>"; "" when the profile does not
    state it. A FactVerification holds while its `value` equals this. (The one definition lives in
    `people.selectors.fact_value`; this is the name the eligibility engine's callers use.)"""
    return fact_value(person, fact)


def verified_from(person, verifications: Iterable) -> frozenset[str]:
    """The facts whose verification (FactVerification rows of the person) was made of the current value."""
    verified = set()
    for verification in verifications:
        if verification.fact in VerifiedFact.values:
            current = verification_value(person, verification.fact)
            if current and current == verification.value:
                verified.add(verification.fact)
    return frozenset(verified)


def facts_for_person(person, *, employer_tags: frozenset[str] | None = None, confirmed: Iterable[str] = ()) -> Facts:
    """The facts the rules look at. Reads person.education, .title and .employer (select_related them),
    person.designations, .language_certificates, .title_records (with their title) and .verifications (prefetch
    them) to stay within a fixed number of queries. `employer_tags`: the employer's tag codes when the caller
    has them (`orgs.selectors.tag_codes_for_organisations`); else read here. `confirmed`: the rule ids the unit
    confirmed for the application judged."""
    incident = person.serious_incident_confirmed
    prefetch_related_objects([person], "title_records__title")  # nothing when already prefetched
    if employer_tags is None:
        employer_tags = tag_codes_for_organisation(person.employer_id) if person.employer_id else frozenset()
    return Facts(
        birth_date=person.birth_date,
        education_code=person.education.code if person.education_id else "",
        title_code=person.title.code if person.title_id else "",
        residency_completed=person.residency_completed,
        admin_years=person.admin_years or 0,
        teaching_experience=person.teaching_experience,
        employer_level=(person.employer.level or "")[:1] if person.employer_id else "",
        serious_incident=incident is True or (person.serious_incident_declared and incident is None),
        designations=frozenset(d.code for d in person.designations.all()),
        languages=tuple(
            LanguageResult(test=c.test, score=_score(c.score), level=c.level or "", taken_on=c.taken_on)
            for c in person.language_certificates.all()
        ),
        licence_obtained_on=person.licence_obtained_on,
        title_obtained_on=person.title_obtained_on,
        earlier_titles=tuple((r.title.code, r.obtained_on) for r in person.title_records.all()),
        employer_tags=frozenset(employer_tags),
        verified=verified_from(person, person.verifications.all()),
        confirmed=frozenset(confirmed),
    )


def _confirmed(application) -> frozenset[str]:
    if application.pk is None:  # a draft not saved (the category chooser): nothing confirmed yet
        return frozenset()
    return frozenset(c.rule for c in application.rule_confirmations.all())


# ---- Results ----------------------------------------------------------------------------------------------------


def as_of_for_round(round_) -> dt.date:
    """The day a round judges eligibility on: its reference date, closing day or start; else today."""
    return round_.eligibility_date or timezone.localdate()


def eligibility_for_application(*, application) -> Result:
    """The application's person judged against its round's programme and its category, on the round's date:
    with the rules the round opened with when they are frozen."""
    round_ = application.round
    specs = rules_for(programme=round_.programme_id, category=application.category_id, round_=round_)
    facts = facts_for_person(application.person, confirmed=_confirmed(application))
    return evaluate(specs, facts, as_of_for_round(round_), code_ranks())


def eligibility_shown_for_application(*, application) -> Result | dict[str, Any]:
    """What a page shows as the application's eligibility: the verdict stored when it was submitted (a dict,
    `Result.as_dict()`; it never changes afterwards), or, for an application not submitted yet, the result now.
    The template `eligibility/_result.html` reads both."""
    if application.submitted_at is not None and application.eligibility_snapshot:
        return application.eligibility_snapshot
    return eligibility_for_application(application=application)


APPLICATION_RELATIONS = (
    "round",
    "person",
    "person__education",
    "person__title",
    "person__employer",
    "person__designations",
    "person__language_certificates",
    "person__title_records__title",
    "person__verifications",
    "rule_confirmations",
)


def eligibility_for_applications(*, applications: Iterable) -> dict[int, Result]:
    """Results for many applications (a unit's list), keyed by application id, in a fixed number of queries:
    the relations not already loaded (one query each), the employers' tags (at most three) and every live rule
    involved (one query; none when every round's rules are frozen)."""
    applications = list(applications)
    if not applications:
        return {}
    prefetch_related_objects(applications, *APPLICATION_RELATIONS)
    tags = tag_codes_for_organisations({a.person.employer_id for a in applications if a.person.employer_id})
    frozen: dict[tuple[int, int | None], list[RuleSpec] | None] = {}
    for application in applications:
        at = (application.round_id, application.category_id)
        if at not in frozen:
            snapshot = application.round.rule_snapshot
            frozen[at] = frozen_rules(snapshot, category_id=at[1]) if snapshot else None
    live = {(a.round.programme_id, a.category_id) for a in applications if frozen[(a.round_id, a.category_id)] is None}
    rules: list[EligibilityRule] = []
    if live:
        programme_ids = {p for p, _ in live}
        category_ids = {c for _, c in live if c}
        rules = list(_rules_query(Q(programme_id__in=programme_ids) | Q(category_id__in=category_ids)))
    ranks = code_ranks()
    policies: dict[tuple, Policy] = {}
    results = {}
    for application in applications:
        round_ = application.round
        specs = frozen[(application.round_id, application.category_id)]
        programme_id, category_id = round_.programme_id, application.category_id
        key: tuple = ("live", programme_id, category_id) if specs is None else ("round", round_.pk, category_id)
        if key not in policies:
            if specs is None:
                own = [
                    r for r in rules if r.programme_id == programme_id or (category_id and r.category_id == category_id)
                ]
                specs = rule_specs(own)
            policies[key] = Policy(specs, ranks)
        person = application.person
        facts = facts_for_person(
            person, employer_tags=tags.get(person.employer_id, frozenset()), confirmed=_confirmed(application)
        )
        results[application.pk] = policies[key].evaluate(facts, as_of_for_round(round_))
    return results


def eligibility_by_category_for_person(*, person, round_) -> list[tuple[Category | None, Result]]:
    """For a category chooser: each category of the round's programme (or None when it has none) with the
    person's result, exactly as `eligibility_for_application` would give it (with the round's frozen rules
    when it has them). The person's facts are read once and all the rules in one query, however many
    categories there are."""
    programme_id = round_.programme_id
    categories: list[Category | None] = list(
        Category.objects.filter(programme_id=programme_id).order_by("sort", "code")
    )
    snapshot = round_.rule_snapshot or None
    rules: list[EligibilityRule] | None = None
    facts = facts_for_person(person)
    as_of = as_of_for_round(round_)
    ranks = code_ranks()
    rows = []
    for category in categories or [None]:
        category_id = category.pk if category is not None else None
        specs = frozen_rules(snapshot, category_id=category_id) if snapshot else None
        if specs is None:
            if rules is None:
                rules = list(_rules_query(Q(programme_id=programme_id) | Q(category__programme_id=programme_id)))
            specs = rule_specs(r for r in rules if r.category_id is None or r.category_id == category_id)
        rows.append((category, evaluate(specs, facts, as_of, ranks)))
    return rows


def eligibility_for_category_code(*, user, code: str, facts: Facts, as_of: dt.date) -> Result:
    """Judge `facts` against a programme's general conditions (a programme code) or against those and a
    category's own rules (a category code), among the programmes `user` may see: the rules as they are now.
    Two queries; Http404 when the code names nothing visible."""
    programme = (
        programmes_visible_to(user=user)
        .filter(Q(code=code) | Q(categories__code=code))
        .annotate(exact=Case(When(code=code, then=Value(0)), default=Value(1)))
        .order_by("exact", "pk")
        .only("pk", "code")
        .first()
    )
    if programme is None:
        # Translators: 中文：没有代码为 %(code)s 的项目或人才类别
        raise Http404(_("No programme or category has the code %(code)s.") % {"code": code})
    owners = Q(programme=programme)
    if programme.code != code:
        owners |= Q(category__code=code, category__programme=programme)
    return evaluate(rule_specs(_rules_query(owners)), facts, as_of, code_ranks())


def unknown_tag_codes(codes: Iterable[str]) -> list[str]:
    """The codes among `codes` that are not organisation tags (orgs.Tag), in the order given. One query."""
    codes = list(dict.fromkeys(codes))
    known = set(Tag.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    return [c for c in codes if c not in known]
