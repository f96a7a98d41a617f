"""POST /api/v1/eligibility: judge a described person against a programme's or category's rules.

Nothing is stored: the person is described in the request. Errors are JSON (see medtalent.api.api):
a missing, malformed or unknown field gives 422 naming it ("person.birth_date", "person.ielts"), an unknown code
404. The answer gives the verdict ("status": eligible, pending or ineligible) and each rule's outcome, a group's
with its rules ("children"); a rule the facts cannot decide is pending until the unit confirms it ("confirmed").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from medtalent.codes.selectors import code_ranks
from medtalent.core.api_auth import SIGNED_IN
from medtalent.eligibility.facts import Facts, LanguageResult
from medtalent.eligibility.selectors import eligibility_for_category_code, unknown_tag_codes
from medtalent.people.enums import LanguageTest, VerifiedFact

router = Router(tags=["eligibility"])

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value):
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        # Translators: 中文：请按 YYYY-MM-DD 格式填写日期
        raise PydanticCustomError("date_format", _("Give a date as YYYY-MM-DD."))
    return value


def _score(value):
    # A number or a decimal string ("6.5", 85); not a boolean, not "six".
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        # Translators: 中文：分数须为数字，如 6.5
        raise PydanticCustomError("score_format", _("Give the score as a number, e.g. 6.5."))
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Score = Annotated[Decimal, BeforeValidator(_score)]


class _Strict(BaseModel):  # pydantic, not ninja's Schema: a string is not read as an object
    model_config = ConfigDict(extra="forbid")  # a field it does not know is named, never ignored


class LanguageIn(_Strict):
    test: str = Field(
        ..., max_length=12, description="ielts, toefl, testdaf, delf_dalf, assessment, … (people.enums.LanguageTest)"
    )
    score: Score | None = Field(None, ge=0, le=1000, description="The score, e.g. 6.5 (IELTS) or 85 (TOEFL)")
    level: Literal["A1", "A2", "B1", "B2", "C1", "C2"] | None = Field(None, description="CEFR level, e.g. B2")
    taken_on: IsoDate | None = Field(None, description="The day of the test (results are valid for some years)")


class EarlierTitleIn(_Strict):
    title: str = Field(..., max_length=16, description="GB/T 8561 code of a title held before, e.g. 234")
    obtained_on: IsoDate


class PersonIn(_Strict):
    birth_date: IsoDate
    education: str | None = Field(..., max_length=16, description="GB/T 4658 code, e.g. 21; null if none")
    title: str | None = Field(..., max_length=16, description="GB/T 8561 code, e.g. 233; null if none")
    residency_completed: StrictBool
    admin_years: StrictInt = Field(..., ge=0, le=80, description="Years of administrative management work")
    teaching_experience: StrictBool
    employer_level: Literal["3", "2", "1"] | None = Field(
        ..., description='Hospital level: "3" tertiary, "2" secondary, "1" primary; null if not a hospital'
    )
    serious_incident: StrictBool = Field(
        ..., description="A serious medical incident confirmed, or declared and not cleared by the unit"
    )
    designations: list[str] = Field(..., max_length=50, description="Codes of the designation table, e.g. D01")
    languages: list[LanguageIn] = Field([], max_length=20, description="Language test results")
    licence_obtained_on: IsoDate | None = Field(None, description="The day the practising licence was obtained")
    title_obtained_on: IsoDate | None = Field(None, description="The day the current title was obtained")
    earlier_titles: list[EarlierTitleIn] = Field([], max_length=20, description="Titles held before, with dates")
    employer_tags: list[str] = Field(
        [], max_length=50, description="Tag codes of the employer and its region (orgs tags), e.g. mountain-island"
    )
    verified: list[str] = Field(
        [], max_length=3, description="Facts the unit verified against the originals: title, education, licence"
    )


class EligibilityIn(_Strict):
    category: str = Field(..., min_length=1, max_length=60, description="A programme or category code")
    as_of: IsoDate = Field(..., description="The reference date, e.g. the round's closing day")
    person: PersonIn
    confirmed: list[Annotated[str, Field(max_length=120)]] = Field(
        [], max_length=100, description='Rule ids the unit confirmed (a pending rule\'s "rule"), e.g. wz-bysh:health'
    )


class OutcomeOut(Schema):
    rule: str
    passed: bool
    pending: bool = Field(..., description="The facts cannot decide (the unit checks it), or a verification lacks")
    message: str
    children: list[OutcomeOut] = Field([], description="A group's rules (all of, any of, none of); groups only")


OutcomeOut.model_rebuild()


class EligibilityOut(Schema):
    eligible: bool
    status: Literal["eligible", "pending", "ineligible"] = Field(
        ..., description="ineligible: a rule failed; pending: none failed, some are not decided yet"
    )
    rules: list[OutcomeOut]
    priority: list[OutcomeOut]


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


def _invalid(field: str, message: str) -> dict:
    return {"loc": ["body", "payload", *field.split(".")], "msg": message}


def _after(day: dt.date | None, as_of: dt.date) -> bool:
    return day is not None and day > as_of


def _facts(person: PersonIn, as_of: dt.date, *, confirmed: list[str]) -> Facts:
    ranks = code_ranks()
    errors = []
    if person.birth_date > as_of:
        # Translators: 中文：出生日期晚于 as_of（核对日期）
        errors.append(_invalid("person.birth_date", _("The date of birth is after as_of.")))
    if person.education and person.education not in ranks.education:
        # Translators: 中文：不是 GB/T 4658 学历代码
        errors.append(_invalid("person.education", _("Not an education code of GB/T 4658.")))
    if person.title and person.title not in ranks.title:
        # Translators: 中文：不是 GB/T 8561 卫生专业技术职务代码
        errors.append(_invalid("person.title", _("Not a health professional title code of GB/T 8561.")))
    unknown = [c for c in person.designations if ("designation", c) not in ranks.names]
    if unknown:
        # Translators: 中文：未知的人才称号代码：%(codes)s
        problem = _("Unknown designation codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        errors.append(_invalid("person.designations", problem))
    for n, language in enumerate(person.languages):
        where = f"person.languages.{n}"
        if language.test not in LanguageTest.values:
            # Translators: 中文：未知的外语考试“%(test)s”，可填：%(known)s
            problem = _("Unknown language test “%(test)s”; known: %(known)s.")
            errors.append(
                _invalid(f"{where}.test", problem % {"test": language.test, "known": ", ".join(LanguageTest.values)})
            )
        if language.score is None and language.level is None:
            # Translators: 中文：请填写分数或 CEFR 等级
            errors.append(_invalid(where, _("Give a score or a CEFR level.")))
        if _after(language.taken_on, as_of):
            # Translators: 中文：考试日期晚于 as_of（核对日期）
            errors.append(_invalid(f"{where}.taken_on", _("The test date is after as_of.")))
    for name in ("licence_obtained_on", "title_obtained_on"):
        if _after(getattr(person, name), as_of):
            # Translators: 中文：取得日期晚于 as_of（核对日期）
            errors.append(_invalid(f"person.{name}", _("The date obtained is after as_of.")))
    for n, earlier in enumerate(person.earlier_titles):
        where = f"person.earlier_titles.{n}"
        if earlier.title not in ranks.title:
            # Translators: 中文：不是 GB/T 8561 卫生专业技术职务代码
            errors.append(_invalid(f"{where}.title", _("Not a health professional title code of GB/T 8561.")))
        if _after(earlier.obtained_on, as_of):
            # Translators: 中文：取得日期晚于 as_of（核对日期）
            errors.append(_invalid(f"{where}.obtained_on", _("The date obtained is after as_of.")))
    unknown = unknown_tag_codes(person.employer_tags) if person.employer_tags else []
    if unknown:
        # Translators: 中文：未知的单位属性标签代码：%(codes)s
        problem = _("Unknown organisation tag codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        errors.append(_invalid("person.employer_tags", problem))
    unknown = [f for f in person.verified if f not in VerifiedFact.values]
    if unknown:
        # Translators: 中文：未知的核实事项：%(facts)s；可填：%(known)s
        problem = _("Unknown verified facts: %(facts)s; known: %(known)s.")
        errors.append(
            _invalid(
                "person.verified", problem % {"facts": ", ".join(unknown), "known": ", ".join(VerifiedFact.values)}
            )
        )
    if errors:
        raise ValidationError(errors)
    return Facts(
        birth_date=person.birth_date,
        education_code=person.education or "",
        title_code=person.title or "",
        residency_completed=person.residency_completed,
        admin_years=person.admin_years,
        teaching_experience=person.teaching_experience,
        employer_level=person.employer_level or "",
        serious_incident=person.serious_incident,
        designations=frozenset(person.designations),
        languages=tuple(
            LanguageResult(test=lang.test, score=lang.score, level=lang.level or "", taken_on=lang.taken_on)
            for lang in person.languages
        ),
        licence_obtained_on=person.licence_obtained_on,
        title_obtained_on=person.title_obtained_on,
        earlier_titles=tuple((t.title, t.obtained_on) for t in person.earlier_titles),
        employer_tags=frozenset(person.employer_tags),
        verified=frozenset(person.verified),
        confirmed=frozenset(confirmed),
    )


def _outcome(data: dict[str, Any]) -> dict[str, Any]:
    """One rule's outcome as the answer gives it (from `Outcome.as_dict()`): a group's with its rules."""
    answer = {
        "rule": data["rule"],
        "passed": data["passed"],
        "pending": bool(data.get("pending", False)),
        "message": data["message"],
    }
    if data.get("children"):
        answer["children"] = [_outcome(child) for child in data["children"]]
    return answer


def _rule_ids(outcomes: list[dict[str, Any]]) -> set[str]:
    ids = set()
    for outcome in outcomes:
        ids.add(outcome["rule"])
        ids |= _rule_ids(outcome.get("children") or [])
    return ids


@router.post(
    "/eligibility",
    response={200: EligibilityOut, 404: ErrorsOut},
    auth=SIGNED_IN,
    exclude_unset=True,
    summary="Check a person against a programme's or category's eligibility rules, with reasons",
)
def eligibility_check(request, payload: EligibilityIn):
    facts = _facts(payload.person, payload.as_of, confirmed=payload.confirmed)
    try:
        result = eligibility_for_category_code(
            user=request.user, code=payload.category.strip(), facts=facts, as_of=payload.as_of
        )
    except Http404 as exc:
        return Status(404, {"errors": [{"field": "category", "message": str(exc)}]})
    data = result.as_dict()
    unknown = [r for r in dict.fromkeys(payload.confirmed) if r not in _rule_ids(data["rules"] + data["priority"])]
    if unknown:
        # Translators: 中文：不是该项目或类别的条件：%(rules)s
        problem = _("Not rules of this programme or category: %(rules)s.") % {"rules": ", ".join(unknown)}
        raise ValidationError([_invalid("confirmed", problem)])
    return {
        "eligible": result.eligible,
        "status": data.get("status") or ("eligible" if result.eligible else "ineligible"),
        "rules": [_outcome(o) for o in data["rules"]],
        "priority": [_outcome(o) for o in data["priority"]],
    }
