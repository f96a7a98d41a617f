"""The eligibility engine: rules as data, judged against a person's facts, with a reason for each rule.

Pure Python: no queries. `facts` holds what the engine reads and returns (`Facts`, `RuleSpec`, `Outcome`,
`Result`), `reasons` the messages, `checks` how each rule kind judges; this module prepares a set of rules once
and judges with it (`Policy`, `compile_rules`, `evaluate`).

The caller (eligibility.selectors) turns EligibilityRule rows into `RuleSpec`s and a person into `Facts`; the code-table ranks (`codes.ranks.Ranks`) are loaded once by
`codes.selectors.code_ranks`. `evaluate` judges one person; `compile_rules` prepares a set of rules once for
judging many people (the bench, bulk imports).

Every policy number comes from a rule's `params`; the kinds (`checks`) only say how to compare:

    max_age               {"years": 55}             completed years (周岁) on the reference date ≤ years
    min_education         {"code": "21"}            education rank ≥ the rank of that GB/T 4658 code
    min_title             {"grade": "intermediate"} title rank ≥ the grade's (or {"code": "233"}: that title's)
                          "equivalent_allowed": true  the message says the unit may record an exception
    title_or_residency    {"grade": …, "residency": true}  the title, or completed residency training
    min_management_years  {"years": 3}              years of administrative work ≥ years
    teaching_experience   {}                        clinical teaching or education-management experience
    no_serious_incident   {}                        no confirmed (or declared and uncleared) serious incident
    designation           {"any_of": ["D01", …]}    holds one of these talent designations (priority profiles)
    language, health, other                         not checkable from the facts: passes, "the unit checks it"

What each kind's `params` must hold is checked by `catalog.rule_params.params_problems` (in the admin form,
and here: a misconfigured rule is judged as such). Any rule may carry `"relaxed_for_levels": ["2"]`: when it
fails for an employer of such a level (first character of the hospital grade), it passes with `relaxed=True`
and says so.

Messages are rendered when read (`Outcome.message`), in the language active then, so judging many people
costs no translation work and a result computed once reads correctly in Chinese and in English. An outcome
that depends only on a code or a count is made once per policy and shared by everyone it applies to:
outcomes are values, never change one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from medtalent.codes.ranks import Ranks
from medtalent.eligibility.checks import build
from medtalent.eligibility.facts import Facts, Result, RuleSpec


class Policy:
    """A set of rules prepared once, to judge any number of people."""

    __slots__ = ("blocking", "priority")

    def __init__(self, specs: Iterable[RuleSpec], ranks: Ranks) -> None:
        specs = list(specs)
        self.blocking = [build(s, ranks) for s in specs if s.blocking]
        self.priority = [build(s, ranks) for s in specs if not s.blocking]

    def evaluate(self, facts: Facts, as_of: dt.date) -> Result:
        rules = [check(facts, as_of) for check in self.blocking]
        eligible = True
        for outcome in rules:
            if not outcome.passed:
                eligible = False
                break
        return Result(eligible, rules, [check(facts, as_of) for check in self.priority], as_of)


def compile_rules(specs: Iterable[RuleSpec], ranks: Ranks) -> Policy:
    return Policy(specs, ranks)


def evaluate(specs: Iterable[RuleSpec], facts: Facts, as_of: dt.date, ranks: Ranks) -> Result:
    """Judge one person against a programme's (and category's) rules on the reference date `as_of`."""
    return Policy(specs, ranks).evaluate(facts, as_of)
