"""What the eligibility engine reads and what it returns, as plain values: a person's `Facts`, a rule as a
`RuleSpec` (its kind, params, whether it blocks, whose it is), how one rule went (`Outcome`) and the whole
judgement (`Result`). Pure Python: no queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

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
