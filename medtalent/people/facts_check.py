"""Checks of the facts a profile states about language results, the practising licence and titles, shared by the
profile form and the Excel import: each problem is a translated message for one field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.people.enums import CefrLevel, LanguageTest

# The scale each test reports its score on (a fact of the test, not a policy): (lowest, highest, step).
SCORE_SCALES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    LanguageTest.IELTS: (Decimal("0"), Decimal("9"), Decimal("0.5")),
    LanguageTest.TOEFL: (Decimal("0"), Decimal("120"), Decimal("1")),
}


def today() -> dt.date:
    return timezone.localdate()


def date_problem(value: dt.date | None, *, on: dt.date | None = None) -> str:
    """A date a fact was obtained on may not lie in the future."""
    on = on or today()
    if value is not None and value > on:
        # Translators: 中文：日期不能晚于今天（%(today)s）。
        return _("The date cannot be later than today (%(today)s).") % {"today": on.isoformat()}
    return ""


def parse_score(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace("，", ".").replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def language_result_problems(
    *, test: str, score: str, level: str, taken_on: dt.date | None, on: dt.date | None = None
) -> dict[str, str]:
    """What is wrong with one language result, field by field ("test", "score", "level", "taken_on")."""
    problems: dict[str, str] = {}
    score = (score or "").strip()
    level = (level or "").strip().upper()
    if test not in LanguageTest.values:
        # Translators: 中文：请选择考试类别。
        problems["test"] = _("Choose the test.")
    if level and level not in CefrLevel.values:
        # Translators: 中文：等级应为 A1、A2、B1、B2、C1 或 C2。
        problems["level"] = _("The level must be one of A1, A2, B1, B2, C1, C2.")
    if not score and not level:
        # Translators: 中文：请填写成绩或等级（至少一项）。
        problems["score"] = _("Enter the score or the level (at least one).")
    scale = SCORE_SCALES.get(test)
    if score and scale is not None:
        lowest, highest, step = scale
        value = parse_score(score)
        label = LanguageTest(test).label
        if value is None:
            # Translators: 中文：%(test)s成绩应为数字，如 %(example)s。
            problems["score"] = _("The %(test)s score must be a number, e.g. %(example)s.") % {
                "test": label,
                "example": "6.5" if step < 1 else "85",
            }
        elif not (lowest <= value <= highest) or value % step:
            # Translators: 中文：%(test)s成绩应在 %(low)s 至 %(high)s 之间，步长 %(step)s。
            problems["score"] = _("The %(test)s score must be from %(low)s to %(high)s, in steps of %(step)s.") % {
                "test": label,
                "low": lowest,
                "high": highest,
                "step": step.normalize(),
            }
    problem = date_problem(taken_on, on=on)
    if problem:
        problems["taken_on"] = problem
    return problems
