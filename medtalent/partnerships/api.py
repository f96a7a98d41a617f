"""GET /api/v1/pairing-checks, /api/v1/pairings and /api/v1/pairing-network: the checks, relationships and
a city's network (graph) of a pairing programme.

For the commission administrators in whose jurisdiction the programme lies: a visitor gets 401, anybody
else 403, both in the JSON error format ({"errors": [{"field", "message"}]}).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from medtalent.core.api_auth import SIGNED_IN
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.partnerships import selectors

router = Router(tags=["pairing support"])


class HospitalOut(Schema):
    code: str
    name_zh: str
    name_en: str


class RegionOut(Schema):
    code: str
    name_zh: str


class FindingOut(Schema):
    rule: str
    rule_text: str
    message: str
    hospitals: list[HospitalOut]
    region: RegionOut | None
    count: int | None


class ChecksOut(Schema):
    programme: str
    findings: list[FindingOut]
    counties_without_pairing: list[RegionOut]


class PairingOut(Schema):
    supporting: HospitalOut
    supported: HospitalOut
    county: RegionOut | None
    city: RegionOut | None
    source: str
    starts_on: str | None
    ends_on: str | None


class PairingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PairingOut]


class ProgrammeQuery(Schema):
    programme: str = Field(selectors.DEFAULT_PROGRAMME, max_length=60, description="Programme code")


class PairingQuery(ProgrammeQuery):
    city: str = Field("", max_length=16, description="GB/T 2260 code of the city whose list names it, e.g. 330100")
    supporting: str = Field("", max_length=80, description="Supporting hospital's code")
    supported: str = Field("", max_length=80, description="Supported hospital's code")
    county: str = Field("", max_length=16, description="GB/T 2260 code the supported hospital lies in (or under)")
    year: int | None = Field(None, ge=1900, le=2100, description="Relationships running in that year")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


def _programme(request, code: str):
    if not request.user.is_authenticated:
        raise AuthenticationError
    programme = selectors.pairing_programme_for_user(user=request.user, code=code)
    # Translators: 您无权查看该项目的对口支援关系
    require_perm(request.user, "partnerships.view_pairings", programme, _("You may not see this programme's pairings."))
    return programme


def _hospital(org) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en}


def _region(code) -> dict | None:
    return {"code": code.code, "name_zh": code.name_zh} if code else None


@router.get("/pairing-checks", response=ChecksOut, auth=SIGNED_IN, summary="Findings of a pairing programme's rules")
def pairing_checks(request, query: Query[ProgrammeQuery]):
    programme = _programme(request, query.programme)
    findings = selectors.pairing_findings(programme=programme)
    return {
        "programme": programme.code,
        "findings": [
            {
                "rule": f.rule,
                "rule_text": f.rule_text,
                "message": f.message,
                "hospitals": [{"code": h.code, "name_zh": h.name_zh, "name_en": h.name_en} for h in f.hospitals],
                "region": {"code": f.region, "name_zh": f.region_name} if f.region else None,
                "count": f.count,
            }
            for f in findings
        ],
        "counties_without_pairing": [{"code": f.region, "name_zh": f.region_name} for f in findings if f.region],
    }


@router.get("/pairings", response=PairingPage, auth=SIGNED_IN, summary="Relationships of a pairing programme")
def pairings(request, query: Query[PairingQuery]):
    programme = _programme(request, query.programme)
    filters = selectors.PairingFilters(
        city=query.city, supporting=query.supporting, supported=query.supported, county=query.county, year=query.year
    )
    page, rows = selectors.pairings_page(
        programme=programme, filters=filters, page=query.page, page_size=query.page_size
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "supporting": _hospital(p.supporting),
                "supported": _hospital(p.supported),
                "county": _region(p.supported.region),
                "city": _region(p.city),
                "source": p.source,
                "starts_on": p.starts_on.isoformat() if p.starts_on else None,
                "ends_on": p.ends_on.isoformat() if p.ends_on else None,
            }
            for p in rows
        ],
    }


class NetworkQuery(ProgrammeQuery):
    city: str = Field("", max_length=16, description="GB/T 2260 code of one of the programme's cities, e.g. 331100")


class NodeOut(Schema):
    id: str = Field(description="The hospital's code")
    name: str
    name_zh: str
    name_en: str
    category: str = Field(description="supporting or supported")
    county: str
    county_code: str
    supported_count: int = Field(description="Hospitals of this network it supports")
    symbol_size: int


class LinkOut(Schema):
    source: str = Field(description="Supporting hospital's code")
    target: str = Field(description="Supported hospital's code")
    pairing: int
    annex: str
    city: str | None


class NetworkOut(Schema):
    programme: str
    city: RegionOut | None
    cities: list[RegionOut]
    nodes: list[NodeOut]
    links: list[LinkOut]
    counties: list[RegionOut]


@router.get("/pairing-network", response=NetworkOut, auth=SIGNED_IN, summary="A city's pairing network (graph)")
def pairing_network(request, query: Query[NetworkQuery]):
    """The relationships whose supported hospital lies in the city or that the city's list names: nodes
    (supporting and supported hospitals), links, and the city's counties with no pairing. Without `city`,
    the programme's first city."""
    programme = _programme(request, query.programme)
    cities = selectors.pairing_cities(programme=programme)
    city = selectors.network_city(cities=cities, code=query.city.strip())
    if city is None and query.city.strip():
        # Translators: 该项目的对口支援关系中没有这个城市：%(city)s
        raise ApplicationError(
            _("This programme has no pairing in the city %(city)s.") % {"city": query.city}, field="city"
        )
    network = {"nodes": [], "links": [], "counties": []}
    if city is not None:
        network = selectors.pairing_network(programme=programme, city=city)
    return {
        "programme": programme.code,
        "city": _region(city),
        "cities": [_region(c) for c in cities],
        "nodes": network["nodes"],
        "links": network["links"],
        "counties": network["counties"],
    }
