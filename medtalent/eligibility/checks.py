"""The rule kinds of the eligibility engine: for each kind, how a rule of it is prepared once (`build`, its
parameters resolved and checked) into a check that judges one person's `Facts` on a day. Pure Python: no queries.

A check is built once per rule and called once per person. Outcomes that depend only on a code or a count are
made once per distinct value and shared: an Outcome is never changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from medtalent.catalog.rule_params import params_problems
from medtalent.codes.ranks import Ranks
from medtalent.eligibility.facts import Facts, Outcome, RuleSpec
from medtalent.eligibility.reasons import (
    age_fail,
    age_pass,
    age_unknown,
    designation_message,
    education_message,
    incident_message,
    management_message,
    misconfigured_message,
    relaxed_message,
    residency_pass,
    teaching_message,
    title_message,
    title_or_residency_fail,
    unchecked_message,
)

Check = Callable[[Facts, dt.date], Outcome]


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
        return _misconfigured(spec, [f"unknown education code {need!r}"])
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


def _required_title_rank(spec: RuleSpec, ranks: Ranks) -> int | None:
    if spec.params.get("grade"):
        return ranks.grades.get(spec.params["grade"])
    return ranks.title.get(spec.params.get("code", ""))


def _min_title(spec: RuleSpec, ranks: Ranks) -> Check:
    need_rank = _required_title_rank(spec, ranks)
    if need_rank is None:
        return _misconfigured(spec, ["unknown title grade or code"])
    rid, kind, blocking, params, titles = spec.id, spec.kind, spec.blocking, spec.params, ranks.title
    made: dict[str, Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        have = facts.title_code
        outcome = made.get(have)
        if outcome is None:
            passed = titles.get(have, -1) >= need_rank
            render = (title_message, (ranks, params, have, passed))
            outcome = made[have] = Outcome(rid, kind, passed, blocking, "", False, render)
        return outcome

    return check


def _title_or_residency(spec: RuleSpec, ranks: Ranks) -> Check:
    need_rank = _required_title_rank(spec, ranks)
    if need_rank is None:
        return _misconfigured(spec, ["unknown title grade or code"])
    rid, kind, blocking, params, titles = spec.id, spec.kind, spec.blocking, spec.params, ranks.title
    residency_counts = params.get("residency", True)
    residency = Outcome(rid, kind, True, blocking, "", False, (residency_pass, ()))
    made: dict[str, Outcome] = {}

    def judge(have: str) -> Outcome:
        if titles.get(have, -1) >= need_rank:
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


def _designation(spec: RuleSpec, ranks: Ranks) -> Check:
    wanted = tuple(spec.params["any_of"])
    wanted_set = frozenset(wanted)
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    none = Outcome(rid, kind, False, blocking, "", False, (designation_message, (ranks, wanted, False)))
    made: dict[frozenset[str], Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        if wanted_set.isdisjoint(facts.designations):
            return none
        held = wanted_set & facts.designations
        outcome = made.get(held)
        if outcome is None:
            codes = tuple(c for c in wanted if c in held)
            render = (designation_message, (ranks, codes, True))
            outcome = made[held] = Outcome(rid, kind, True, blocking, "", False, render)
        return outcome

    return check


def _unchecked(spec: RuleSpec, ranks: Ranks) -> Check:
    outcome = Outcome(spec.id, spec.kind, True, spec.blocking, "", False, (unchecked_message, (spec,)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        return outcome

    return check


def _misconfigured(spec: RuleSpec, problems: list[str]) -> Check:
    """A rule whose parameters cannot be used fails (a blocking one blocks) and says why."""
    outcome = Outcome(spec.id, spec.kind, False, spec.blocking, "", False, (misconfigured_message, (problems,)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        return outcome

    return check


def _relaxing(check: Check, levels: frozenset[str]) -> Check:
    made: dict[tuple[Outcome, str], Outcome] = {}

    def relaxed(facts: Facts, day: dt.date) -> Outcome:
        outcome = check(facts, day)
        level = facts.employer_level
        if outcome.passed or level not in levels:
            return outcome
        key = (outcome, level)
        if key not in made:
            render = (relaxed_message, (outcome._render, level))
            made[key] = Outcome(outcome.rule_id, outcome.kind, True, outcome.blocking, "", True, render)
        return made[key]

    return relaxed


BUILDERS: dict[str, Callable[[RuleSpec, Ranks], Check]] = {
    "max_age": _max_age,
    "min_education": _min_education,
    "min_title": _min_title,
    "title_or_residency": _title_or_residency,
    "min_management_years": _min_management_years,
    "teaching_experience": _teaching_experience,
    "no_serious_incident": _no_serious_incident,
    "designation": _designation,
}


def build(spec: RuleSpec, ranks: Ranks) -> Check:
    problems = params_problems(spec.kind, spec.params)
    if problems:
        return _misconfigured(spec, problems)
    check = BUILDERS.get(spec.kind, _unchecked)(spec, ranks)
    levels = frozenset(spec.params.get("relaxed_for_levels") or ())
    return _relaxing(check, levels) if levels else check
