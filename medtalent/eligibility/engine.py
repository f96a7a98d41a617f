"""The eligibility engine: rules as data, judged against a person's facts, with a reason for each rule.

Pure Python: no queries. The caller (eligibility.selectors) turns EligibilityRule rows into `RuleSpec`s
and a person into `Facts`; the code-table ranks (`codes.ranks.Ranks`) are loaded once by
`codes.selectors.code_ranks`. `evaluate` judges one person; `compile_rules` prepares a set of rules once for
judging many people (the bench, bulk imports).

Every policy number comes from a rule's `params`; the kinds below only say how to compare:

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from medtalent.catalog.enums import RuleKind
from medtalent.catalog.rule_params import params_problems
from medtalent.codes.ranks import Ranks
from medtalent.core.models import pick_language

PROGRAMME = "programme"
CATEGORY = "category"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules look at, taken from a profile (or given to the API)."""

    birth_date: dt.date | None = None
    education_code: str = ""
    title_code: str = ""
    residency_completed: bool = False
    admin_years: int = 0
    teaching_experience: bool = False
    employer_level: str = ""  # "3", "2", "1" or "" (not a graded hospital)
    serious_incident: bool = False  # confirmed, or declared and not cleared by the unit
    designations: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str  # readable and unique: "wz-bysh-leading:max_age", "wz-bysh-clinical:max_age:priority"
    kind: str
    params: dict[str, Any]
    blocking: bool = True
    text_zh: str = ""
    text_en: str = ""
    scope: str = PROGRAMME  # or CATEGORY
    owner_name_zh: str = ""
    owner_name_en: str = ""

    @property
    def text(self) -> str:
        return pick_language(self.text_zh, self.text_en)


class Outcome:
    """How one rule went for one person. `message` is the reason in plain words, rendered when read."""

    __slots__ = ("rule_id", "kind", "passed", "blocking", "relaxed", "_message", "_render", "_rendered")

    def __init__(
        self,
        rule_id: str,
        kind: str,
        passed: bool,
        blocking: bool,
        message: str = "",
        relaxed: bool = False,
        render: tuple[Callable[..., str], tuple] | None = None,
    ) -> None:
        self.rule_id = rule_id
        self.kind = kind
        self.passed = passed
        self.blocking = blocking
        self.relaxed = relaxed
        self._message = message
        self._render = render
        self._rendered: tuple[str | None, str] | None = None

    @property
    def message(self) -> str:
        if self._render is None:
            return self._message
        language = get_language()
        if self._rendered is None or self._rendered[0] != language:
            function, args = self._render
            self._rendered = (language, function(*args))
        return self._rendered[1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "kind": self.kind,
            "passed": self.passed,
            "blocking": self.blocking,
            "relaxed": self.relaxed,
            "message": self.message,
        }

    def __repr__(self) -> str:
        return f"Outcome({self.rule_id!r}, passed={self.passed}, relaxed={self.relaxed}, message={self.message!r})"


@dataclass(slots=True)
class Result:
    eligible: bool
    rules: list[Outcome]  # blocking rules
    priority: list[Outcome]  # priority profiles: passed = the person matches; never blocks
    as_of: dt.date | None = None

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.rules if not o.passed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "rules": [o.as_dict() for o in self.rules],
            "priority": [o.as_dict() for o in self.priority],
        }


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on `day`: one more on each birthday (29 February: on 1 March in common years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# ---------------------------------------------------------------------------------------------- messages
# Each message is a function of plain values, called only when the message is read.


def _list(names: list[str]) -> str:
    return pick_language("、", ", ").join(names)


def _owner(spec: RuleSpec) -> str:
    return pick_language(spec.owner_name_zh, spec.owner_name_en) if spec.scope == CATEGORY else ""


def _age_fail(spec: RuleSpec, birth: dt.date, age: int, day: dt.date, limit: int) -> str:
    values = {"birth": birth.isoformat(), "age": age, "date": day.isoformat(), "limit": limit, "owner": _owner(spec)}
    if not spec.blocking:
        # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，不符合%(limit)s周岁以下的优先条件
        return _("Born on %(birth)s, aged %(age)s on %(date)s: not in the priority group of %(limit)s or younger.") % (
            values
        )
    if values["owner"]:
        # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，超过%(owner)s%(limit)s周岁的上限
        return _("Born on %(birth)s, aged %(age)s on %(date)s: over the age limit of %(limit)s for %(owner)s.") % (
            values
        )
    # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，超过%(limit)s周岁的上限
    return _("Born on %(birth)s, aged %(age)s on %(date)s: over the age limit of %(limit)s.") % values


def _age_pass(spec: RuleSpec, birth: dt.date, age: int, day: dt.date, limit: int) -> str:
    values = {"birth": birth.isoformat(), "age": age, "date": day.isoformat(), "limit": limit, "owner": _owner(spec)}
    if not spec.blocking:
        # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，符合%(limit)s周岁以下的优先条件
        return _("Born on %(birth)s, aged %(age)s on %(date)s: in the priority group of %(limit)s or younger.") % (
            values
        )
    if values["owner"]:
        # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，未超过%(owner)s%(limit)s周岁的上限
        return _("Born on %(birth)s, aged %(age)s on %(date)s: within the age limit of %(limit)s for %(owner)s.") % (
            values
        )
    # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，未超过%(limit)s周岁的上限
    return _("Born on %(birth)s, aged %(age)s on %(date)s: within the age limit of %(limit)s.") % values


def _age_unknown(spec: RuleSpec, limit: int) -> str:
    # Translators: 未填写出生日期，无法核对%(limit)s周岁的年龄条件
    return _("Date of birth not given: the age condition of %(limit)s cannot be checked.") % {"limit": limit}


def _education_message(ranks: Ranks, have: str, need: str, passed: bool) -> str:
    values = {"have": ranks.name("education", have), "need": ranks.name("education", need)}
    if not have:
        # Translators: 未填写学历，要求%(need)s及以上
        return _("Education not given: %(need)s or above is required.") % values
    if have not in ranks.education:
        # Translators: 学历代码%(have)s不在学历代码表（GB/T 4658）中
        return _("Education code %(have)s is not in the education table (GB/T 4658).") % {"have": have}
    if passed:
        # Translators: 学历为%(have)s，达到%(need)s及以上的要求
        return _("Education: %(have)s, meets the requirement of %(need)s or above.") % values
    # Translators: 学历为%(have)s，未达到%(need)s及以上的要求
    return _("Education: %(have)s, below the requirement of %(need)s or above.") % values


def _need_title(ranks: Ranks, params: dict) -> str:
    if params.get("grade"):
        return ranks.grade_name(params["grade"])
    return ranks.name("title", params.get("code", ""))


def _title_message(ranks: Ranks, params: dict, have: str, passed: bool) -> str:
    values = {"have": ranks.name("title", have), "need": _need_title(ranks, params)}
    if passed:
        # Translators: 职称为%(have)s，达到%(need)s及以上的要求
        return _("Professional title: %(have)s, meets the requirement of %(need)s or above.") % values
    if not have:
        # Translators: 未填写职称，要求%(need)s及以上职称
        message = _("No professional title given: %(need)s or above is required.") % values
    elif have not in ranks.title:
        # Translators: 职称代码%(have)s不是卫生专业技术职务（GB/T 8561）
        message = _("Title code %(have)s is not a health professional title (GB/T 8561).") % {"have": have}
    else:
        # Translators: 职称为%(have)s，未达到%(need)s及以上的要求
        message = _("Professional title: %(have)s, below the requirement of %(need)s or above.") % values
    if params.get("equivalent_allowed"):
        # Translators: 政策允许“同等学术、技术水平”，单位可记录有理由的例外
        note = _("Equivalent academic or technical level accepted: the unit may record a justified exception.")
        message = _join(message, note)
    return message


def _residency_pass() -> str:
    # Translators: 已完成住院医师规范化培训
    return _("Standardised residency training completed.")


def _title_or_residency_fail(ranks: Ranks, params: dict, have: str) -> str:
    values = {"have": ranks.name("title", have), "need": _need_title(ranks, params)}
    if not have:
        # Translators: 未完成住院医师规范化培训，且未填写职称（要求%(need)s及以上）
        return _("Residency training not completed and no title given (%(need)s or above is required).") % values
    # Translators: 未完成住院医师规范化培训，且职称%(have)s未达到%(need)s及以上
    return _("Residency training not completed, and the title %(have)s is below %(need)s.") % values


def _management_message(have: int, need: int, passed: bool) -> str:
    values = {"have": have, "need": need}
    if passed:
        # Translators: 从事行政管理工作%(have)s年，达到%(need)s年以上的要求
        return _("%(have)s years of administrative work, meets the requirement of %(need)s or more.") % values
    # Translators: 从事行政管理工作%(have)s年，不足%(need)s年
    return _("%(have)s years of administrative work, fewer than the required %(need)s.") % values


def _teaching_message(passed: bool) -> str:
    if passed:
        # Translators: 具有临床带教或医学教育管理经验
        return _("Has clinical teaching or education-management experience.")
    # Translators: 未填写临床带教或医学教育管理经验
    return _("No clinical teaching or education-management experience recorded.")


def _incident_message(passed: bool) -> str:
    if passed:
        # Translators: 无严重医疗事件记录
        return _("No serious medical incident on record.")
    # Translators: 有严重医疗事件记录（经单位确认，或本人申报且单位尚未核清）
    return _("A serious medical incident is on record (confirmed, or declared and not yet cleared by the unit).")


def _designation_message(ranks: Ranks, codes: tuple[str, ...], passed: bool) -> str:
    names = _list([ranks.name("designation", c) for c in codes])
    if passed:
        # Translators: 已入选：%(names)s
        return _("Holds: %(names)s.") % {"names": names}
    # Translators: 未入选：%(names)s
    return _("Holds none of: %(names)s.") % {"names": names}


def _unchecked_message(spec: RuleSpec) -> str:
    text = spec.text or (RuleKind(spec.kind).label if spec.kind in RuleKind.values else spec.kind)
    # Translators: 由单位审核：%(text)s
    return _("Checked by the unit: %(text)s") % {"text": text}


def _misconfigured_message(problems: list[str]) -> str:
    # Translators: 该条件设置有误（%(problems)s），请卫健委修正
    return _("This condition is not set up correctly (%(problems)s): the commission must correct it.") % {
        "problems": "; ".join(problems)
    }


RELAXED_NOTES = {
    # Translators: 该要求对三级医疗机构适当放宽
    "3": gettext_lazy("The requirement is relaxed for tertiary hospitals."),
    # Translators: 该要求对二级医疗机构适当放宽
    "2": gettext_lazy("The requirement is relaxed for secondary hospitals."),
    # Translators: 该要求对一级医疗机构适当放宽
    "1": gettext_lazy("The requirement is relaxed for primary hospitals."),
}


def _join(reason: str, note: str) -> str:
    # Translators: a reason followed by a note, e.g. "%(reason)s；%(note)s" (the Chinese messages end without 。)
    return _("%(reason)s %(note)s") % {"reason": reason, "note": note}


def _relaxed_message(render: tuple[Callable[..., str], tuple], level: str) -> str:
    function, args = render
    return _join(function(*args), str(RELAXED_NOTES[level]))


# ---------------------------------------------------------------------------------------------- checks
# A check is built once per rule (parameters resolved) and called once per person. Outcomes that depend
# only on a code or a count are made once per distinct value and shared: an Outcome is never changed.

Check = Callable[[Facts, dt.date], Outcome]


def _max_age(spec: RuleSpec, ranks: Ranks) -> Check:
    limit = spec.params["years"]
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    unknown = Outcome(rid, kind, False, blocking, "", False, (_age_unknown, (spec, limit)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        birth = facts.birth_date
        if birth is None:
            return unknown
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        if age <= limit:
            return Outcome(rid, kind, True, blocking, "", False, (_age_pass, (spec, birth, age, day, limit)))
        return Outcome(rid, kind, False, blocking, "", False, (_age_fail, (spec, birth, age, day, limit)))

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
            render = (_education_message, (ranks, have, need, passed))
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
            render = (_title_message, (ranks, params, have, passed))
            outcome = made[have] = Outcome(rid, kind, passed, blocking, "", False, render)
        return outcome

    return check


def _title_or_residency(spec: RuleSpec, ranks: Ranks) -> Check:
    need_rank = _required_title_rank(spec, ranks)
    if need_rank is None:
        return _misconfigured(spec, ["unknown title grade or code"])
    rid, kind, blocking, params, titles = spec.id, spec.kind, spec.blocking, spec.params, ranks.title
    residency_counts = params.get("residency", True)
    residency = Outcome(rid, kind, True, blocking, "", False, (_residency_pass, ()))
    made: dict[str, Outcome] = {}

    def judge(have: str) -> Outcome:
        if titles.get(have, -1) >= need_rank:
            return Outcome(rid, kind, True, blocking, "", False, (_title_message, (ranks, params, have, True)))
        if not residency_counts:
            return Outcome(rid, kind, False, blocking, "", False, (_title_message, (ranks, params, have, False)))
        return Outcome(rid, kind, False, blocking, "", False, (_title_or_residency_fail, (ranks, params, have)))

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
            render = (_management_message, (have, need, passed))
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
    return _yes_no(spec, _teaching_message, lambda facts: facts.teaching_experience)


def _no_serious_incident(spec: RuleSpec, ranks: Ranks) -> Check:
    return _yes_no(spec, _incident_message, lambda facts: not facts.serious_incident)


def _designation(spec: RuleSpec, ranks: Ranks) -> Check:
    wanted = tuple(spec.params["any_of"])
    wanted_set = frozenset(wanted)
    rid, kind, blocking = spec.id, spec.kind, spec.blocking
    none = Outcome(rid, kind, False, blocking, "", False, (_designation_message, (ranks, wanted, False)))
    made: dict[frozenset[str], Outcome] = {}

    def check(facts: Facts, day: dt.date) -> Outcome:
        if wanted_set.isdisjoint(facts.designations):
            return none
        held = wanted_set & facts.designations
        outcome = made.get(held)
        if outcome is None:
            codes = tuple(c for c in wanted if c in held)
            render = (_designation_message, (ranks, codes, True))
            outcome = made[held] = Outcome(rid, kind, True, blocking, "", False, render)
        return outcome

    return check


def _unchecked(spec: RuleSpec, ranks: Ranks) -> Check:
    outcome = Outcome(spec.id, spec.kind, True, spec.blocking, "", False, (_unchecked_message, (spec,)))

    def check(facts: Facts, day: dt.date) -> Outcome:
        return outcome

    return check


def _misconfigured(spec: RuleSpec, problems: list[str]) -> Check:
    """A rule whose parameters cannot be used fails (a blocking one blocks) and says why."""
    outcome = Outcome(spec.id, spec.kind, False, spec.blocking, "", False, (_misconfigured_message, (problems,)))

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
            render = (_relaxed_message, (outcome._render, level))
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


def _build(spec: RuleSpec, ranks: Ranks) -> Check:
    problems = params_problems(spec.kind, spec.params)
    if problems:
        return _misconfigured(spec, problems)
    check = BUILDERS.get(spec.kind, _unchecked)(spec, ranks)
    levels = frozenset(spec.params.get("relaxed_for_levels") or ())
    return _relaxing(check, levels) if levels else check


class Policy:
    """A set of rules prepared once, to judge any number of people."""

    __slots__ = ("blocking", "priority")

    def __init__(self, specs: Iterable[RuleSpec], ranks: Ranks) -> None:
        specs = list(specs)
        self.blocking = [_build(s, ranks) for s in specs if s.blocking]
        self.priority = [_build(s, ranks) for s in specs if not s.blocking]

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
