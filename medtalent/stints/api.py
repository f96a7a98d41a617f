"""GET /api/v1/stints (the stints the caller may see, filtered, paginated) and POST /api/v1/stints (record a
dispatched doctor or an upward trainee of a pairing, through the same service as the page).

A visitor gets 401, a user who may not record on the pairing 403, a broken rule 400 with its field, a
malformed body 422; all in the JSON error format ({"errors": [{"field", "message"}]}).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from medtalent.core.api_auth import SIGNED_IN
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import TEXT_MEDIUM
from medtalent.partnerships.selectors import pairing_for_user
from medtalent.people.models import Person
from medtalent.stints import selectors, services
from medtalent.stints.enums import StintKind, StintRole

router = Router(tags=["stints"])


class InstitutionOut(Schema):
    code: str
    name_zh: str
    name_en: str


class PersonOut(Schema):
    id: int
    name: str


class TitleOut(Schema):
    code: str
    name_zh: str


class StintOut(Schema):
    id: int
    kind: str
    state: str
    person: PersonOut
    home: InstitutionOut
    home_department: str
    host: InstitutionOut
    host_department: str
    role: str
    starts_on: dt.date
    ends_on: dt.date
    title: TitleOut | None
    pairing: int | None
    committee: str | None
    mentor: str


class StintPage(Schema):
    count: int
    page: int
    pages: int
    results: list[StintOut]


class StintQuery(Schema):
    pairing: int | None = Field(None, ge=1, description="Pairing id")
    kind: StintKind | None = Field(None, description="dispatch, upward, inbound or training")
    host: str = Field("", max_length=80, description="Host organisation's code")
    year: int | None = Field(None, ge=1900, le=2100, description="Stints running in that year")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class StintIn(Schema):
    kind: Literal["dispatch", "upward"]
    pairing: int = Field(..., ge=1)
    person: int = Field(..., ge=1, description="Person id, on the staff of the sending hospital")
    starts_on: dt.date
    ends_on: dt.date
    home_department: str = Field("", max_length=100)
    host_department: str = Field("", max_length=100)
    role: StintRole | None = None
    mentor: str = Field("", max_length=100)
    note: str = Field("", max_length=TEXT_MEDIUM)


def _institution(org) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en}


def _out(stint) -> dict:
    return {
        "id": stint.pk,
        "kind": stint.kind,
        "state": stint.state,
        "person": {"id": stint.person_id, "name": stint.person.name},
        "home": _institution(stint.home),
        "home_department": stint.home_department,
        "host": _institution(stint.host),
        "host_department": stint.host_department,
        "role": stint.role,
        "starts_on": stint.starts_on,
        "ends_on": stint.ends_on,
        "title": {"code": stint.title.code, "name_zh": stint.title.name_zh} if stint.title_id else None,
        "pairing": stint.pairing_id,
        "committee": stint.committee.code if stint.committee_id else None,
        "mentor": stint.mentor,
    }


@router.get("/stints", response=StintPage, auth=SIGNED_IN, summary="Stints the caller may see")
def stints(request, query: Query[StintQuery]):
    page = selectors.stints_page(
        user=request.user,
        pairing=query.pairing,
        kind=query.kind.value if query.kind else "",
        host=query.host,
        year=query.year,
        page=query.page,
        page_size=query.page_size,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_out(s) for s in page.object_list],
    }


@router.post(
    "/stints", response={201: StintOut}, auth=SIGNED_IN, summary="Record a dispatched doctor or an upward trainee"
)
def stint_create(request, payload: StintIn):
    pairing = pairing_for_user(user=request.user, pk=payload.pairing)  # 404 outside the caller's pairings
    permission = "stints.add_dispatch" if payload.kind == StintKind.DISPATCH else "stints.add_upward"
    # Translators: 您无权为该对口支援关系登记这类人员。
    require_perm(request.user, permission, pairing, _("You may not record this kind of stint for this pairing."))
    home, host = (
        (pairing.supporting, pairing.supported)
        if payload.kind == StintKind.DISPATCH
        else (pairing.supported, pairing.supporting)
    )
    person = Person.objects.filter(pk=payload.person, employer=home).first()
    if person is None:
        raise ApplicationError(
            # Translators: %(home)s 的职工中没有编号为 %(id)s 的人员。
            _("There is no person with id %(id)s on the staff of %(home)s.")
            % {"id": payload.person, "home": home.name},
            field="person",
        )
    try:
        stint = services.stint_create(
            actor=request.user,
            kind=payload.kind,
            person=person,
            home=home,
            host=host,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            pairing=pairing,
            home_department=payload.home_department,
            host_department=payload.host_department,
            role=payload.role.value if payload.role else "",
            mentor=payload.mentor,
            note=payload.note,
        )
    except PermissionDenied as denied:
        raise HttpError(403, str(denied) or _("You may not record this kind of stint for this pairing.")) from denied
    return Status(201, _out(selectors.stint_get(pk=stint.pk)))
