"""The result fragment (eligibility/_result.html), included by the application pages."""

from __future__ import annotations

import datetime as dt
import re

from django.template.loader import render_to_string
from django.utils import translation

from medtalent.eligibility.engine import evaluate
from medtalent.eligibility.facts import Facts
from tests.eligibility.test_engine import RANKS, spec

RULES = [
    spec("max_age", {"years": 55}),
    spec("title_or_residency", {"grade": "intermediate", "residency": True, "relaxed_for_levels": ["2"]}),
    spec("designation", {"any_of": ["D01"]}, blocking=False),
]


def items(html: str) -> list[str]:
    """The text of each <li>, whitespace collapsed."""
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li.*?</li>", html, re.S)]


def render(result) -> str:
    with translation.override("en"):
        return render_to_string("eligibility/_result.html", {"result": result})


def test_a_failed_rule_shows_a_cross_and_the_reason():
    result = evaluate(RULES, Facts(birth_date=dt.date(1969, 6, 30), title_code="233"), dt.date(2025, 6, 30), RANKS)
    html = render(result)
    assert items(html) == [
        "✗ Born on 1969-06-30, aged 56 on 2025-06-30: over the age limit of 55.",
        "✓ Professional title: Attending Physician, meets the requirement of intermediate or above.",
        "☆ Holds none of: National talent programme.",
    ]
    assert ("Does not meet every condition" in html, "Priority profiles" in html, 'aria-label="Not met"' in html) == (
        True,
        True,
        True,
    )


def test_a_relaxed_rule_is_marked_and_a_matching_profile_starred():
    facts = Facts(birth_date=dt.date(1980, 1, 1), title_code="234", employer_level="2", designations=frozenset({"D01"}))
    html = render(evaluate(RULES, facts, dt.date(2025, 6, 30), RANKS))
    assert items(html) == [
        "✓ Born on 1980-01-01, aged 45 on 2025-06-30: within the age limit of 55.",
        "✓ Residency training not completed, and the title Physician is below intermediate. "
        "The requirement is relaxed for secondary hospitals. relaxed",
        "★ Holds: National talent programme.",
    ]
    assert "Meets every condition" in html


def test_the_stored_snapshot_renders_like_the_result():
    result = evaluate(RULES, Facts(birth_date=dt.date(1969, 6, 30)), dt.date(2025, 6, 30), RANKS)
    with translation.override("en"):
        snapshot = result.as_dict()
    assert items(render(snapshot)) == items(render(result))


def test_no_priority_section_without_priority_profiles():
    result = evaluate(RULES[:1], Facts(birth_date=dt.date(1980, 1, 1)), dt.date(2025, 6, 30), RANKS)
    assert "Priority profiles" not in render(result)
