"""The eligibility engine: rules as data, judged against a person's facts, with a reason for each rule.

Pure Python: no queries. `facts` holds what the engine reads and returns (`Facts`, `RuleSpec`, `Outcome`,
`Result`), `reasons` the messages, `checks` how each rule kind judges; this module prepares a set of rules once
and judges with it (`Policy`, `compile_rules`, `evaluate`).

The caller (eligibility.selectors) turns EligibilityRule rows into `RuleSpec`s and a person into `Facts`; the code-table ranks (`codes.ranks.Ranks`) are loaded once by
`codes.selectors.code_ranks`. `evaluate` judges one person; `compile_rules` prepares a set of rules once for
judging many people (the bench, bulk imports).

Every policy number comes from a rule's `params`; the kinds (`checks`) only say how to compare:

    all_of / any_of / not {}                        groups: their `children` all hold / one holds / none holds
    max_age               {"years": 55}             completed years (周岁) on the reference date ≤ years
    min_education         {"code": "21"}            education rank ≥ the rank of that GB/T 4658 code
    min_title             {"grade": "intermediate"} title rank ≥ the grade's (or {"code": "233"}: that title's),
                          "series": ["nurse"]       in those series (by code: only that title's series)
                          "equivalent_allowed": true  the message says the unit may record an exception
    title_or_residency    {"grade": …, "residency": true}  the title, or completed residency training
    title_years           {"grade"|"code", "years": 5}  held a title at that level or above for ≥ years
    licence_years         {"years": 3}              whole years since the practising licence ≥ years
    min_management_years  {"years": 3}              years of administrative work ≥ years
    teaching_experience   {}                        clinical teaching or education-management experience
    no_serious_incident   {}                        no confirmed (or declared and uncleared) serious incident
    designation           {"any_of": ["D01", …]}    holds one of these talent designations (priority profiles)
    employer_tag          {"any_of": ["mountain-island"]}  the employer (or its region) has one of these tags
    language_result       {"test": "ielts", "min_score": "6.0" | "min_level": "B2", "valid_years": 2}
                                                    a result of that test, at least that good, still valid
    language, health, other                         not decidable from the facts: pending, "the unit checks it",
                                                    until the unit confirms the rule (its id in Facts.confirmed)

Three states: passed, pending (`Outcome.pending`), failed. Groups combine them in three-valued logic (all_of
fails when one child fails, any_of holds when one holds, `not` fails when one holds; otherwise pending when one
is pending); an empty all_of or not holds, an empty any_of does not. "verified": true on min_education,
min_title or licence_years makes a person who meets the rule pending until the unit verified that fact
(`Facts.verified`). The result (`Result.status`) is "ineligible" when a blocking rule failed, "pending" when
none failed but one is pending, else "eligible" (`Result.eligible`).

What each kind's `params` must hold is checked by `catalog.rule_params.params_problems` (in the admin form,
and here: a misconfigured rule, or one naming an unknown code, fails and says why). Any rule or group may carry
`"relaxed_for_levels": ["2"]`: when it fails for an employer of such a level (first character of the hospital
grade), it passes with `relaxed=True` and says so.

Messages are rendered when read (`Outcome.message`), in the language active then, so judging many people
costs no translation work and a result computed once reads correctly in Chinese and in English. An outcome
that depends only on a code or a count is made once per policy and shared by everyone it applies to:
outcomes are values, never change one.

Rule ids: `facts.spec_id` / `facts.assign_ids`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from medtalent.codes.ranks import Ranks
from medtalent.eligibility.checks import build
from medtalent.eligibility.facts import Facts, Result, RuleSpec


class Policy:
    """A set of rules prepared once, to judge any number of people. `specs` are the top-level rules (groups hold
    their children in `RuleSpec.children`)."""

    __slots__ = ("blocking", "priority")

    def __init__(self, specs: Iterable[RuleSpec], ranks: Ranks) -> None:
        specs = list(specs)
        self.blocking = [build(s, ranks) for s in specs if s.blocking]
        self.priority = [build(s, ranks) for s in specs if not s.blocking]

    def evaluate(self, facts: Facts, as_of: dt.date) -> Result:
        rules = [check(facts, as_of) for check in self.blocking]
        eligible = True
        for outcome in rules:
            if not outcome.passed:  # failed or pending
                eligible = False
                break
        return Result(eligible, rules, [check(facts, as_of) for check in self.priority], as_of)


def compile_rules(specs: Iterable[RuleSpec], ranks: Ranks) -> Policy:
    return Policy(specs, ranks)


def evaluate(specs: Iterable[RuleSpec], facts: Facts, as_of: dt.date, ranks: Ranks) -> Result:
    """Judge one person against a programme's (and category's) rules on the reference date `as_of`."""
    return Policy(specs, ranks).evaluate(facts, as_of)
