"""Reads for the alliance: the public pages (directory, calendar, event and committee pages, the API) and the
secretariat's management pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.alliance.rules import secretariat_alliance_ids
from medtalent.codes.models import Code
from medtalent.core.models import pick_language
from medtalent.orgs.models import Organisation
from medtalent.orgs.selectors import organisation_match_q

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
    if filters.q:
        # The one organisation search (names, code, aliases and abbreviations such as 浙大一院), or the city.
        qs = qs.filter(organisation_match_q(filters.q, field="organisation", extra=("organisation__city",)))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country == CHINA:
        qs = qs.filter(organisation__country__isnull=True)
    elif filters.country:
        qs = qs.filter(organisation__country__code=filters.country)
    return qs.select_related("organisation", "organisation__country", "organisation__region__parent__parent").order_by(
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


def events_for_calendar(*, alliance: Organisation, filters: EventFilters, with_organisers: bool = False) -> list[Event]:
    """Events newest first; those the text does not date come last."""
    qs = Event.objects.filter(alliance=alliance)
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(countries__code=filters.country).distinct()
    qs = qs.select_related("committee").prefetch_related("countries")
    if with_organisers:
        qs = qs.prefetch_related("organisers")
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


def events_for_api(*, alliance: Organisation, filters: EventFilters) -> list[Event]:
    """The calendar's events with their organisers too (the API shows them): a fixed number of queries."""
    return events_for_calendar(alliance=alliance, filters=filters, with_organisers=True)


# The secretariat's pages ------------------------------------------------------------------------------------


def alliances_managed_by(*, user) -> list[Organisation]:
    """The alliances the user may manage: their secretariat's; for a superuser every alliance with records."""
    if getattr(user, "is_superuser", False):
        return list(
            Organisation.objects.filter(
                Q(code=ALLIANCE_CODE)
                | Q(pk__in=Membership.objects.values("alliance_id"))
                | Q(pk__in=Event.objects.values("alliance_id"))
                | Q(pk__in=Committee.objects.values("alliance_id"))
            ).order_by("code")
        )
    ids = secretariat_alliance_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("code")) if ids else []


def alliance_for_manager(*, user, code: str = "") -> Organisation:
    """The alliance a management page works on: the one named by `code`, else the user's own (404 if none).

    Whether the user may manage it is for the caller to check (`alliance.manage`)."""
    if code:
        return alliance_get(code=code)
    own = secretariat_alliance_ids(user)
    if own:
        return get_object_or_404(Organisation.objects.select_related("parent"), pk=own[0])
    return alliance_get()


@dataclass(frozen=True)
class CountryRow:
    code: str  # "" for Chinese institutions (no country recorded)
    name: str
    members: int
    partners: int


def alliance_counts_by_country(*, alliance: Organisation) -> list[CountryRow]:
    """Members and partners of the alliance by country (China first, then by count): one query."""
    rows = (
        Membership.objects.filter(alliance=alliance)
        .values("organisation__country__code", "organisation__country__name_zh", "organisation__country__name_en")
        .annotate(
            members=Count("pk", filter=Q(kind=MembershipKind.MEMBER)),
            partners=Count("pk", filter=Q(kind=MembershipKind.PARTNER)),
        )
        .order_by("organisation__country__code")
    )
    result = [
        CountryRow(
            code=r["organisation__country__code"] or "",
            name=pick_language(r["organisation__country__name_zh"] or "", r["organisation__country__name_en"] or ""),
            members=r["members"],
            partners=r["partners"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (r.code != "", -(r.members + r.partners), r.code))


def committees_for_manager(*, alliance: Organisation) -> list[Committee]:
    """The alliance's committees with their chair and counts of member hospitals and events: one query."""
    return list(
        Committee.objects.filter(alliance=alliance)
        .select_related("chair")
        .annotate(member_count=Count("members", distinct=True), event_count=Count("events", distinct=True))
        .order_by("code")
    )


def events_upcoming(*, alliance: Organisation, today: dt.date, limit: int = 20) -> list[Event]:
    """Events still to come or running on `today`, soonest first: two queries (events, their countries)."""
    qs = (
        Event.objects.filter(alliance=alliance)
        .filter(Q(starts_on__gte=today) | Q(ends_on__gte=today))
        .select_related("committee")
        .prefetch_related("countries")
        .order_by("starts_on", "code")
    )
    return list(qs[:limit])


def events_recent(*, alliance: Organisation, today: dt.date, limit: int = 10) -> list[Event]:
    """The latest events already begun (or undated), newest first: two queries."""
    qs = (
        Event.objects.filter(alliance=alliance)
        .exclude(Q(starts_on__gte=today) | Q(ends_on__gte=today))
        .prefetch_related("countries")
        .order_by(F("starts_on").desc(nulls_last=True), "code")
    )
    return list(qs[:limit])


def membership_for_manager(*, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("alliance", "organisation", "organisation__country", "organisation__region"),
        pk=pk,
    )


def memberships_for_manager(*, alliance: Organisation) -> QuerySet[Membership]:
    """The alliance's members and partners for the secretariat's list (THE scope of that list), with what its
    columns show: one query for a page of any length."""
    return (
        Membership.objects.filter(alliance=alliance)
        .select_related("organisation", "organisation__country", "organisation__region__parent__parent")
        .order_by("kind", "organisation__country__code", "organisation__name_zh", "organisation__code")
    )


def event_for_manager(*, code: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("alliance", "committee").prefetch_related("countries", "organisers"), code=code
    )


def organisations_for_membership(*, alliance: Organisation, q: str = "") -> QuerySet[Organisation]:
    """Institutions that may join the alliance: active, not the alliance itself, not already in it."""
    qs = Organisation.objects.filter(is_active=True).exclude(pk=alliance.pk)
    qs = qs.exclude(pk__in=Membership.objects.filter(alliance=alliance).values("organisation_id"))
    if q:
        qs = qs.filter(organisation_match_q(q))
    return qs.select_related("country", "region").order_by("name_zh", "code")


def event_organiser_choices(*, alliance: Organisation, event: Event | None = None) -> QuerySet[Organisation]:
    """Who may be named as an organiser on the form: the alliance, its parent, its members and partners, and
    whoever the event already names."""
    q = Q(pk=alliance.pk) | Q(pk__in=Membership.objects.filter(alliance=alliance).values("organisation_id"))
    if alliance.parent_id:
        q |= Q(pk=alliance.parent_id)
    if event is not None and event.pk:
        q |= Q(pk__in=Event.organisers.through.objects.filter(event=event).values("organisation_id"))
    return Organisation.objects.filter(q).order_by("name_zh", "code")


def country_codes() -> QuerySet[Code]:
    """Every ISO 3166-1 country, by code."""
    return Code.objects.filter(table__slug="country").order_by("code")


def countries_by_code(*, codes: list[str]) -> dict[str, Code]:
    return {c.code: c for c in Code.objects.filter(table__slug="country", code__in=codes)}


def organisations_by_code(*, codes: list[str]) -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.filter(code__in=codes)}


def memberships_page(*, alliance: Organisation, filters: DirectoryFilters, page: int = 1, page_size: int = 50):
    """A page of the directory: (page object, its rows). Two queries (count, rows)."""
    paginator = Paginator(memberships_for_directory(alliance=alliance, filters=filters), page_size)
    page_obj = paginator.get_page(page)
    return page_obj, list(page_obj.object_list)
