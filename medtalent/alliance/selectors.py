"""Reads for the alliance's public pages: member directory, event calendar, event and committee pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.codes.models import Code
from medtalent.core.search import text_match_q
from medtalent.orgs.models import Organisation

# The alliance the public pages show (seed 002). Another alliance would get its own code in the URL.
ALLIANCE_CODE = "bri-medical-talent-alliance"
# The directory's "country" filter value for Chinese members (they have a region, not a country).
CHINA = "CN"


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    country: str = ""
    kind: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.country or self.kind)


@dataclass(frozen=True)
class EventFilters:
    year: int | None = None
    kind: str = ""
    country: str = ""

    @property
    def active(self) -> bool:
        return bool(self.year or self.kind or self.country)


def alliance_get(*, code: str = ALLIANCE_CODE) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("parent"), code=code)


def alliance_counts(*, alliance: Organisation) -> dict[str, int]:
    """Members and partners recorded, the countries of the partners, events and committees: one query."""
    memberships = Membership.objects.filter(alliance=alliance).aggregate(
        members=Count("pk", filter=Q(kind=MembershipKind.MEMBER)),
        partners=Count("pk", filter=Q(kind=MembershipKind.PARTNER)),
        countries=Count("organisation__country", distinct=True, filter=Q(kind=MembershipKind.PARTNER)),
    )
    return memberships


def directory_country_choices(*, alliance: Organisation) -> list[Code]:
    """The countries of the alliance's foreign institutions, by code."""
    return list(
        Code.objects.filter(
            table__slug="country", pk__in=Membership.objects.filter(alliance=alliance).values("organisation__country")
        ).order_by("code")
    )


def memberships_for_directory(*, alliance: Organisation, filters: DirectoryFilters) -> QuerySet[Membership]:
    qs = Membership.objects.filter(alliance=alliance)
    for term in filters.q.split():
        qs = qs.filter(
            text_match_q(
                term, "organisation__name_zh", "organisation__name_en", "organisation__name_local", "organisation__city"
            )
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country == CHINA:
        qs = qs.filter(organisation__country__isnull=True)
    elif filters.country:
        qs = qs.filter(organisation__country__code=filters.country)
    return qs.select_related("organisation", "organisation__country", "organisation__region").order_by(
        "kind", "organisation__country__code", "organisation__name_en", "organisation__code"
    )


def event_years(*, alliance: Organisation) -> list[int]:
    dates = Event.objects.filter(alliance=alliance, starts_on__isnull=False).dates("starts_on", "year", order="DESC")
    return [d.year for d in dates]


def event_country_choices(*, alliance: Organisation) -> list[Code]:
    return list(
        Code.objects.filter(
            table__slug="country",
            pk__in=Event.countries.through.objects.filter(event__alliance=alliance).values("code_id"),
        ).order_by("code")
    )


def events_for_calendar(*, alliance: Organisation, filters: EventFilters) -> list[Event]:
    """Events newest first; those the text does not date come last."""
    qs = Event.objects.filter(alliance=alliance)
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(countries__code=filters.country).distinct()
    qs = qs.select_related("committee").prefetch_related("countries")
    dated = list(qs.filter(starts_on__isnull=False).order_by("-starts_on", "code"))
    undated = [] if filters.year else list(qs.filter(starts_on__isnull=True).order_by("code"))
    return dated + undated


def calendar_months(events: list[Event]) -> list[dict]:
    """Group events by (year, month) for the calendar; undated ones in a last group with month None."""

    def key(event: Event):
        return (event.starts_on.year, event.starts_on.month) if event.starts_on else (None, None)

    return [
        {"month": dt.date(year, month, 1) if year else None, "events": list(rows)}
        for (year, month), rows in groupby(events, key=key)
    ]


def event_detail(*, code: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("alliance", "committee").prefetch_related("countries", "organisers"), code=code
    )


def committee_detail(*, code: str) -> Committee:
    return get_object_or_404(
        Committee.objects.select_related("alliance", "chair").prefetch_related("members", "events__countries"),
        code=code,
    )
