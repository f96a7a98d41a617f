"""POST /api/v1/funding/split: who pays which part of a training's cost, by the cost-share rule of a category
(or a programme) and year.

Nothing is stored. Errors are JSON (see medtalent.api.api): an unknown field or a malformed value 422 naming it,
a missing `months` where a share is capped per month 422 ("months"), a code naming nothing the user may see 404
("category"), no cost-share rule for that year 404 ("year").
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import BaseModel, ConfigDict, StrictInt

from medtalent.core.api_auth import SIGNED_IN
from medtalent.policy.funding import CostShareRuleSpec, SplitError, split
from medtalent.policy.selectors import cost_share_rule_for, funding_owner_visible_to

router = Router(tags=["funding"])


class SplitIn(BaseModel):  # pydantic, not ninja's Schema: unknown fields are refused
    model_config = ConfigDict(extra="forbid")

    category: str = Field(..., min_length=1, max_length=60, description="A category code (or a programme code)")
    year: StrictInt = Field(..., ge=1900, le=2200, description="The year whose rule applies, e.g. 2025")
    amount: Decimal = Field(
        ..., ge=0, max_digits=14, decimal_places=2, description='The total cost in yuan, as a string: "75000.00"'
    )
    months: StrictInt | None = Field(
        None, ge=1, le=600, description="The training's length in months; needed only where a share is capped per month"
    )


class ShareOut(Schema):
    payer: str
    ratio: str
    amount: str


class SplitOut(Schema):
    shares: list[ShareOut]
    excess: str


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@router.post(
    "/funding/split",
    response={200: SplitOut, 404: ErrorsOut},
    auth=SIGNED_IN,
    summary="Split a training's cost between its payers by the cost-share rule of a category and year",
)
def funding_split(request, payload: SplitIn):
    code = payload.category.strip()
    try:
        programme, category = funding_owner_visible_to(user=request.user, code=code)
    except Http404 as exc:
        return Status(404, {"errors": [{"field": "category", "message": str(exc)}]})
    rule = cost_share_rule_for(category=category, programme=programme, year=payload.year)
    if rule is None:
        # Translators: 中文：%(code)s 在 %(year)s 年没有费用分担规则。
        message = _("%(code)s has no cost-share rule for %(year)s.") % {"code": code, "year": payload.year}
        return Status(404, {"errors": [{"field": "year", "message": message}]})
    try:
        result = split(CostShareRuleSpec.of(rule), payload.amount, payload.months)
    except SplitError as exc:
        raise ValidationError([{"loc": ["body", "payload", exc.field], "msg": exc.message}]) from exc
    return {
        "shares": [{"payer": s.payer, "ratio": _money(s.ratio), "amount": _money(s.amount)} for s in result.shares],
        "excess": _money(result.excess),
    }
