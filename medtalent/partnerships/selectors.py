"""Reads for pairing support: the relationships of a programme, filtered, and the checks on its network.

The checks are the programme's `PairingRule` rows; every number they compare with comes from the rule's
`params`. `pairing_findings` costs five queries whatever the size of the network:

- supported_per_general / supported_per_specialty ({"target": 3, "tolerance": 1}): a tertiary hospital
  (level 3, 3A, 3B) of hospital type `general` (resp. `specialty`) that supports fewer than
  target − tolerance or more than target + tolerance hospitals is a finding. Other types (Chinese medicine,
  integrated, maternal and child) are not counted by either rule: the plan names general and specialty only.
- county_coverage ({"province": "330000"}): every county of the province must hold at least one hospital
  supported by a tertiary hospital. A county is a county-level division in force whose code ends in 21–99
  (县, 自治县, 县级市); districts (市辖区, 01–20) are left out, since the code cannot say which of them were
  rural counties in 2014. A supported hospital counts for the division it lies in now (富阳市 → 富阳区).
- no_duplicate: the same two hospitals paired twice in the programme (either direction). The table's unique
  constraint forbids the same direction twice; the loader reports a pair the data file lists twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Greatest, Least
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role, user_has_role
from medtalent.catalog.enums import ProgrammeType
from medtalent.catalog.models import Programme
from medtalent.catalog.rules import manages_programme
from medtalent.catalog.selectors import programmes_visible_to
from medtalent.codes.models import Code
from medtalent.codes.regionnames import region_prefix
from medtalent.core.models import pick_language
from medtalent.orgs.enums import HospitalType
from medtalent.partnerships.enums import AgreementState, PairingRuleKind
from medtalent.partnerships.models import Agreement, Pairing, PairingRule

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

DEFAULT_PROGRAMME = "zj-pairing-2014"
PAGE_SIZE = 50

RULE_TYPES: dict[str, str] = {
    PairingRuleKind.SUPPORTED_PER_GENERAL: HospitalType.GENERAL,
    PairingRuleKind.SUPPORTED_PER_SPECIALTY: HospitalType.SPECIALTY,
}


@dataclass(frozen=True)
class HospitalRef:
    code: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


@dataclass(frozen=True)
class Finding:
    rule: str
    rule_text: str
    message: str
    hospitals: tuple[HospitalRef, ...] = ()
    region: str = ""
    region_name: str = ""
    count: int | None = None
    extra: dict = field(default_factory=dict, compare=False)


def pairing_programme_get(*, code: str = DEFAULT_PROGRAMME) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("owner", "owner__region"),
        code=code,
        programme_type=ProgrammeType.PAIRING_SUPPORT,
    )


def pairing_programme_for_user(*, user, code: str = DEFAULT_PROGRAMME) -> Programme:
    """A pairing-support programme the user may see (published, a draft owned inside their jurisdiction, or one with
    a pairing of their hospital): 404 otherwise, exactly as for a code that does not exist. 403
    (`partnerships.view_pairings`, `indicators.view_trend`) stays for a programme the user sees but does not
    manage."""
    visible = Q(pk__in=programmes_visible_to(user=user).values("pk"))
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if units:
        own = Pairing.objects.filter(Q(supporting_id__in=units) | Q(supported_id__in=units))
        visible |= Q(pk__in=own.values("programme_id"))
    return get_object_or_404(
        Programme.objects.filter(visible).select_related("owner", "owner__region"),
        code=code,
        programme_type=ProgrammeType.PAIRING_SUPPORT,
    )


def _tertiary_q(prefix: str) -> Q:
    return Q(**{f"{prefix}level__startswith": "3"})


def _is_county(code: str) -> bool:
    return len(code) == 6 and code[4:] >= "21"


def counties_without_pairing(*, programme: Programme, rules: list[PairingRule] | None = None) -> list[Code]:
    """Counties of the coverage rule's province where no hospital is supported by a tertiary hospital."""
    rules = list(programme.pairing_rules.all()) if rules is None else rules
    rule = next((r for r in rules if r.kind == PairingRuleKind.COUNTY_COVERAGE), None)
    if rule is None:
        return []
    province = (rule.params or {}).get("province")
    if not province:
        region = programme.owner.region
        if region is None:
            raise ValueError(
                f"Programme {programme.code}: no province in the coverage rule and no region for its owner"
            )
        province = region.code
    province = str(province)
    covered = set(
        Pairing.objects.filter(programme=programme)
        .filter(_tertiary_q("supporting__"), supported__region__isnull=False)
        .values_list("supported__region__code", flat=True)
        .order_by()
        .distinct()
    )
    counties = Code.objects.filter(
        table__slug="region", level=3, valid_to__isnull=True, code__startswith=region_prefix(province)
    ).order_by("code")
    return [c for c in counties if _is_county(c.code) and c.code not in covered]


def _count_findings(programme: Programme, rules: list[PairingRule]) -> list[Finding]:
    wanted = {r.kind: r for r in rules if r.kind in RULE_TYPES}
    if not wanted:
        return []
    rows = (
        Pairing.objects.filter(programme=programme)
        .filter(_tertiary_q("supporting__"), supporting__hospital_type__in=[RULE_TYPES[k] for k in wanted])
        .values("supporting__code", "supporting__name_zh", "supporting__name_en", "supporting__hospital_type")
        .annotate(n=Count("supported", distinct=True), first=Min("sort"))
        .order_by()
    )
    per_hospital = {row["supporting__code"]: row for row in rows}
    findings = []
    for row in sorted(per_hospital.values(), key=lambda r: (r["first"], r["supporting__code"])):
        kind = next(k for k in wanted if RULE_TYPES[k] == row["supporting__hospital_type"])
        rule = wanted[kind]
        target, tolerance = int(rule.params.get("target", 0)), int(rule.params.get("tolerance", 0))
        n = row["n"]
        if target - tolerance <= n <= target + tolerance:
            continue
        hospital = HospitalRef(row["supporting__code"], row["supporting__name_zh"], row["supporting__name_en"])
        # Translators: 支援%(count)s所县级医院，方案要求%(target)s所左右（%(low)s—%(high)s）
        message = _("Supports %(count)s hospitals; the plan asks for about %(target)s (%(low)s to %(high)s).") % {
            "count": n,
            "target": target,
            "low": max(target - tolerance, 0),
            "high": target + tolerance,
        }
        findings.append(Finding(rule=kind, rule_text=rule.text, message=message, hospitals=(hospital,), count=n))
    return findings


def _duplicate_findings(programme: Programme, rule: PairingRule) -> list[Finding]:
    """Two hospitals paired more than once, in either direction: every pairing after the first of its pair.

    One aggregate over the unordered pair (least id, greatest id) finds the repeated pairs, usually none;
    only their rows are then read."""
    pairs = Pairing.objects.filter(programme=programme).annotate(
        low=Least("supporting_id", "supported_id"), high=Greatest("supporting_id", "supported_id")
    )
    repeated = list(pairs.values("low", "high").annotate(n=Count("id")).filter(n__gt=1).values_list("low", "high"))
    repeats: list[Pairing] = []
    if repeated:
        match = Q()
        for low, high in repeated:
            match |= Q(low=low, high=high)
        seen: set[tuple[int, int]] = set()
        for pair in pairs.filter(match).select_related("supporting", "supported").order_by("sort", "id"):
            key = (pair.low, pair.high)
            if key in seen:
                repeats.append(pair)
            seen.add(key)
    rows = repeats
    findings = []
    for pairing in rows:
        hospitals = tuple(HospitalRef(o.code, o.name_zh, o.name_en) for o in (pairing.supporting, pairing.supported))
        # Translators: 这两家医院的对口支援关系重复
        message = _("These two hospitals are paired more than once.")
        findings.append(Finding(rule=rule.kind, rule_text=rule.text, message=message, hospitals=hospitals))
    return findings


def pairing_findings(*, programme: Programme) -> list[Finding]:
    """Every finding of the programme's rules, rule by rule in the rules' order (five queries)."""
    rules = list(programme.pairing_rules.all())
    findings: list[Finding] = []
    count_findings = _count_findings(programme, rules)
    for rule in rules:
        if rule.kind in RULE_TYPES:
            findings += [f for f in count_findings if f.rule == rule.kind]
        elif rule.kind == PairingRuleKind.COUNTY_COVERAGE:
            for county in counties_without_pairing(programme=programme, rules=rules):
                # Translators: 该县没有县级医院与城市三级医院建立对口支援关系
                message = _("No hospital in this county is paired with a city tertiary hospital.")
                findings.append(
                    Finding(
                        rule=rule.kind,
                        rule_text=rule.text,
                        message=message,
                        region=county.code,
                        region_name=county.name_zh,
                    )
                )
        elif rule.kind == PairingRuleKind.NO_DUPLICATE:
            findings += _duplicate_findings(programme, rule)
    return findings


# ---- the list of relationships -------------------------------------------------------------------------------


@dataclass
class PairingFilters:
    city: str = ""
    supporting: str = ""
    supported: str = ""
    county: str = ""
    year: int | None = None


def year_q(year: int) -> Q:
    """The relationships running in `year` (an open start or end runs on)."""
    return Q(Q(starts_on__isnull=True) | Q(starts_on__lte=dt.date(year, 12, 31))) & Q(
        Q(ends_on__isnull=True) | Q(ends_on__gte=dt.date(year, 1, 1))
    )


def pairings_filtered(*, programme: Programme, filters: PairingFilters) -> QuerySet[Pairing]:
    qs = Pairing.objects.filter(programme=programme)
    if filters.city:
        qs = qs.filter(city__code=filters.city)
    if filters.supporting:
        qs = qs.filter(supporting__code=filters.supporting)
    if filters.supported:
        qs = qs.filter(supported__code=filters.supported)
    if filters.county:
        qs = qs.filter(supported__region__code__startswith=region_prefix(filters.county))
    if filters.year:
        qs = qs.filter(year_q(filters.year))
    return qs.select_related("supporting", "supporting__region", "supported", "supported__region", "city").order_by(
        "sort", "id"
    )


def pairings_page(
    *,
    programme: Programme,
    filters: PairingFilters,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
    with_agreements: bool = False,
):
    """A page of relationships: (page object, its rows). Two queries (count, rows), and one more for the
    rows' agreements (`pairings_attach_agreements`) when `with_agreements`."""
    paginator = Paginator(pairings_filtered(programme=programme, filters=filters), page_size)
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    if with_agreements:
        for row in rows:
            row.programme = programme  # the permission checks read it: no query per row
        pairings_attach_agreements(pairings=rows)
    return page_obj, rows


def pairing_cities(*, programme: Programme) -> list[Code]:
    """The cities named by the programme's relationships (Annex 2), for the filter."""
    return list(
        Code.objects.filter(pk__in=Pairing.objects.filter(programme=programme).values("city_id")).order_by("code")
    )


# Agreements ------------------------------------------------------------------------------------------------


def agreement_clauses(*, agreement) -> list:
    return list(agreement.clauses.order_by("sort", "id"))


def agreement_versions(*, pairing) -> list:
    """Every version of the pairing's agreement, newest first (the history)."""
    return list(pairing.agreements.order_by("-version"))


def agreement_current(*, pairing):
    """The approved version, else the newest one, else None."""
    return _current_of(agreement_versions(pairing=pairing))


def _managed_pairing_programmes(user) -> list[int]:
    """The pairing-support programmes a commission administrator manages (one query, kept on the user for
    the request like `roles_for_user`; none for anybody else)."""
    if not user_has_role(user=user, role=Role.COMMISSION_ADMIN):
        return []
    cached = getattr(user, "_pairing_programmes_cache", None)
    if cached is None:
        programmes = Programme.objects.filter(programme_type=ProgrammeType.PAIRING_SUPPORT).select_related(
            "owner__region"
        )
        cached = [p.pk for p in programmes if manages_programme(user, p)]
        user._pairing_programmes_cache = cached
    return cached


def _pairing_scope_q(user, prefix: str = "") -> Q:
    """Pairings (under `prefix`) whose agreements the user may see: those of their hospital (unit
    administrator) and those of the programmes they manage (commission administrator)."""
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    condition = Q(**{f"{prefix}supporting_id__in": units}) | Q(**{f"{prefix}supported_id__in": units})
    programmes = _managed_pairing_programmes(user)
    if programmes:
        condition |= Q(**{f"{prefix}programme_id__in": programmes})
    return condition


def agreements_visible_to(*, user) -> QuerySet:
    """The agreements a user may see: their hospital's (unit administrator) and those of the programmes
    they manage (commission administrator), scoped like `partnerships.view_agreement`."""
    return Agreement.objects.filter(_pairing_scope_q(user, "pairing__")).select_related(
        "pairing__supporting", "pairing__supported"
    )


def pairings_visible_to(*, user) -> QuerySet[Pairing]:
    """The pairings whose agreements the user may see (the same scope as `agreements_visible_to`)."""
    return Pairing.objects.filter(_pairing_scope_q(user))


def agreement_for_user(*, user, pk: int) -> Agreement:
    """One agreement version the user may see (`agreements_visible_to`), with what its page, its PDF and the
    permission rules read; 404 for anything else, so nobody learns which agreements exist."""
    qs = agreements_visible_to(user=user).select_related(
        "pairing__supporting",
        "pairing__supported",
        "pairing__programme__owner__region",
        "template",
        "approved_by_supporting",
        "approved_by_supported",
    )
    agreement = get_object_or_404(qs, pk=pk)
    if not user.has_perm("partnerships.view_agreement", agreement):
        raise Http404("No such agreement.")
    return agreement


def pairing_for_user(*, user, pk: int) -> Pairing:
    """One pairing the user may work on (its hospitals' unit administrators, the commission managing its
    programme: `pairings_visible_to`), with both hospitals and the programme's owner; 404 for anything else."""
    return get_object_or_404(
        pairings_visible_to(user=user).select_related(
            "supporting", "supported", "supported__region", "city", "programme__owner__region"
        ),
        pk=pk,
    )


def city_q(city: str, prefix: str = "") -> Q:
    """The relationships of a city: named by the city's list (Annex 2) or with the supported hospital in
    the city (e.g. a provincial hospital's, Annex 1)."""
    return Q(**{f"{prefix}city__code": city}) | Q(
        **{f"{prefix}supported__region__code__startswith": region_prefix(city)}
    )


def _current_of(versions: list[Agreement]) -> Agreement | None:
    """The approved version, else the newest one (versions newest first)."""
    return next((a for a in versions if a.state == AgreementState.APPROVED), versions[0] if versions else None)


class _AgreementAttrs(TypedDict):
    agreement_versions: list[Agreement]
    current_agreement: Agreement | None
    open_agreement: Agreement | None


if TYPE_CHECKING:
    PairingWithAgreements = WithAnnotations[Pairing, _AgreementAttrs]


def pairings_attach_agreements(*, pairings: list[Pairing]) -> list[Pairing]:
    """Give every pairing `current_agreement` (approved, else newest, else None) and `open_agreement`
    (a newer version being prepared beside the approved one, else None). One query for all of them."""
    prefetch_related_objects(pairings, agreement_versions_prefetch())
    for plain in pairings:
        agreements_from_versions(plain)
    return pairings


def agreement_versions_prefetch() -> Prefetch:
    """The prefetch a list of pairings needs for `agreements_from_versions` (one query for a page of rows)."""
    return Prefetch("agreements", queryset=Agreement.objects.order_by("-version"), to_attr="agreement_versions")


def agreements_from_versions(plain: Pairing) -> Pairing:
    """`current_agreement` and `open_agreement` of one pairing from its prefetched `agreement_versions`
    (no query); done once, a second call changes nothing."""
    pairing = cast("PairingWithAgreements", plain)  # `agreement_versions` comes from the prefetch's to_attr
    if "current_agreement" in pairing.__dict__:
        return pairing
    versions = pairing.agreement_versions
    current = _current_of(versions)
    newest = versions[0] if versions else None
    pairing.current_agreement = current
    # With a newest version there is a current one (the approved, else that newest).
    is_open = newest is not None and current is not None and newest.pk != current.pk
    pairing.open_agreement = newest if is_open else None
    return pairing


NO_AGREEMENT = "none"


def _current_state_subquery() -> Subquery:
    approved_first = Case(When(state=AgreementState.APPROVED, then=Value(0)), default=Value(1))
    return Subquery(
        Agreement.objects.filter(pairing=OuterRef("pk")).order_by(approved_first, "-version").values("state")[:1]
    )


def agreement_list_pairings(*, user) -> QuerySet[Pairing]:
    """The agreements list (table kit): the pairings in the user's scope (`pairings_visible_to`) with
    `current_state` annotated (the state of the current agreement, None without one), what the columns show,
    and their agreement versions prefetched (`agreements_from_versions`: one query for the page's rows)."""
    return (
        pairings_visible_to(user=user)
        .annotate(current_state=_current_state_subquery())
        .select_related("programme__owner__region", "supporting", "supported", "supported__region", "city")
        .prefetch_related(agreement_versions_prefetch())
        .order_by("programme_id", "sort", "id")
    )


def pairing_list_pairings(*, programme: Programme) -> QuerySet[Pairing]:
    """The pairings list of a programme (table kit): what the columns show and the agreement versions of the
    page's rows (`agreements_from_versions`)."""
    return (
        Pairing.objects.filter(programme=programme)
        .select_related("programme__owner__region", "supporting", "supported", "supported__region", "city")
        .prefetch_related(agreement_versions_prefetch())
        .order_by("sort", "id")
    )


def pairing_counties(*, programme: Programme) -> list[Code]:
    """The counties of the programme's supported hospitals, for the list's filter by name."""
    return list(
        Code.objects.filter(pk__in=Pairing.objects.filter(programme=programme).values("supported__region_id")).order_by(
            "code"
        )
    )


def agreement_filter_choices(*, user) -> tuple[list[Programme], list[Code]]:
    """The programmes and the cities (Annex 2) of the user's pairings, for the list's filters (two queries)."""
    scope = pairings_visible_to(user=user)
    programmes = list(Programme.objects.filter(pk__in=scope.values("programme_id")).order_by("code"))
    cities = list(Code.objects.filter(pk__in=scope.values("city_id")).order_by("code"))
    return programmes, cities


# The pairing network of a city (the graph) -------------------------------------------------------------------

SUPPORTING = "supporting"
SUPPORTED = "supported"


def network_city(*, cities: list[Code], code: str) -> Code | None:
    """The city asked for among the programme's cities; the first one when none is asked for; None when the
    code is not one of them (or the programme has no city)."""
    if not code:
        return cities[0] if cities else None
    return next((c for c in cities if c.code == code), None)


def _symbol_size(supported: int) -> int:
    return min(18 + 6 * supported, 60)


def pairing_network(*, programme: Programme, city: Code) -> dict:
    """The city's pairing network: the relationships whose supported hospital lies in the city or that the
    city's list names, as a graph. Four queries.

    - nodes: every supporting hospital (category "supporting", `supported_count` hospitals supported here,
      `symbol_size` growing with it), then every supported hospital (category "supported") by county; a
      hospital that supports another one here is a supporting node;
    - links: supporting → supported, with the pairing's id and where it was published;
    - counties: the city's counties with no pairing (`counties_without_pairing`);
    - pairings: the relationships themselves (for the page's table; not JSON).
    """
    pairings = list(
        Pairing.objects.filter(programme=programme)
        .filter(city_q(city.code))
        .select_related("supporting", "supporting__region", "supported", "supported__region", "city")
        .order_by("sort", "id")
    )
    supporters: dict[int, set[int]] = {}
    for pairing in pairings:
        supporters.setdefault(pairing.supporting_id, set()).add(pairing.supported_id)

    def node(org, category: str) -> dict:
        region = org.region
        return {
            "id": org.code,
            "name": org.name,
            "name_zh": org.name_zh,
            "name_en": org.name_en,
            "category": category,
            "county": region.name_zh if region else "",
            "county_code": region.code if region else "",
            "supported_count": len(supporters.get(org.pk, ())),
            "symbol_size": _symbol_size(len(supporters.get(org.pk, ()))) if category == SUPPORTING else 14,
        }

    nodes: dict[int, dict] = {}
    for pairing in pairings:
        if pairing.supporting_id not in nodes:
            nodes[pairing.supporting_id] = node(pairing.supporting, SUPPORTING)
    supported = {p.supported_id: p.supported for p in pairings if p.supported_id not in nodes}
    for org in sorted(supported.values(), key=lambda o: (o.region.code if o.region else "", o.code)):
        nodes[org.pk] = node(org, SUPPORTED)
    links = [
        {
            "source": p.supporting.code,
            "target": p.supported.code,
            "pairing": p.pk,
            "annex": p.source,
            "city": p.city.code if p.city else None,
        }
        for p in pairings
    ]
    prefix = region_prefix(city.code)
    counties = [
        {"code": c.code, "name_zh": c.name_zh}
        for c in counties_without_pairing(programme=programme)
        if c.code.startswith(prefix)
    ]
    return {"nodes": list(nodes.values()), "links": links, "counties": counties, "pairings": pairings}
