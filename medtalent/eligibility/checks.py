"""The rule kinds of the eligibility engine: for each kind, how a rule of it is prepared once (`build`, its
parameters resolved and checked) into a check that judges one person's `Facts` on a day. Pure Python: no queries.

A check is built once per rule and called once per person. Outcomes that depend only on a code or a count are
made once per distinct value and shared: an Outcome is never changed. A group (all_of, any_of, not) is built
with its children's checks and combines their outcomes in three-valued logic: passed, pending, failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from medtalent.catalog.rule_params import CEFR_LEVELS, PARAM_KEYS, RELAXED, params_problems
from medtalent.codes.ranks import Ranks
from medtalent.eligibility.facts import Facts, LanguageResult, Outcome, RuleSpec, age_on
from medtalent.eligibility.reasons import (
    age_fail,
    age_pass,
    age_unknown,
    confirmed_message,
    designation_message,
    education_message,
    employer_tag_message,
    group_message,
    incident_message,
    language_result_message,
    licence_years_message,
    management_message,
    misconfigured_message,
    problem_unknown_code,
    relaxed_message,
    residency_pass,
    teaching_message,
    title_message,
    title_or_residency_fail,
    title_years_message,
    unchecked_message,
    unverified_message,
)
from medtalent.people.enums import LanguageTest

Check = Callable[[Facts, dt.date], Outcome]

# A cache of outcomes keyed by per-person values (a group's children, a language result) stops growing here.
CACHE_LIMIT = 4096


def _memo(made: dict, key: Hashable, make: Callable[[], Outcome]) -> Outcome:
    outcome = made.get(key)
    if outcome is None:
        outcome = make()
        if len(made) < CACHE_LIMIT:
            made[key] = outcome
    return outcome


def _max_age(spec: RuleSpec, ranks: Ranks) -> Check:
    limit = spec.params["years"]
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    unknown = Outcome(rid, kind, False, blocking, "", False, (age_unknown, (spec, limit)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        birth = facts.birth_date
        if birth is None:
            return unknown
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        if age <= limit:
            return Outcome(rid, kind, True, blocking, "", False, (age_pass, (spec, birth, age, day, limit)))
        return Outcome(rid, kind, False, blocking, "", False, (age_fail, (spec, birth, age, day, limit)))

    return check


def _min_education(spec: RuleSpec, ranks: Ranks) -> Check:
    need = spec.params["code"]
    need_rank = ranks.education.get(need)
    if need_rank is None:
        return _misconfigured(spec, [problem_unknown_code("education", need)])
    rid, kind, blocking, education = spec.id, spec.kind, spec.blocking, ranks.education
    made: dict[str, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = facts.education_code
        outcome = made.get(have)
        if outcome is None:
            passed = education.get(have, -1) >= need_rank
            render = (education_message, (ranks, have, need, passed))
            outcome = made[have] = Outcome(rid, kind, passed, blocking, "", False, render)
        return outcome

    return check


def _required_title(spec: RuleSpec, ranks: Ranks) -> tuple[int, frozenset[str] | None] | list:
    """The rank a title must reach and the series it must be in (None: any), or the problems."""
    params = spec.params
    if params.get("grade"):
        rank = ranks.grades.get(params["grade"])
        if rank is None:
            return [problem_unknown_code("grade", params["grade"])]
        return rank, frozenset(params.get("series") or ()) or None
    code = params.get("code", "")
    rank = ranks.title.get(code)
    if rank is None:
        return [problem_unknown_code("title", code)]
    series = ranks.title_series(code)
    return rank, frozenset({series}) if series else None


def _title_qualifies(ranks: Ranks, need_rank: int, series: frozenset[str] | None) -> Callable[[str], bool]:
    titles, title_series = ranks.title, ranks.series

    def qualifies(code: str) -> bool:
        return titles.get(code, -1) >= need_rank and (series is None or title_series.get(code) in series)

    return qualifies


def _min_title(spec: RuleSpec, ranks: Ranks) -> Check:
    need = _required_title(spec, ranks)
    if isinstance(need, list):
        return _misconfigured(spec, need)
    qualifies = _title_qualifies(ranks, *need)
    rid, kind, blocking, params = spec.id, spec.kind, spec.blocking, spec.params
    made: dict[str, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = facts.title_code
        outcome = made.get(have)
        if outcome is None:
            passed = qualifies(have)
            render = (title_message, (ranks, params, have, passed))
            outcome = made[have] = Outcome(rid, kind, passed, blocking, "", False, render)
        return outcome

    return check


def _title_or_residency(spec: RuleSpec, ranks: Ranks) -> Check:
    need = _required_title(spec, ranks)
    if isinstance(need, list):
        return _misconfigured(spec, need)
    qualifies = _title_qualifies(ranks, *need)
    rid, kind, blocking, params = spec.id, spec.kind, spec.blocking, spec.params
    residency_counts = params.get("residency", True)
    residency = Outcome(rid, kind, True, blocking, "", False, (residency_pass, ()))
    made: dict[str, Outcome] = {}

    def judge(have: str) -> Outcome:
        if qualifies(have):
            return Outcome(rid, kind, True, blocking, "", False, (title_message, (ranks, params, have, True)))
        if not residency_counts:
            return Outcome(rid, kind, False, blocking, "", False, (title_message, (ranks, params, have, False)))
        return Outcome(rid, kind, False, blocking, "", False, (title_or_residency_fail, (ranks, params, have)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = facts.title_code
        outcome = made.get(have)
        if outcome is None:
            outcome = made[have] = judge(have)
        if not outcome.passed and residency_counts and facts.residency_completed:
            return residency
        return outcome

    return check


def _title_years(spec: RuleSpec, ranks: Ranks) -> Check:
    need = _required_title(spec, ranks)
    if isinstance(need, list):
        return _misconfigured(spec, need)
    qualifies = _title_qualifies(ranks, *need)
    rid, kind, blocking, params = spec.id, spec.kind, spec.blocking, spec.params
    years = params["years"]
    made: dict[tuple, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        since = None
        if facts.title_obtained_on and facts.title_obtained_on <= day and qualifies(facts.title_code):
            since = facts.title_obtained_on
        for code, obtained in facts.earlier_titles:
            if obtained <= day and (since is None or obtained < since) and qualifies(code):
                since = obtained
        if since is None:
            # Not held on the day, or held without a date: which one the message says.
            undated = qualifies(facts.title_code) and facts.title_obtained_on is None
            key: tuple = ("none", undated, day)
            return _memo(
                made,
                key,
                lambda: Outcome(
                    rid, kind, False, blocking, "", False, (title_years_message, (ranks, params, None, day, undated))
                ),
            )
        held = age_on(since, day)
        return _memo(
            made,
            (held, day),
            lambda: Outcome(
                rid, kind, held >= years, blocking, "", False, (title_years_message, (ranks, params, held, day, False))
            ),
        )

    return check


def _licence_years(spec: RuleSpec, ranks: Ranks) -> Check:
    years = spec.params["years"]
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    made: dict[tuple, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        obtained = facts.licence_obtained_on
        held = age_on(obtained, day) if obtained is not None and obtained <= day else None
        outcome = made.get((held, day))
        if outcome is None:
            passed = held is not None and held >= years
            outcome = Outcome(rid, kind, passed, blocking, "", False, (licence_years_message, (held, years, day)))
            if len(made) < CACHE_LIMIT:
                made[(held, day)] = outcome
        return outcome

    return check


def _min_management_years(spec: RuleSpec, ranks: Ranks) -> Check:
    need = spec.params["years"]
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    made: dict[int, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = facts.admin_years
        outcome = made.get(have)
        if outcome is None:
            passed = have >= need
            render = (management_message, (have, need, passed))
            outcome = made[have] = Outcome(rid, kind, passed, blocking, "", False, render)
        return outcome

    return check


def _yes_no(spec: RuleSpec, message: Callable[[bool], str], passes: Callable[[Facts], bool]) -> Check:
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    yes = Outcome(rid, kind, True, blocking, "", False, (message, (True,)))
    no = Outcome(rid, kind, False, blocking, "", False, (message, (False,)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        return yes if passes(facts) else no

    return check


def _teaching_experience(spec: RuleSpec, ranks: Ranks) -> Check:
    return _yes_no(spec, teaching_message, lambda facts: facts.teaching_experience)


def _no_serious_incident(spec: RuleSpec, ranks: Ranks) -> Check:
    return _yes_no(spec, incident_message, lambda facts: not facts.serious_incident)


def _any_code(
    spec: RuleSpec, ranks: Ranks, message: Callable[..., str], held_of: Callable[[Facts], frozenset[str]]
) -> Check:
    """Passes when the person holds one of the codes in `any_of` (designations, employer tags)."""
    wanted = tuple(spec.params["any_of"])
    wanted_set = frozenset(wanted)
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    none = Outcome(rid, kind, False, blocking, "", False, (message, (ranks, wanted, False)))
    made: dict[frozenset[str], Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = held_of(facts)
        if wanted_set.isdisjoint(have):
            return none
        held = wanted_set & have
        outcome = made.get(held)
        if outcome is None:
            codes = tuple(c for c in wanted if c in held)
            render = (message, (ranks, codes, True))
            outcome = made[held] = Outcome(rid, kind, True, blocking, "", False, render)
        return outcome

    return check


def _designation(spec: RuleSpec, ranks: Ranks) -> Check:
    return _any_code(spec, ranks, designation_message, lambda facts: facts.designations)


def _employer_tag(spec: RuleSpec, ranks: Ranks) -> Check:
    return _any_code(spec, ranks, employer_tag_message, lambda facts: facts.employer_tags)


# Language results: how one result stands against the rule.
MEETS, BELOW, EXPIRED, UNDATED = "meets", "below", "expired", "undated"


def _language_result(spec: RuleSpec, ranks: Ranks) -> Check:
    params = spec.params
    test = params["test"]
    if test not in LanguageTest.values:
        return _misconfigured(spec, [problem_unknown_code("language_test", test)])
    min_score = Decimal(str(params["min_score"]).strip()) if params.get("min_score") not in (None, "") else None
    min_level = CEFR_LEVELS.index(params["min_level"]) if params.get("min_level") else None
    valid_years = params.get("valid_years")
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    none = Outcome(rid, kind, False, blocking, "", False, (language_result_message, (params, None, None, None)))
    made: dict[tuple, Outcome] = {}

    def meets(result: LanguageResult) -> bool:
        if min_score is not None and result.score is not None and result.score >= min_score:
            return True
        return min_level is not None and result.level in CEFR_LEVELS and CEFR_LEVELS.index(result.level) >= min_level

    def standing(result: LanguageResult, day: dt.date) -> str:
        if result.taken_on is not None and result.taken_on > day:
            return EXPIRED  # taken after the reference date: does not count on it
        if not meets(result):
            return BELOW
        if valid_years is None:
            return MEETS
        if result.taken_on is None:
            return UNDATED
        return MEETS if age_on(result.taken_on, day) < valid_years else EXPIRED

    def check(facts: Facts, day: dt.date) -> Outcome:
        best: tuple[int, LanguageResult, str] | None = None
        for result in facts.languages:
            if result.test != test:
                continue
            state = standing(result, day)
            order = (MEETS, EXPIRED, UNDATED, BELOW).index(state)
            if best is None or order < best[0]:
                best = (order, result, state)
        if best is None:
            return none
        _, result, state = best
        return _memo(
            made,
            (result, state, day),
            lambda: Outcome(
                rid, kind, state == MEETS, blocking, "", False, (language_result_message, (params, result, state, day))
            ),
        )

    return check


def _unchecked(spec: RuleSpec, ranks: Ranks) -> Check:
    """A condition the facts cannot show (health, conduct, language ability without a score): pending until the
    unit confirms it for the application (its id in `Facts.confirmed`)."""
    rid = spec.id
    pending = Outcome(rid, spec.kind, False, spec.blocking, "", False, (unchecked_message, (spec,)), True)
    confirmed = Outcome(rid, spec.kind, True, spec.blocking, "", False, (confirmed_message, (spec,)), False, (), True)

    def check(facts: Facts, day: dt.date) -> Outcome:
        return confirmed if rid in facts.confirmed else pending

    return check


def _misconfigured(spec: RuleSpec, problems: list) -> Check:
    """A rule whose parameters cannot be used fails (a blocking one blocks) and says why."""
    outcome = Outcome(spec.id, spec.kind, False, spec.blocking, "", False, (misconfigured_message, (problems,)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        return outcome

    return check


def _combine(kind: str, outcomes: tuple[Outcome, ...]) -> str:
    """A group's state from its children's, in three-valued logic: all_of fails when one fails, any_of holds
    when one holds, not (none of) fails when one holds; otherwise pending when one is pending."""
    passed = any(o.passed for o in outcomes)
    pending = any(o.pending for o in outcomes)
    if kind == "all_of":
        failed = any(not o.passed and not o.pending for o in outcomes)
        return "failed" if failed else "pending" if pending else "passed"
    if kind == "any_of":
        return "passed" if passed else "pending" if pending else "failed"
    return "failed" if passed else "pending" if pending else "passed"  # not


def _group(spec: RuleSpec, ranks: Ranks) -> Check:
    children = [build(child, ranks) for child in spec.children]
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    made: dict[tuple[Outcome, ...], Outcome] = {}

    def make(outcomes: tuple[Outcome, ...]) -> Outcome:
        state = _combine(kind, outcomes)
        render = (group_message, (spec, state, outcomes))
        return Outcome(rid, kind, state == "passed", blocking, "", False, render, state == "pending", outcomes)

    def check(facts: Facts, day: dt.date) -> Outcome:
        outcomes = tuple([child(facts, day) for child in children])
        outcome = made.get(outcomes)
        if outcome is None:
            outcome = make(outcomes)
            if len(made) < CACHE_LIMIT:
                made[outcomes] = outcome
        return outcome

    return check


def _relaxing(check: Check, levels: frozenset[str]) -> Check:
    made: dict[tuple[Outcome, str], Outcome] = {}

    def relaxed(facts: Facts, day: dt.date) -> Outcome:
        outcome = check(facts, day)
        level = facts.employer_level
        if outcome.passed or outcome.pending or level not in levels:
            return outcome
        key = (outcome, level)
        result = made.get(key)
        if result is None:
            render = (relaxed_message, (outcome._render, level))
            result = Outcome(
                outcome.rule_id, outcome.kind, True, outcome.blocking, "", True, render, False, outcome.children
            )
            if len(made) < CACHE_LIMIT:
                made[key] = result
        return result

    return relaxed


def _verifying(check: Check, fact: str) -> Check:
    """A rule with "verified": true holds only when the unit verified the fact it reads: until then, a person
    who meets it is pending."""
    made: dict[Outcome, Outcome] = {}

    def verified(facts: Facts, day: dt.date) -> Outcome:
        outcome = check(facts, day)
        if not outcome.passed or fact in facts.verified:
            return outcome
        result = made.get(outcome)
        if result is None:
            render = (unverified_message, (outcome._render, fact))
            result = Outcome(outcome.rule_id, outcome.kind, False, outcome.blocking, "", outcome.relaxed, render, True)
            if len(made) < CACHE_LIMIT:
                made[outcome] = result
        return result

    return verified


BUILDERS: dict[str, Callable[[RuleSpec, Ranks], Check]] = {
    "all_of": _group,
    "any_of": _group,
    "not": _group,
    "max_age": _max_age,
    "min_education": _min_education,
    "min_title": _min_title,
    "title_or_residency": _title_or_residency,
    "title_years": _title_years,
    "licence_years": _licence_years,
    "min_management_years": _min_management_years,
    "teaching_experience": _teaching_experience,
    "no_serious_incident": _no_serious_incident,
    "designation": _designation,
    "employer_tag": _employer_tag,
    "language_result": _language_result,
}

# The fact a kind reads when its rule requires it verified ("verified": true).
VERIFIED_FACT = {"min_education": "education", "min_title": "title", "licence_years": "licence"}


def build(spec: RuleSpec, ranks: Ranks) -> Check:
    """The check of one rule (a group: with its children's). A parameter key the kind does not know is refused by
    the admin form but ignored here (rules saved before the form checked keys, e.g. a seed's `text:` note, keep
    their verdicts); every other problem makes the rule misconfigured."""
    accepted = PARAM_KEYS.get(spec.kind, ())
    problems: list[Any] = [
        p for p in params_problems(spec.kind, spec.params) if p.key is None or p.key in accepted or p.key == RELAXED
    ]
    if problems:
        return _misconfigured(spec, problems)
    check = BUILDERS.get(spec.kind, _unchecked)(spec, ranks)
    levels = frozenset(spec.params.get("relaxed_for_levels") or ())
    if levels:
        check = _relaxing(check, levels)
    if spec.params.get("verified") and spec.kind in VERIFIED_FACT:
        check = _verifying(check, VERIFIED_FACT[spec.kind])
    return check
