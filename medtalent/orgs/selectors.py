"""Reads for organisations: search by any name or alias, and one organisation with its departments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from medtalent.codes.regionnames import region_prefix
from medtalent.core.search import text_match_q
from medtalent.orgs.models import Department, Organisation, OrganisationAlias, Tag


def organisation_match_q(q: str, *, field: str = "", extra: tuple[str, ...] = ()) -> Q:
    """THE organisation search: a filter matching rows whose organisation contains every word of `q` in one of
    its names (Chinese, English, original language), its code, or one of its aliases (historical names,
    abbreviations such as 浙大一院, misspellings, other languages).

    `field` is the path to the organisation from the rows filtered ("" for organisations themselves,
    "organisation" for memberships, "employer" for people); `extra` names more fields of the rows that may hold a
    word (the city, for instance). Aliases are matched through an EXISTS subquery: no join, no duplicate row, and
    the same number of queries whatever matches."""
    prefix = f"{field}__" if field else ""
    target = f"{prefix}pk"
    names = tuple(f"{prefix}{name}" for name in ("name_zh", "name_en", "name_local", "code"))
    result = Q()
    for term in q.split()[:10]:
        aliases = OrganisationAlias.objects.filter(text_match_q(term, "name"), organisation=OuterRef(target))
        result &= text_match_q(term, *names, *extra) | Q(Exists(aliases))
    return result


def organisations_search(*, q: str = "", kind: str = "", country: str = "", region: str = "") -> QuerySet[Organisation]:
    """Organisations whose name in any language, code or alias contains every word of `q`."""
    qs = Organisation.objects.filter(is_active=True).filter(organisation_match_q(q))
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country__code=country.upper())
    if region:
        qs = qs.filter(region__code__startswith=region_prefix(region))
    return (
        qs.select_related("region", "country", "parent")
        .prefetch_related(Prefetch("aliases", queryset=OrganisationAlias.objects.order_by("name")))
        .order_by("code")
    )


def organisation_resolve(*, name: str) -> Organisation | None:
    """The organisation called `name` exactly, by any of its names or aliases."""
    name = name.strip()
    return (
        Organisation.objects.filter(
            Q(name_zh=name)
            | Q(name_en__iexact=name)
            | Q(name_local__iexact=name)
            | Q(code=name)
            | Q(aliases__name__iexact=name)
        )
        .distinct()
        .first()
    )


def organisation_detail(*, code: str) -> Organisation:
    """An organisation with its aliases, member organisations and departments (with their specialties); 404
    when no organisation has that code."""
    qs = Organisation.objects.select_related("region", "country", "parent").prefetch_related(
        "aliases",
        Prefetch("children", queryset=Organisation.objects.order_by("code")),
        Prefetch(
            "departments",
            queryset=Department.objects.prefetch_related("specialties").order_by("sort", "id"),
        ),
    )
    return get_object_or_404(qs, code=code)


# ---- Tags ----------------------------------------------------------------------------------------------------


def region_and_ancestors(code: str) -> tuple[str, ...]:
    """A GB/T 2260 region code and the codes above it: county 330302 → (330302, 330300, 330000)."""
    if len(code) != 6 or not code.isdigit():
        return (code,) if code else ()
    chain = [code, code[:4] + "00", code[:2] + "0000"]
    return tuple(dict.fromkeys(chain))


def tag_codes_for_organisations(organisation_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The tag codes each organisation has: its own, and those of its region and the regions above it.
    Three queries whatever the number of organisations."""
    ids = set(organisation_ids)
    if not ids:
        return {}
    own: dict[int, set[str]] = {pk: set() for pk in ids}
    for org_id, tag_code in Organisation.tags.through.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "tag__code"
    ):
        own[org_id].add(tag_code)
    by_region: dict[str, set[str]] = {}
    for region_code, tag_code in Tag.regions.through.objects.values_list("code__code", "tag__code"):
        by_region.setdefault(region_code, set()).add(tag_code)
    if by_region:
        for org_id, region_code in Organisation.objects.filter(pk__in=ids, region__isnull=False).values_list(
            "pk", "region__code"
        ):
            for code in region_and_ancestors(region_code):
                own[org_id] |= by_region.get(code, set())
    return {pk: frozenset(tags) for pk, tags in own.items()}


def tag_codes_for_organisation(organisation: Organisation | int | None) -> frozenset[str]:
    if organisation is None:
        return frozenset()
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    return tag_codes_for_organisations([pk])[pk]
