"""Reads for the yearly indicators: one hospital's series, and the trend over a programme's supported hospitals.

The target to compare with is data: the programme's `indicator_target` pairing rule, e.g.
{"in_county_visit_rate": {"target": 90, "better": "higher"}, "referral_out_rate": {"better": "lower"}}.
A hospital "reached" the target in a year when its value is at least the target (better: higher) or at
most the target (better: lower). `indicator_trend` aggregates in the database (GROUP BY kind, year): two
queries whatever the number of hospitals; the whole programme is read from the covering index
`indicator_trend_scan` (kind, year, value, organisation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, cast

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from medtalent.codes.models import Code
from medtalent.codes.regionnames import region_prefix
from medtalent.indicators.enums import IndicatorKind
from medtalent.indicators.models import IndicatorValue
from medtalent.orgs.models import Organisation
from medtalent.partnerships.enums import AgreementState, PairingRuleKind
from medtalent.partnerships.models import Agreement, Pairing, PairingRule

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Target:
    value: Decimal | None  # None: no number (e.g. "falls year by year")
    better: str  # "higher" or "lower"

    def reached(self, value: Decimal | None) -> bool | None:
        if self.value is None or value is None:
            return None
        return value >= self.value if self.better == "higher" else value <= self.value


@dataclass(frozen=True)
class TrendYear:
    year: int
    n: int  # hospitals reporting
    mean: Decimal
    min: Decimal
    max: Decimal
    reached: int | None  # how many met the target; None without a target


@dataclass
class KindTrend:
    kind: str
    label: str
    target: Target
    years: list[TrendYear] = field(default_factory=list)


def organisation_get(*, code: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("region"), code=code)


def hospital_for_user(*, user, code: str) -> Organisation:
    """The hospital `code` if the user may see its indicators; 404 otherwise, exactly as for a code that does not
    exist (issue 10: outsiders learn nothing from the answer)."""
    organisation = organisation_get(code=code)
    if not user.has_perm("indicators.view_indicators", organisation):
        raise Http404("No such hospital.")
    return organisation


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def _aggregate(value) -> Decimal:
    """An aggregate (mean, min, max) of a group's values: never None, since a group has at least one row."""
    number = _decimal(value)
    if number is None:
        raise ValueError(f"Aggregate of indicator values is not a number: {value!r}")
    return number


def targets_from(rule: PairingRule | None) -> dict[str, Target]:
    """Each indicator's target from an `indicator_target` rule's params (no rule: no target, higher for the
    in-county visit rate and lower for the referral-out rate)."""
    params = (rule.params or {}) if rule is not None else {}
    defaults: dict[str, str] = {IndicatorKind.IN_COUNTY_VISIT_RATE: "higher", IndicatorKind.REFERRAL_OUT_RATE: "lower"}
    targets = {}
    for kind in IndicatorKind.values:
        entry: dict[str, Any] = params.get(kind) or {}
        better = entry["better"] if entry.get("better") in ("higher", "lower") else defaults[kind]
        targets[kind] = Target(value=_decimal(entry.get("target")), better=better)
    return targets


def indicator_target_rule(*, programme) -> PairingRule | None:
    return PairingRule.objects.filter(programme=programme, kind=PairingRuleKind.INDICATOR_TARGET).first()


def indicator_series(*, organisation) -> dict[str, list[tuple[int, Decimal]]]:
    """{kind: [(year, value), …]} by year, for every kind (empty lists included). One query."""
    series: dict[str, list[tuple[int, Decimal]]] = {kind: [] for kind in IndicatorKind.values}
    rows = IndicatorValue.objects.filter(organisation=organisation).order_by("kind", "year")
    for kind, year, value in rows.values_list("kind", "year", "value"):
        series.setdefault(kind, []).append((year, value))
    return series


def indicator_notes(*, organisation) -> dict[tuple[int, str], str]:
    """{(year, kind): note} of the hospital's values that carry a note. One query."""
    rows = IndicatorValue.objects.filter(organisation=organisation).exclude(note="")
    return {(year, kind): note for year, kind, note in rows.values_list("year", "kind", "note")}


def hospital_context(*, organisation) -> tuple[list[int], PairingRule | None]:
    """The years of the terms of the pairings supporting the hospital (their own dates and those of their
    agreements in force: a renewal for 2026–2028 brings those years), and the target rule of their programme
    (the first one). Two queries."""
    years: set[int] = set()
    programme_ids: list[int] = []
    own = Pairing.objects.filter(supported=organisation).values_list("programme_id", "id", "starts_on", "ends_on")
    agreed = Agreement.objects.filter(
        pairing__supported=organisation, state__in=[AgreementState.APPROVED, AgreementState.SUPERSEDED]
    ).values_list("pairing__programme_id", "pairing_id", "starts_on", "ends_on")
    for programme_id, _pairing_id, starts_on, ends_on in sorted(
        own.order_by().union(agreed.order_by(), all=True), key=lambda row: (row[0], row[1])
    ):
        if programme_id not in programme_ids:
            programme_ids.append(programme_id)
        if starts_on and ends_on:
            years.update(range(starts_on.year, ends_on.year + 1))
        elif starts_on:
            years.add(starts_on.year)
        elif ends_on:
            years.add(ends_on.year)
    rule = None
    if programme_ids:
        rules = {
            r.programme_id: r
            for r in PairingRule.objects.filter(programme_id__in=programme_ids, kind=PairingRuleKind.INDICATOR_TARGET)
        }
        rule = next((rules[p] for p in programme_ids if p in rules), None)
    return sorted(years), rule


def _clean_region(code: str) -> str:
    code = (code or "").strip()
    return code if code.isdigit() and len(code) <= 12 else ""


def _regions_under(code: str):
    """Ids of the region codes under a GB/T 2260 code (3301 → 330100, 330102 …), as a subquery."""
    return Code.objects.filter(code__startswith=region_prefix(code)).values("id")


def supported_hospitals(*, programme, city: str = "", county: str = ""):
    """A subquery of the ids of the programme's supported hospitals, in a city (named by the pairing's city
    list, or lying in the city) and/or a county (lying in it).

    The regions are matched through small subqueries (codes, then the hospitals lying in them) rather than
    joins, so the pairings are not joined row by row to their hospitals and regions (3× faster on 30,000)."""
    pairings = Pairing.objects.filter(programme=programme)
    city, county = _clean_region(city), _clean_region(county)
    if city:
        in_city = Organisation.objects.filter(region_id__in=_regions_under(city)).values("id")
        pairings = pairings.filter(
            Q(city_id__in=Code.objects.filter(code=city).values("id")) | Q(supported_id__in=in_city)
        )
    if county:
        pairings = pairings.filter(
            supported_id__in=Organisation.objects.filter(region_id__in=_regions_under(county)).values("id")
        )
    return pairings.values("supported_id")


def indicator_trend(*, programme, city: str = "", county: str = "", kind: str | None = None) -> dict[str, KindTrend]:
    """Per indicator (all, or `kind`): per year the hospitals reporting, mean, min, max and how many reached
    the target, over the programme's supported hospitals filtered by city / county; with the target from the
    programme's `indicator_target` rule. Two queries (the rule, one GROUP BY kind, year)."""
    targets = targets_from(indicator_target_rule(programme=programme))
    kinds = [kind] if kind in IndicatorKind.values else list(IndicatorKind.values)
    annotations = {"n": Count("id"), "mean": Avg("value"), "low": Min("value"), "high": Max("value")}
    for k in kinds:
        target = targets[k]
        if target.value is not None:
            met = Q(value__gte=target.value) if target.better == "higher" else Q(value__lte=target.value)
            annotations[f"reached_{k}"] = Count("id", filter=Q(kind=k) & met)
    if _clean_region(city) or _clean_region(county):
        # A city or a county: a few hundred hospitals, found through the index on the organisation.
        hospitals = supported_hospitals(programme=programme, city=city, county=county)
        values = IndicatorValue.objects.filter(organisation_id__in=hospitals)
    else:
        # The whole programme: one ordered scan of the covering index (kind, year, value, organisation), each
        # entry checked against the programme's pairings (SQLite: 2× faster than looking the hospitals up
        # one by one and sorting; PostgreSQL: a hashed semi-join).
        supported = Pairing.objects.filter(programme=programme, supported_id=OuterRef("organisation_id"))
        values = IndicatorValue.objects.filter(Exists(supported))
    rows = values.filter(kind__in=kinds).values("kind", "year").annotate(**annotations).order_by("kind", "year")
    trend = {k: KindTrend(kind=k, label=str(IndicatorKind(k).label), target=targets[k]) for k in kinds}
    # The annotations are built at run time, so django-stubs only sees the "kind" and "year" keys.
    for row in cast(Iterable[dict[str, Any]], rows):
        k = row["kind"]
        trend[k].years.append(
            TrendYear(
                year=row["year"],
                n=row["n"],
                mean=_aggregate(row["mean"]),
                min=_aggregate(row["low"]),
                max=_aggregate(row["high"]),
                reached=row.get(f"reached_{k}"),
            )
        )
    return trend


def trend_counties(*, programme, city: str = "") -> list[Code]:
    """The county-level divisions in force for the county filter: those of the city, else those under the
    programme owner's region (Zhejiang: its 90 counties, county-level cities and districts). One query on
    the region table (no pass over the pairings)."""
    area = _clean_region(city) or (programme.owner.region.code if programme.owner.region_id else "")
    if not area:
        return []
    return list(
        Code.objects.filter(
            table__slug="region", level=3, valid_to__isnull=True, code__startswith=region_prefix(area)
        ).order_by("code")
    )
