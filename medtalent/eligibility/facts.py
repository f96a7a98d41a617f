"""What the eligibility engine reads and what it returns, as plain values: a person's `Facts`, a rule as a
`RuleSpec` (its kind, params, whether it blocks, whose it is), how one rule went (`Outcome`) and the whole
judgement (`Result`). Pure Python: no queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from medtalent.core.models import pick_language

PROGRAMME = "programme"
CATEGORY = "category"
GROUPS = frozenset({"all_of", "any_of", "not"})  # the kinds that hold other rules (catalog.enums.GROUP_KINDS)
# Outcome.status and Result.status
PASSED, PENDING, FAILED = "passed", "pending", "failed"
ELIGIBLE, INELIGIBLE = "eligible", "ineligible"


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """A language test result: a score (IELTS 6.5, TOEFL 85) and/or a CEFR level (B2), taken on a day."""

    test: str  # people.enums.LanguageTest value
    score: Decimal | None = None
    level: str = ""  # "A1" … "C2", or ""
    taken_on: dt.date | None = None


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
    languages: tuple[LanguageResult, ...] = ()
    licence_obtained_on: dt.date | None = None
    title_obtained_on: dt.date | None = None  # the date the current title was obtained
    earlier_titles: tuple[tuple[str, dt.date], ...] = ()  # (title code, obtained on) of earlier titles
    employer_tags: frozenset[str] = frozenset()  # tag codes of the employer, its region and the regions above
    verified: frozenset[str] = frozenset()  # facts the unit verified with their current value: "title", …
    confirmed: frozenset[str] = frozenset()  # rule ids the unit confirmed for this application


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
    children: tuple[RuleSpec, ...] = ()  # the rules of a group (kind all_of, any_of or not), in order

    @property
    def text(self) -> str:
        return pick_language(self.text_zh, self.text_en)


def spec_id(owner_code: str, kind: str, blocking: bool, position: int, *, unique_kind: bool) -> str:
    """A rule's id in results (and in `Facts.confirmed`, `RuleConfirmation.rule`).

    A top-level rule whose kind is unique among its owner's top-level rules of the same blocking flag:
    "<owner>:<kind>" ("wz-bysh:min_title"), or "<owner>:<kind>:priority" when it does not block. Any other rule,
    and every rule inside a group: "<owner>:<kind>:<position>", the position (1-based) of the rule in its owner's
    rules listed depth-first (a group, then its children, then the next rule), which holds as long as the
    rules are not reordered. `assign_ids` gives every rule of an owner its id by this scheme."""
    if unique_kind:
        return f"{owner_code}:{kind}" + ("" if blocking else ":priority")
    return f"{owner_code}:{kind}:{position}"


def assign_ids(owner_code: str, specs: Iterable[RuleSpec]) -> list[RuleSpec]:
    """The top-level rules of ONE owner (a programme or a category; groups with their `children`), in order,
    with their ids (and their children's) set by `spec_id`, whatever ids they had."""
    specs = list(specs)
    counts = Counter((s.kind, s.blocking) for s in specs)
    position = 0

    def numbered(spec: RuleSpec, top: bool) -> RuleSpec:
        nonlocal position
        position += 1
        unique = top and counts[(spec.kind, spec.blocking)] == 1
        rule_id = spec_id(owner_code, spec.kind, spec.blocking, position, unique_kind=unique)
        children = tuple(numbered(child, False) for child in spec.children)
        return replace(spec, id=rule_id, children=children)

    return [numbered(spec, True) for spec in specs]


class Outcome:
    """How one rule went for one person. `message` is the reason in plain words, rendered when read.

    Three states: passed; pending (`pending`: the facts cannot decide, or a fact the rule requires verified is
    not; `passed` is False); failed (neither). A group's outcome holds its children's (`children`)."""

    __slots__ = (
        "rule_id",
        "kind",
        "passed",
        "blocking",
        "relaxed",
        "pending",
        "children",
        "confirmed",
        "_message",
        "_render",
        "_rendered",
    )

    def __init__(
        self,
        rule_id: str,
        kind: str,
        passed: bool,
        blocking: bool,
        message: str = "",
        relaxed: bool = False,
        render: tuple[Callable[..., str], tuple] | None = None,
        pending: bool = False,
        children: tuple[Outcome, ...] = (),
        confirmed: bool = False,
    ) -> None:
        self.rule_id = rule_id
        self.kind = kind
        self.passed = passed
        self.blocking = blocking
        self.relaxed = relaxed
        self.pending = pending
        self.children = children
        self.confirmed = confirmed  # passed because the unit confirmed it (a rule the facts cannot decide)
        self._message = message
        self._render = render
        self._rendered: tuple[str | None, str] | None = None

    @property
    def rule(self) -> str:
        """The rule's id, as `as_dict()` names it (templates read an Outcome and its dict alike)."""
        return self.rule_id

    @property
    def failed(self) -> bool:
        return not self.passed and not self.pending

    @property
    def status(self) -> str:
        """ "passed", "pending" or "failed"."""
        return PASSED if self.passed else PENDING if self.pending else FAILED

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
        data = {
            "rule": self.rule_id,
            "kind": self.kind,
            "passed": self.passed,
            "pending": self.pending,
            "blocking": self.blocking,
            "relaxed": self.relaxed,
            "message": self.message,
        }
        if self.kind in GROUPS:
            data["children"] = [child.as_dict() for child in self.children]
        return data

    def __repr__(self) -> str:
        return (
            f"Outcome({self.rule_id!r}, passed={self.passed}, pending={self.pending}, relaxed={self.relaxed}, "
            f"message={self.message!r})"
        )


@dataclass(slots=True)
class Result:
    eligible: bool  # no blocking rule failed and none is pending
    rules: list[Outcome]  # blocking rules
    priority: list[Outcome]  # priority profiles: passed = the person matches; never blocks
    as_of: dt.date | None = None

    @property
    def failed(self) -> list[Outcome]:
        """The blocking rules that failed (pending ones are not failed: see `pending`)."""
        return [o for o in self.rules if not o.passed and not o.pending]

    @property
    def pending(self) -> list[Outcome]:
        """The blocking rules the unit must still check or confirm (or verify a fact for)."""
        return [o for o in self.rules if o.pending]

    @property
    def status(self) -> str:
        """ "ineligible" when a blocking rule failed, else "pending" when one is pending, else "eligible"."""
        state = ELIGIBLE
        for outcome in self.rules:
            if not outcome.passed:
                if not outcome.pending:
                    return INELIGIBLE
                state = PENDING
        return state

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "status": self.status,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "rules": [o.as_dict() for o in self.rules],
            "priority": [o.as_dict() for o in self.priority],
        }


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on `day`: one more on each birthday (29 February: on 1 March in common years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
