"""API for the code tables and ID-number checking (mounted under /api/v1/ by medtalent/api/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import StrictStr

from medtalent.codes.idnumber import validate_id_number
from medtalent.codes.models import Code, CodeTable
from medtalent.codes.selectors import code_get, code_table_get, code_tables_with_counts, codes_for_table
from medtalent.core.api_auth import PUBLIC, SIGNED_IN

router = Router(tags=["codes"])


class CodeTableOut(Schema):
    slug: str
    standard: str
    version: str
    name_zh: str
    name_en: str
    count: int = Field(description="Number of codes, historical ones included")


class CodeOut(Schema):
    code: str
    name_zh: str
    name_en: str
    parent: str | None = Field(None, description="Code of the parent")
    level: int
    valid_from: dt.date | None
    valid_to: dt.date | None = Field(None, description="Empty while the code is in force")
    successor: str | None = Field(None, description="Code of the division that replaced this one")
    extra: dict[str, Any]


class CodeTableDetailOut(CodeTableOut):
    codes: list[CodeOut]


class CodeFilter(Schema):
    parent: str = Field("", description="Only the direct children of this code")
    q: str = Field("", description="Code prefix or part of a name")
    current_only: bool = Field(False, description="Leave out codes no longer in force")


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


class IdNumberIn(Schema):
    id_number: StrictStr


class SexOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str


class IdNumberErrorOut(Schema):
    field: str
    part: str = Field(description="length, region, birth_date or check_digit")
    message: str


class IdNumberOut(Schema):
    valid: bool
    id_number: str = Field(description="The number as checked: spaces removed, x upper-cased")
    birth_date: dt.date | None
    sex: SexOut | None
    region: RegionOut | None
    residence_permit: bool = Field(description="A Hong Kong, Macao or Taiwan residents' permit (81/82/83)")
    errors: list[IdNumberErrorOut]


def _table_out(table: CodeTable) -> dict:
    return {
        "slug": table.slug,
        "standard": table.standard,
        "version": table.version,
        "name_zh": table.name_zh,
        "name_en": table.name_en,
        "count": table.code_count,
    }


def _code_out(code: Code) -> dict:
    return {
        "code": code.code,
        "name_zh": code.name_zh,
        "name_en": code.name_en,
        "parent": code.parent.code if code.parent_id else None,
        "level": code.level,
        "valid_from": code.valid_from,
        "valid_to": code.valid_to,
        "successor": code.successor.code if code.successor_id else None,
        "extra": code.extra,
    }


@router.get("/code-tables", response=list[CodeTableOut], auth=PUBLIC, summary="The code tables")
def list_code_tables(request):
    return [_table_out(t) for t in code_tables_with_counts()]


@router.get(
    "/code-tables/{path:standard}",
    response={200: CodeTableDetailOut, 404: ErrorsOut},
    auth=PUBLIC,
    summary="One code table and its codes",
)
def get_code_table(request, standard: str, filters: Query[CodeFilter]):
    """`standard` is the table's slug (ethnicity) or its standard, loosely written: GB3304, gb-t-2261.1, iso3166."""
    table = code_table_get(key=standard, with_count=True)
    if table is None:
        raise Http404(_("There is no code table “%(key)s”.") % {"key": standard})
    codes = codes_for_table(
        table=table, parent=filters.parent or None, q=filters.q or None, include_historical=not filters.current_only
    )
    return {**_table_out(table), "codes": [_code_out(c) for c in codes]}


@router.post(
    "/id-numbers/validate",
    response={200: IdNumberOut, 422: ErrorsOut},
    auth=SIGNED_IN,
    summary="Check a citizen ID number",
)
def validate_id_number_view(request, payload: IdNumberIn):
    """GB 11643-1999: length and characters, region code (GB/T 2260, historical codes and the 81/82/83
    residence-permit prefixes count), date of birth and the check digit. Always 200 for a string; `valid`
    and `errors` say what is wrong."""
    result = validate_id_number(payload.id_number)
    sex = code_get(table_slug="sex", code=result.sex) if result.sex else None
    region = result.region
    return {
        "valid": result.valid,
        "id_number": result.normalised,
        "birth_date": result.birth_date,
        "sex": {"code": sex.code, "name": sex.name} if sex else None,
        "region": {"code": region.code, "name_zh": region.name_zh, "name_en": region.name_en} if region else None,
        "residence_permit": result.residence_permit,
        "errors": [{"field": "id_number", "part": part, "message": message} for part, message in result.errors],
    }
