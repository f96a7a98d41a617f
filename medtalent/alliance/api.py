"""The alliance in the API: the member directory and the event calendar (public), and recording an event.

GET /api/v1/alliance/members, /api/v1/alliance/events and /api/v1/alliance/events/{code} need no login.
POST /api/v1/alliance/events is for the alliance's secretariat (`alliance.manage`): a visitor gets 401,
anybody else 403; a rule the event breaks is 400 and a malformed value 422, each naming the field
({"errors": [{"field", "message"}]}).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from medtalent.alliance import selectors, services
from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.core.api_auth import PUBLIC, SIGNED_IN
from medtalent.core.errors import require_perm
from medtalent.core.limits import TEXT_LONG

router = Router(tags=["alliance"])


class NamedCodeOut(Schema):
    code: str
    name_zh: str
    name_en: str


class InstitutionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    name_local: str
    kind: str
    country: NamedCodeOut | None
    region: NamedCodeOut | None
    city: str


class MembershipOut(Schema):
    organisation: InstitutionOut
    kind: str
    joined_on: dt.date | None


class MembershipPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MembershipOut]


class MembersQuery(Schema):
    alliance: str = Field(selectors.ALLIANCE_CODE, max_length=80, description="The alliance's code")
    kind: MembershipKind | None = Field(None, description="member or partner")
    country: str = Field(
        "", max_length=2, description="ISO 3166-1 alpha-2 of the institution; CN: the Chinese institutions"
    )
    q: str = Field(
        "",
        max_length=100,
        description="Any word of the institution's names, code, aliases or abbreviations, e.g. 浙大一院, 梅奥 or Mayo",
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class EventOut(Schema):
    code: str
    kind: str
    name_zh: str
    name_en: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    date_note_zh: str
    date_note_en: str
    place_zh: str
    place_en: str
    countries: list[NamedCodeOut]
    organisers: list[NamedCodeOut]
    committee: NamedCodeOut | None
    participants: int | None
    description_zh: str
    description_en: str

    @staticmethod
    def resolve_countries(obj) -> list:
        return list(obj.countries.all())

    @staticmethod
    def resolve_organisers(obj) -> list:
        return list(obj.organisers.all())


class EventList(Schema):
    count: int
    results: list[EventOut]


class EventsQuery(Schema):
    alliance: str = Field(selectors.ALLIANCE_CODE, max_length=80, description="The alliance's code")
    kind: EventKind | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="Events starting in that year")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2 of a country the event concerns")


class EventIn(Schema):
    alliance: str = Field(selectors.ALLIANCE_CODE, max_length=80)
    code: str = Field("", max_length=80, description="Left empty, made from the start month and the English name")
    kind: EventKind
    name_zh: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = Field(None, description="Not before starts_on")
    date_note_zh: str = Field("", max_length=100, description="Left empty, written from the dates")
    date_note_en: str = Field("", max_length=100)
    place_zh: str = Field("", max_length=200)
    place_en: str = Field("", max_length=200)
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes")
    organisers: list[str] = Field(default_factory=list, description="Organisation codes")
    committee: str = Field("", max_length=60, description="Code of one of the alliance's committees")
    participants: int | None = Field(None, ge=0)
    description_zh: str = Field("", max_length=TEXT_LONG)
    description_en: str = Field("", max_length=TEXT_LONG)


def _institution(org) -> dict:
    return {
        "code": org.code,
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "name_local": org.name_local,
        "kind": org.kind,
        "country": org.country,
        "region": org.region,
        "city": org.city,
    }


@router.get("/alliance/members", response=MembershipPage, auth=PUBLIC, summary="The alliance's members and partners")
def alliance_members(request, query: Query[MembersQuery]):
    alliance = selectors.alliance_get(code=query.alliance)
    filters = selectors.DirectoryFilters(q=query.q.strip(), country=query.country.upper(), kind=query.kind or "")
    page, rows = selectors.memberships_page(
        alliance=alliance, filters=filters, page=query.page, page_size=query.page_size
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {"organisation": _institution(m.organisation), "kind": m.kind, "joined_on": m.joined_on} for m in rows
        ],
    }


@router.get(
    "/alliance/events", response=EventList, auth=PUBLIC, summary="The alliance's events, newest first, undated last"
)
def alliance_events(request, query: Query[EventsQuery]):
    alliance = selectors.alliance_get(code=query.alliance)
    filters = selectors.EventFilters(year=query.year, kind=query.kind or "", country=query.country.upper())
    events = selectors.events_for_api(alliance=alliance, filters=filters)
    return {"count": len(events), "results": events}


@router.get("/alliance/events/{code}", response=EventOut, auth=PUBLIC, summary="One event of the alliance")
def alliance_event(request, code: str):
    return selectors.event_detail(code=code)


@router.post(
    "/alliance/events",
    response={201: EventOut},
    auth=SIGNED_IN,
    summary="Record an event (the alliance's secretariat)",
)
def alliance_event_create(request, payload: EventIn):
    alliance = selectors.alliance_get(code=payload.alliance)
    # Translators: 您无权为该联盟记录活动
    require_perm(request.user, "alliance.manage", alliance, _("You may not record events of this alliance."))
    data = services.EventInput(
        kind=payload.kind,
        name_zh=payload.name_zh,
        name_en=payload.name_en,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        date_note_zh=payload.date_note_zh,
        date_note_en=payload.date_note_en,
        place_zh=payload.place_zh,
        place_en=payload.place_en,
        countries=tuple(payload.countries),
        organisers=tuple(payload.organisers),
        committee=payload.committee,
        participants=payload.participants,
        description_zh=payload.description_zh,
        description_en=payload.description_en,
    )
    event = services.event_create(actor=request.user, alliance=alliance, data=data, code=payload.code)
    return Status(201, selectors.event_detail(code=event.code))
