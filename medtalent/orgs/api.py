"""GET /api/v1/organisations: search organisations by any of their names or aliases."""

from __future__ import annotations

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema

from medtalent.core.api_auth import PUBLIC
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.selectors import organisations_search

router = Router(tags=["organisations"])


class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str


class OrganisationOut(Schema):
    code: str
    name_zh: str
    name_en: str
    name_local: str
    kind: str
    level: str
    hospital_type: str
    region: RegionOut | None
    country: RegionOut | None
    city: str
    parent: str | None = Field(None, alias="parent.code")
    aliases: list[str]

    @staticmethod
    def resolve_aliases(obj) -> list[str]:
        return [a.name for a in obj.aliases.all()]


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganisationOut]


class OrganisationQuery(Schema):
    q: str = Field("", max_length=100, description="Any name, code or alias, e.g. Imperial Collage")
    kind: OrganisationKind | None = None
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    region: str = Field(
        "", max_length=6, pattern=r"^\d{0,6}$", description="GB/T 2260 code; a province or city covers what lies below"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


@router.get(
    "/organisations", response=OrganisationPage, auth=PUBLIC, summary="Search organisations by any name or alias"
)
def organisation_list(request, params: Query[OrganisationQuery]):
    qs = organisations_search(q=params.q, kind=params.kind or "", country=params.country, region=params.region)
    page = Paginator(qs, params.page_size).get_page(params.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page),
    }
