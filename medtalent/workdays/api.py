"""POST /api/v1/deadlines: the due date of a period, counted as every deadline of MedTalent is (`deadlines.due_date`).

`{"start": "2026-09-25", "amount": 15, "unit": "working_days"}` (units days, working_days, weeks, months; optional
`"roll": "next_working_day"`: a due date on a day off moves to the next working day) answers `{"due": "…"}`.
Nothing is stored. Errors are JSON (see medtalent.api.api): an unknown field, unit or a bad date gives 422 naming the
field. For years whose public holidays are not loaded, only weekends are days off.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from medtalent.core.api_auth import SIGNED_IN
from medtalent.workdays.deadlines import due_date
from medtalent.workdays.enums import DeadlineUnit

router = Router(tags=["deadlines"])

# A bound on the amount (ten years of days), so that one request cannot ask for an endless count.
MAX_AMOUNT = 3660
ROLL_NEXT_WORKING_DAY = "next_working_day"
ROLL_NONE = "none"
FIELDS = ("start", "amount", "unit", "roll")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", "date format")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _message(field: str, error_type: str) -> str:
    """The request's problem in the caller's language, per field."""
    if error_type == "missing":
        # Translators: 中文：必填。
        return _("Required.")
    if error_type == "extra_forbidden":
        # Translators: 中文：未知字段；可用字段：%(fields)s。
        return _("Unknown field; the fields are %(fields)s.") % {"fields": ", ".join(FIELDS)}
    if field == "start":
        # Translators: 中文：请按 YYYY-MM-DD 格式填写一个有效日期。
        return _("Give a valid date as YYYY-MM-DD.")
    if field == "amount":
        # Translators: 中文：请填写 0 到 %(max)s 之间的整数。
        return _("Give a whole number from 0 to %(max)s.") % {"max": MAX_AMOUNT}
    if field == "unit":
        # Translators: 中文：未知单位；可用单位：%(units)s。
        return _("Unknown unit; the units are %(units)s.") % {"units": ", ".join(DeadlineUnit.values)}
    if field == "roll":
        # Translators: 中文：请填写 "%(value)s"（截止日为休息日时顺延至下一个工作日），或不填。
        return _('Give "%(value)s" (a due date on a day off moves to the next working day) or leave it out.') % {
            "value": ROLL_NEXT_WORKING_DAY
        }
    # Translators: 中文：请求体应为 JSON 对象。
    return _("The request body must be a JSON object.")


class DeadlineIn(BaseModel):  # pydantic, not ninja's Schema: a string is not read as an object
    model_config = ConfigDict(extra="forbid")

    start: IsoDate = Field(..., description="The event the period is counted from; the period starts the day after")
    amount: StrictInt = Field(..., ge=0, le=MAX_AMOUNT, description="How many units")
    unit: Literal["days", "working_days", "weeks", "months"] = Field(
        ..., description="days, working_days, weeks or months (months: the month-end rule)"
    )
    roll: Literal["next_working_day", "none"] | None = Field(
        None, description='"next_working_day": a due date on a day off moves to the next working day (default: none)'
    )

    @model_validator(mode="wrap")
    @classmethod
    def _translated(cls, data: Any, handler):
        """Pydantic's messages replaced by ours, in the caller's language, each at its field."""
        try:
            return handler(data)
        except ValidationError as exc:
            errors = []
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                message = _message(field, error["type"])
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError("invalid", message),
                        loc=error["loc"],
                        input=error.get("input"),
                    )
                )
            raise ValidationError.from_exception_data(cls.__name__, errors) from None


class DeadlineOut(Schema):
    due: dt.date


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


@router.post(
    "/deadlines",
    response={200: DeadlineOut, 422: ErrorsOut},
    auth=SIGNED_IN,
    summary="The due date of a period counted from an event (Civil Code arts. 201–203)",
)
def deadline_due(request, payload: DeadlineIn):
    try:
        due = due_date(payload.start, payload.amount, payload.unit, roll=payload.roll == ROLL_NEXT_WORKING_DAY)
    except OverflowError:
        # Translators: 中文：截止日将晚于公元 9999 年。
        message = _("The due date would be after the year 9999.")
        raise NinjaValidationError([{"loc": ["body", "payload", "amount"], "msg": message}]) from None
    return {"due": due}
