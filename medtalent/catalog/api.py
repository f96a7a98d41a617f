"""GET /api/v1/programmes and /api/v1/programmes/{code}: the catalogue, through the same selectors as the web."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from medtalent.catalog import selectors
from medtalent.catalog.enums import DurationFilter, ProgrammeType
from medtalent.core.api_auth import PUBLIC

router = Router(tags=["programmes"])


class CodeName(Schema):
    code: str
    name_zh: str
    name_en: str


class QuotaOut(Schema):
    """A quota and who it counts; an empty filter counts everyone (catalog.quotas)."""

    id: int
    track: str
    minimum: int | None
    maximum: int
    approximate: bool
    round: str | None = Field(None, alias="round.code")
    parent: int | None = Field(
        None, alias="parent_id", description="The quota (id) whose places these are reserved from; null: top level"
    )
    unused: str = Field(
        ..., description="return: reserved places left unused go back to the parent quota; lapse: they are lost"
    )
    category: str | None = Field(None, alias="category.code", description="Category code")
    offering: int | None = Field(None, alias="offering_id", description="Offering id")
    host: str | None = Field(None, alias="host.code", description="Host organisation code")
    sending_unit: str | None = Field(None, alias="sending_unit.code", description="Sending unit organisation code")
    sending_region: str | None = Field(
        None, alias="sending_region.code", description="Region code (GB/T 2260); regions under it count too"
    )
    tag: str | None = Field(None, alias="tag.code", description="Tag of the sending unit (or of its region)")
    sort: int
    note_zh: str
    note_en: str
    display: str


class ProgrammeListItem(Schema):
    code: str
    name_zh: str
    name_en: str
    programme_type: ProgrammeType
    status: str
    owner: CodeName
    countries: list[CodeName]
    hosts: list[CodeName]
    duration_min: int | None
    duration_max: int | None
    duration_unit: str
    cost_min: Decimal | None
    cost_max: Decimal | None
    quotas: list[QuotaOut]
    is_open: bool


class ProgrammePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProgrammeListItem]


class CatalogueQuery(Schema):
    q: str = Field("", max_length=100, description="Words found in names, codes, hosts, specialties or synonyms")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2, e.g. FR")
    programme_type: ProgrammeType | None = None
    specialty: str = Field("", max_length=60, description="Specialty code, e.g. urology")
    duration: DurationFilter | None = None
    open_now: bool = False
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _code_name(obj) -> dict:
    return {"code": obj.code, "name_zh": obj.name_zh, "name_en": obj.name_en}


def _list_item(row: selectors.ProgrammeRow) -> dict:
    p = row.programme
    return {
        "code": p.code,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "programme_type": p.programme_type,
        "status": p.status,
        "owner": _code_name(p.owner),
        "countries": [_code_name(c) for c in p.countries.all()],
        "hosts": [_code_name(h) for h in row.hosts],
        "duration_min": p.duration_min,
        "duration_max": p.duration_max,
        "duration_unit": p.duration_unit,
        "cost_min": p.cost_min,
        "cost_max": p.cost_max,
        "quotas": list(p.quotas.all()),
        "is_open": p.is_open,
    }


@router.get("/programmes", response=ProgrammePage, auth=PUBLIC, summary="Search and filter the programme catalogue")
def programme_list(request, params: Query[CatalogueQuery]):
    filters = selectors.CatalogueFilters(
        q=params.q.strip(),
        country=params.country.upper(),
        programme_type=params.programme_type or "",
        specialty=params.specialty,
        duration=params.duration or "",
        open_now=params.open_now,
    )
    page, rows = selectors.catalogue_page(
        user=request.user, filters=filters, page=params.page, per_page=params.page_size
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_list_item(r) for r in rows],
    }


class RuleOut(Schema):
    kind: str
    params: dict
    is_blocking: bool
    text_zh: str
    text_en: str


class CategoryOut(Schema):
    code: str
    name_zh: str
    name_en: str
    target_zh: str
    target_en: str
    content_zh: str
    content_en: str
    duration_min: int | None
    duration_max: int | None
    duration_unit: str
    report_due_value: int | None
    report_due_unit: str = Field(..., description="days, working_days, weeks or months")
    report_due_roll: bool = Field(..., description="A due date on a day off moves to the next working day")
    progress_every_value: int | None
    progress_every_unit: str = Field(..., description="days, working_days, weeks or months")
    evaluation_focus_zh: str
    evaluation_focus_en: str
    rules: list[RuleOut]


class DepartmentOut(Schema):
    code: str
    name_zh: str
    name_en: str
    name_local: str
    supervisors: list[str] = Field(..., alias="supervisor_list")


class OfferingOut(Schema):
    host: CodeName | None
    department: DepartmentOut | None
    specialty: CodeName | None
    track: str
    capacity: int | None
    requirements_zh: str
    requirements_en: str


class RoundOut(Schema):
    code: str
    name_zh: str
    name_en: str
    year: int | None
    batch: int | None
    application_opens: dt.date | None
    application_closes: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    period_note_zh: str
    period_note_en: str
    offerings: list[OfferingOut]


class AcceptedSpecialtyOut(Schema):
    specialty: CodeName
    label_zh: str
    label_en: str
    scope_note_zh: str
    scope_note_en: str


class ProgrammeDetail(Schema):
    code: str
    name_zh: str
    name_en: str
    programme_type: str
    status: str
    owner: CodeName
    countries: list[CodeName]
    partners: list[CodeName]
    summary_zh: str
    summary_en: str
    training_mode_zh: str
    training_mode_en: str
    duration_min: int | None
    duration_max: int | None
    duration_unit: str
    cost_min: Decimal | None
    cost_max: Decimal | None
    cost_covers_zh: str
    cost_covers_en: str
    notes_zh: str
    notes_en: str
    since_year: int | None
    is_open: bool
    quotas: list[QuotaOut]
    accepted_specialties: list[AcceptedSpecialtyOut]
    rules: list[RuleOut]
    categories: list[CategoryOut]
    rounds: list[RoundOut]
    hosts: list[CodeName]


@router.get(
    "/programmes/{code}",
    response=ProgrammeDetail,
    auth=PUBLIC,
    summary="One programme with its rounds, offerings, hosts and categories",
)
def programme_get(request, code: str):
    programme = selectors.programme_detail(user=request.user, code=code)
    hosts: dict[str, object] = {}
    for round_ in programme.rounds.all():
        for offering in round_.offerings.all():
            if offering.host is not None:
                hosts.setdefault(offering.host.code, offering.host)
    programme.hosts = list(hosts.values())
    return programme
