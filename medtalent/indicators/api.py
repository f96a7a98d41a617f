"""The yearly indicators over the API.

- GET /api/v1/indicators/trend?programme=&city=&county=: the trend over a programme's supported hospitals
  (the chart's data), for the commission administrators who manage the programme.
- GET /api/v1/hospitals/{code}/indicators: a hospital's values (its unit administrator, the commission over
  it, the administrators of the hospitals supporting it).
- PUT /api/v1/hospitals/{code}/indicators: body a list of {year, kind, value, note}; each item sets that
  year's indicator (value null removes it); items not listed are left alone. All or nothing: 422 with every
  bad item as {"field": "<index>.<field>", "message"}. Unit administrator of the hospital or the commission.

A visitor gets 401, anybody else without the permission 403 ({"errors": [{"field", "message"}]}).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from medtalent.core.api_auth import SIGNED_IN
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.indicators import selectors, services
from medtalent.partnerships.selectors import DEFAULT_PROGRAMME, pairing_programme_for_user

router = Router(tags=["indicators"])


class TrendQuery(Schema):
    programme: str = Field(DEFAULT_PROGRAMME, max_length=60, description="Programme code")
    city: str = Field("", max_length=12, pattern=r"^\d*$", description="GB/T 2260 code of a city, e.g. 331100")
    county: str = Field("", max_length=12, pattern=r"^\d*$", description="GB/T 2260 code of a county, e.g. 331127")


class TrendYearOut(Schema):
    year: int
    n: int = Field(description="Hospitals reporting")
    mean: float
    min: float
    max: float
    reached: int | None = Field(description="Hospitals that met the target; null without a target")


class TrendKindOut(Schema):
    kind: str
    name: str
    target: float | None
    better: str
    years: list[TrendYearOut]


class TrendOut(Schema):
    programme: str
    city: str
    county: str
    indicators: list[TrendKindOut]


class HospitalOut(Schema):
    code: str
    name_zh: str
    name_en: str


class ValueOut(Schema):
    year: int
    kind: str
    value: float
    note: str


class HospitalIndicatorsOut(Schema):
    hospital: HospitalOut
    values: list[ValueOut]


class ValueIn(Schema):
    year: int
    kind: str = Field(max_length=30)
    value: Decimal | None
    note: str = Field("", max_length=200)


def _authenticated(request) -> None:
    if not request.user.is_authenticated:
        raise AuthenticationError


def _hospital(request, code: str, permission: str):
    _authenticated(request)
    organisation = selectors.hospital_for_user(user=request.user, code=code)  # 404 for whoever may not see it
    if permission != "indicators.view_indicators":
        # Translators: 您无权录入该医院的指标
        require_perm(request.user, permission, organisation, _("You may not enter this hospital's indicators."))
    return organisation


def _hospital_out(organisation) -> dict:
    series = selectors.indicator_series(organisation=organisation)
    notes = selectors.indicator_notes(organisation=organisation)
    values = sorted(
        (
            {"year": year, "kind": kind, "value": float(value), "note": notes.get((year, kind), "")}
            for kind, pairs in series.items()
            for year, value in pairs
        ),
        key=lambda v: (v["year"], v["kind"]),
    )
    return {
        "hospital": {"code": organisation.code, "name_zh": organisation.name_zh, "name_en": organisation.name_en},
        "values": values,
    }


@router.get(
    "/indicators/trend",
    response=TrendOut,
    auth=SIGNED_IN,
    summary="Indicator trend over a programme's supported hospitals",
)
def indicator_trend(request, query: Query[TrendQuery]):
    _authenticated(request)
    programme = pairing_programme_for_user(user=request.user, code=query.programme)
    # Translators: 您无权查看该项目的指标趋势
    require_perm(
        request.user, "indicators.view_trend", programme, _("You may not see this programme's indicator trend.")
    )
    trend = selectors.indicator_trend(programme=programme, city=query.city, county=query.county)
    return {
        "programme": programme.code,
        "city": query.city,
        "county": query.county,
        "indicators": [
            {
                "kind": item.kind,
                "name": item.label,
                "target": float(item.target.value) if item.target.value is not None else None,
                "better": item.target.better,
                "years": [
                    {
                        "year": y.year,
                        "n": y.n,
                        "mean": float(y.mean),
                        "min": float(y.min),
                        "max": float(y.max),
                        "reached": y.reached,
                    }
                    for y in item.years
                ],
            }
            for item in trend.values()
        ],
    }


@router.get(
    "/hospitals/{code}/indicators",
    response=HospitalIndicatorsOut,
    auth=SIGNED_IN,
    summary="A hospital's yearly indicators",
)
def hospital_indicators(request, code: str):
    organisation = _hospital(request, code, "indicators.view_indicators")
    return _hospital_out(organisation)


@router.put(
    "/hospitals/{code}/indicators",
    response={200: HospitalIndicatorsOut, 422: dict},
    auth=SIGNED_IN,
    summary="Set a hospital's yearly indicators (all or nothing)",
)
def hospital_indicators_put(request, code: str, payload: list[ValueIn]):
    organisation = _hospital(request, code, "indicators.change_indicators")
    rows = [{"year": item.year, "kind": item.kind, "value": item.value, "note": item.note} for item in payload]
    try:
        services.indicators_save_table(actor=request.user, organisation=organisation, rows=rows)
    except ApplicationError as error:
        problems = error.extra.get("errors")
        if not problems:
            raise
        return Status(
            422,
            {
                "errors": [
                    {"field": f"{p['index']}.{p['field']}", "message": services.cell_message(services.CellError(**p))}
                    for p in problems
                ]
            },
        )
    return _hospital_out(organisation)
