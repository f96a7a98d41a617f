"""Reads for stints: what a user may see, a pairing's dispatched staff and upward trainees, a hospital's
roster (people it hosts, people it sent), the alliance's inbound foreign trainees, yearly counts.

Every list comes with the person, the two institutions and the title in the same query (`STINT_RELATED`),
so a page costs the same number of queries whatever it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import jurisdiction_q, organisation_ids_for_role
from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.models import Committee, Membership
from medtalent.orgs.models import Organisation
from medtalent.partnerships.models import Pairing
from medtalent.people.models import Person
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint

PAGE_SIZE = 50
CHINA = "CN"
PAIRING_KINDS = (StintKind.DISPATCH, StintKind.UPWARD)

# What a list row shows (person, both institutions, title) and what the permission rules read (regions,
# the pairing's programme owner, the committee's alliance).
STINT_RELATED = (
    "person",
    "home",
    "home__region",
    "host",
    "host__region",
    "title",
    "committee",
    "pairing",
    "pairing__programme__owner__region",
)


def _ids(organisation: Organisation | int | Iterable[int]) -> list[int]:
    if isinstance(organisation, Organisation):
        return [organisation.pk]
    if isinstance(organisation, int):
        return [organisation]
    return list(organisation)


def _visible_q(*, user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    alliances = organisation_ids_for_role(user=user, role=Role.ALLIANCE_SECRETARIAT)
    q = Q(person__user=user) | Q(home_id__in=units) | Q(host_id__in=units)
    q |= jurisdiction_q(
        user=user,
        region_field="pairing__programme__owner__region__code",
        organisation_field="pairing__programme__owner",
    )
    q |= jurisdiction_q(user=user, region_field="home__region__code", organisation_field="home")
    q |= jurisdiction_q(user=user, region_field="host__region__code", organisation_field="host")
    if alliances:
        members = Membership.objects.filter(alliance_id__in=alliances, kind=MembershipKind.MEMBER).values(
            "organisation_id"
        )
        q |= Q(kind=StintKind.INBOUND) & (Q(committee__alliance_id__in=alliances) | Q(host_id__in=members))
    return q


def stints_visible_to(*, user) -> QuerySet[Stint]:
    """Every stint the user may see (the rule `stints.view_stint`, as a filter)."""
    return Stint.objects.filter(_visible_q(user=user)).select_related(*STINT_RELATED)


def stint_get(*, pk: int) -> Stint:
    return get_object_or_404(
        Stint.objects.select_related(*STINT_RELATED, "person__title", "committee__alliance"), pk=pk
    )


def stint_for_user(*, user, pk: int) -> Stint:
    """One stint the user may see (`stints_visible_to`), with what its page and the rules read; 404 for anything
    else, so nobody learns which stints exist."""
    stint = get_object_or_404(
        stints_visible_to(user=user).select_related("person__title", "committee__alliance"), pk=pk
    )
    if not user.has_perm("stints.view_stint", stint):
        raise Http404("No such stint.")
    return stint


def pairing_get(*, pk: int) -> Pairing:
    return get_object_or_404(
        Pairing.objects.select_related("supporting", "supported", "programme__owner__region"), pk=pk
    )


def stints_for_pairing(*, pairing: Pairing | int, user=None) -> QuerySet[Stint]:
    """The pairing's dispatched staff and upward trainees, with person, home and host in one query; only
    those `user` may see when a user is given."""
    qs = Stint.objects.filter(pairing=pairing, kind__in=PAIRING_KINDS)
    if user is not None:
        qs = qs.filter(_visible_q(user=user))
    return qs.select_related(*STINT_RELATED).order_by("-starts_on", "id")


def stints_hosted_by(*, organisation: Organisation | int | Iterable[int]) -> QuerySet[Stint]:
    """People the hospital receives (dispatched to it, sent up to it, trainees from abroad)."""
    return Stint.objects.filter(host_id__in=_ids(organisation)).select_related(*STINT_RELATED)


def stints_sent_by(*, organisation: Organisation | int | Iterable[int]) -> QuerySet[Stint]:
    """People the hospital sent elsewhere."""
    return Stint.objects.filter(home_id__in=_ids(organisation)).select_related(*STINT_RELATED)


def stints_roster(*, organisation: Organisation | int | Iterable[int]) -> QuerySet[Stint]:
    """A hospital's roster: the people it receives and the people it sent, newest first (one query)."""
    ids = _ids(organisation)
    return (
        Stint.objects.filter(Q(host_id__in=ids) | Q(home_id__in=ids))
        .select_related(*STINT_RELATED)
        .order_by("-starts_on", "id")
    )


def stints_inbound_for_alliances(*, alliance_ids: Iterable[int]) -> QuerySet[Stint]:
    """Inbound foreign trainees of the alliances: through one of their committees or at a member hospital."""
    alliance_ids = list(alliance_ids)
    members = Membership.objects.filter(alliance_id__in=alliance_ids, kind=MembershipKind.MEMBER).values(
        "organisation_id"
    )
    return (
        Stint.objects.filter(kind=StintKind.INBOUND)
        .filter(Q(committee__alliance_id__in=alliance_ids) | Q(host_id__in=members))
        .select_related(*STINT_RELATED)
    )


def stint_counts_by_year(*, pairing: Pairing | int) -> dict[int, dict[str, int]]:
    """Dispatched staff and upward trainees of the pairing per calendar year, cancelled stints left out.

    A stint counts in every year its period touches (a doctor dispatched from October 2024 to March 2025 is
    one of 2024's and one of 2025's). Years are sorted; each holds both kinds, 0 when none. One query."""
    rows = (
        Stint.objects.filter(pairing=pairing, kind__in=PAIRING_KINDS)
        .exclude(state=StintState.CANCELLED)
        .values_list("kind", "starts_on", "ends_on")
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for kind, starts_on, ends_on in rows:
        for year in range(starts_on.year, ends_on.year + 1):
            counts.setdefault(year, {k.value: 0 for k in PAIRING_KINDS})[kind] += 1
    return dict(sorted(counts.items()))


def stints_overlapping(*, person: Person | int, starts_on: dt.date, ends_on: dt.date) -> QuerySet[Stint]:
    """The person's stints (not cancelled) whose period overlaps the given one."""
    return (
        Stint.objects.filter(person=person, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(state=StintState.CANCELLED)
        .select_related("host")
        .order_by("starts_on", "id")
    )


def stints_page(
    *,
    user,
    pairing: int | None = None,
    kind: str = "",
    host: str = "",
    year: int | None = None,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
) -> Page:
    """The API list: the user's visible stints, filtered by pairing id, kind, host code and a year the stint
    runs in, paginated."""
    qs = stints_visible_to(user=user)
    if pairing is not None:
        qs = qs.filter(pairing_id=pairing)
    if kind:
        qs = qs.filter(kind=kind)
    if host:
        qs = qs.filter(host__code=host)
    if year is not None:
        qs = qs.filter(starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1))
    return Paginator(qs.order_by("-starts_on", "id"), page_size).get_page(page)


# Choices for the forms -----------------------------------------------------------------------------------


def staff_of(*, organisation: Organisation | int) -> QuerySet[Person]:
    """People employed by the hospital, to choose whom to dispatch or send up."""
    return Person.objects.filter(employer=organisation).select_related("title").order_by("name", "id")


def foreign_institutions() -> QuerySet[Organisation]:
    """Institutions abroad (a country other than China), for an inbound trainee's home."""
    return (
        Organisation.objects.filter(country__isnull=False)
        .exclude(country__code=CHINA)
        .select_related("country")
        .order_by("name_zh", "id")
    )


def alliance_member_hospitals(*, alliance_ids: Iterable[int]) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            memberships__alliance_id__in=list(alliance_ids), memberships__kind=MembershipKind.MEMBER
        )
        .distinct()
        .order_by("name_zh", "id")
    )


def alliance_committees(*, alliance_ids: Iterable[int]) -> QuerySet[Committee]:
    return Committee.objects.filter(alliance_id__in=list(alliance_ids)).order_by("code")
