"""POST /api/v1/eligibility: judge a described person against a programme's or category's rules.

Nothing is stored: the person is described in the request. Errors are JSON (see medtalent.api.api):
a missing or malformed field gives 422 naming it ("person.birth_date"), an unknown code 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import BaseModel, BeforeValidator, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from medtalent.codes.selectors import code_ranks
from medtalent.core.api_auth import SIGNED_IN
from medtalent.eligibility.facts import Facts, Outcome
from medtalent.eligibility.selectors import eligibility_for_category_code

router = Router(tags=["eligibility"])

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value):
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        # Translators: 请按 YYYY-MM-DD 格式填写日期
        raise PydanticCustomError("date_format", _("Give a date as YYYY-MM-DD."))
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class PersonIn(BaseModel):  # pydantic, not ninja's Schema: a string is not read as an object
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


class EligibilityIn(BaseModel):
    category: str = Field(..., min_length=1, max_length=60, description="A programme or category code")
    as_of: IsoDate = Field(..., description="The reference date, e.g. the round's closing day")
    person: PersonIn


class OutcomeOut(Schema):
    rule: str
    passed: bool
    message: str


class EligibilityOut(Schema):
    eligible: bool
    rules: list[OutcomeOut]
    priority: list[OutcomeOut]


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


def _invalid(field: str, message: str) -> dict:
    return {"loc": ["body", "payload", *field.split(".")], "msg": message}


def _facts(person: PersonIn, as_of: dt.date) -> Facts:
    ranks = code_ranks()
    errors = []
    if person.birth_date > as_of:
        # Translators: 出生日期晚于 as_of（核对日期）
        errors.append(_invalid("person.birth_date", _("The date of birth is after as_of.")))
    if person.education and person.education not in ranks.education:
        # Translators: 不是 GB/T 4658 学历代码
        errors.append(_invalid("person.education", _("Not an education code of GB/T 4658.")))
    if person.title and person.title not in ranks.title:
        # Translators: 不是 GB/T 8561 卫生专业技术职务代码
        errors.append(_invalid("person.title", _("Not a health professional title code of GB/T 8561.")))
    unknown = [c for c in person.designations if ("designation", c) not in ranks.names]
    if unknown:
        # Translators: 未知的人才称号代码：%(codes)s
        problem = _("Unknown designation codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        errors.append(_invalid("person.designations", problem))
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
    )


def _outcome(outcome: Outcome) -> dict:
    return {"rule": outcome.rule_id, "passed": outcome.passed, "message": outcome.message}


@router.post(
    "/eligibility",
    response={200: EligibilityOut, 404: ErrorsOut},
    auth=SIGNED_IN,
    summary="Check a person against a programme's or category's eligibility rules, with reasons",
)
def eligibility_check(request, payload: EligibilityIn):
    facts = _facts(payload.person, payload.as_of)
    try:
        result = eligibility_for_category_code(
            user=request.user, code=payload.category.strip(), facts=facts, as_of=payload.as_of
        )
    except Http404 as exc:
        return Status(404, {"errors": [{"field": "category", "message": str(exc)}]})
    return {
        "eligible": result.eligible,
        "rules": [_outcome(o) for o in result.rules],
        "priority": [_outcome(o) for o in result.priority],
    }
