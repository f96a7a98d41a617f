"""What a rule kind's `params` must look like: checked when an administrator saves an `EligibilityRule` (the
catalogue admin) and again by the eligibility engine, which judges a misconfigured rule as such.

Pure: no queries. The kinds are `enums.RuleKind`; what each compares is described in `eligibility.engine`.
"""

from __future__ import annotations

from typing import Any, TypeGuard

# Hospital levels (the first character of the grade) a rule may be relaxed for (`relaxed_for_levels`).
LEVELS = ("3", "2", "1")


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def params_problems(kind: str, params: Any) -> list[str]:
    """What is wrong with a rule's parameters (empty when usable). For the admin form and the engine."""
    if not isinstance(params, dict):
        return ["parameters must be an object"]
    problems = []
    if kind in ("max_age", "min_management_years"):
        years = params.get("years")
        if not _whole(years) or not 0 <= years <= 100:
            problems.append('"years" must be a whole number from 0 to 100')
    elif kind == "min_education":
        if not isinstance(params.get("code"), str) or not params["code"]:
            problems.append('"code" must be an education code (GB/T 4658), e.g. "21"')
    elif kind in ("min_title", "title_or_residency"):
        if not isinstance(params.get("grade") or params.get("code"), str):
            problems.append('"grade" (e.g. "intermediate") or "code" (GB/T 8561, e.g. "233") is required')
        if "residency" in params and not isinstance(params["residency"], bool):
            problems.append('"residency" must be true or false')
        if "equivalent_allowed" in params and not isinstance(params["equivalent_allowed"], bool):
            problems.append('"equivalent_allowed" must be true or false')
    elif kind == "designation":
        any_of = params.get("any_of")
        if not isinstance(any_of, list) or not any_of or not all(isinstance(c, str) and c for c in any_of):
            problems.append('"any_of" must be a non-empty list of designation codes')
    levels = params.get("relaxed_for_levels", [])
    if not isinstance(levels, list) or not set(levels) <= set(LEVELS):
        problems.append('"relaxed_for_levels" must be a list of "3", "2", "1"')
    return problems
