"""Reads for the programme catalogue: visibility, search, filters and the rows a page shows.

Search and filters are built from EXISTS subqueries over a handful of indexed tables, so the catalogue
stays fast with thousands of programmes and tens of thousands of offerings, and the number of queries
for a page does not depend on the number of rows on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.apps import apps
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from medtalent.accounts.selectors import jurisdiction_q
from medtalent.catalog.enums import (
    DAYS_PER_UNIT,
    TRACK_SEARCH_WORDS,
    DurationFilter,
    ProgrammeStatus,
    ProgrammeType,
    Track,
)
from medtalent.catalog.models import Category, EligibilityRule, Offering, Programme, ProgrammeSpecialty, Quota, Round
from medtalent.catalog.quotas import Candidate, QuotaSpec, track_for
from medtalent.codes.models import Code, Specialty
from medtalent.core.models import pick_language
from medtalent.core.search import WORD_STARTS, is_latin_word, text_match_q
from medtalent.orgs.models import Organisation
from medtalent.orgs.selectors import (
    organisation_detail,
    region_and_ancestors,
    tag_codes_for_organisation,
    tag_codes_for_organisations,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _IsOpen(TypedDict):
    is_open: bool  # a round of the programme takes applications today


class _HostedProgrammes(TypedDict):
    hosted_programmes: list[Programme]


if TYPE_CHECKING:
    OpenProgramme = WithAnnotations[Programme, _IsOpen]
    HostOrganisation = WithAnnotations[Organisation, _HostedProgrammes]


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    programme_type: str = ""
    specialty: str = ""  # Specialty.code
    duration: str = ""  # DurationFilter value
    open_now: bool = False

    @property
    def active(self) -> bool:
        return any([self.q, self.country, self.programme_type, self.specialty, self.duration, self.open_now])


# ---------------------------------------------------------------------------------------------- visibility


def programmes_visible_to(*, user) -> QuerySet[Programme]:
    """Published programmes for everybody; drafts and archived ones too for the commissions that own them."""
    visible = Q(status=ProgrammeStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= jurisdiction_q(user=user, region_field="owner__region__code", organisation_field="owner")
    return Programme.objects.filter(visible)


def programmes_manageable_by(*, user) -> QuerySet[Programme]:
    """Programmes a commission administrator may edit: those owned inside their jurisdiction."""
    return Programme.objects.filter(
        jurisdiction_q(user=user, region_field="owner__region__code", organisation_field="owner")
    )


# ---------------------------------------------------------------------------------------------- search


def specialty_ids_matching(term: str) -> set[int]:
    """Specialties whose name, code or synonym contains `term`, with all their narrower specialties."""
    term = term.strip()
    if not term:
        return set()
    matched = set(
        Specialty.objects.filter(text_match_q(term, "name_zh", "name_en", "code", "synonyms__term")).values_list(
            "pk", flat=True
        )
    )
    return _with_descendants(matched)


def specialty_ids_for_code(code: str) -> set[int]:
    matched = set(Specialty.objects.filter(code=code).values_list("pk", flat=True))
    return _with_descendants(matched)


def _with_descendants(ids: set[int]) -> set[int]:
    if not ids:
        return ids
    children: dict[int, list[int]] = {}
    for pk, parent_id in Specialty.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result, stack = set(ids), list(ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in result:
                result.add(child)
                stack.append(child)
    return result


def organisation_ids_matching(term: str) -> list[int]:
    term = term.strip()
    return list(
        Organisation.objects.filter(text_match_q(term, "name_zh", "name_en", "name_local", "code", "aliases__name"))
        .values_list("pk", flat=True)
        .distinct()
    )


def _programmes_offering(**lookups):
    """Ids of programmes with an offering matching `lookups`: one non-correlated subquery (a semi-join),
    which both SQLite and PostgreSQL evaluate once instead of once per programme."""
    return Offering.objects.filter(**lookups).values("round__programme_id")


def _programmes_accepting(specialty_ids):
    return ProgrammeSpecialty.objects.filter(specialty_id__in=specialty_ids).values("programme_id")


def text_matches(term: str, text: str) -> bool:
    """`core.search.text_match_q` in Python, for words that are not in the database (choice labels)."""
    term, text = term.casefold(), text.casefold()
    if not is_latin_word(term):
        return term in text
    return text.startswith(term) or any(f"{start}{term}" in text for start in WORD_STARTS)


def _choice_words(choices, extra: dict | None = None) -> dict[str, list[str]]:
    """Each choice's label in every language of the site, and any extra words for it."""
    words: dict[str, list[str]] = {value: list((extra or {}).get(value, ())) for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                words[value].append(str(label))
    return words


def track_values_matching(term: str) -> list[str]:
    """The tracks (doctor, nurse …) whose name in Chinese or English, or a synonym, matches `term`:
    "护士" and "nurse" find the nurse track. No query: the labels are the code's translations."""
    return [
        v for v, words in _choice_words(Track, TRACK_SEARCH_WORDS).items() if any(text_matches(term, w) for w in words)
    ]


def programme_type_values_matching(term: str) -> list[str]:
    return [v for v, words in _choice_words(ProgrammeType).items() if any(text_matches(term, w) for w in words)]


def _programmes_taking(tracks: list[str]):
    """Programmes recruiting one of `tracks`: by a quota (医生约 40 人，护士约 10 人) or an offering."""
    return Q(pk__in=Quota.objects.filter(track__in=tracks).values("programme_id")) | Q(
        pk__in=_programmes_offering(track__in=tracks)
    )


def _term_q(term: str) -> Q:
    specialty_ids = specialty_ids_matching(term)
    organisation_ids = organisation_ids_matching(term)
    q = (
        text_match_q(term, "code", "name_zh", "name_en")
        | Q(pk__in=Category.objects.filter(text_match_q(term, "name_zh", "name_en")).values("programme_id"))
        | Q(pk__in=ProgrammeSpecialty.objects.filter(text_match_q(term, "label_zh", "label_en")).values("programme_id"))
    )
    if tracks := track_values_matching(term):
        q |= _programmes_taking(tracks)
    if programme_types := programme_type_values_matching(term):
        q |= Q(programme_type__in=programme_types)
    if specialty_ids:
        q |= Q(pk__in=_programmes_accepting(specialty_ids))
        q |= Q(pk__in=_programmes_offering(specialty_id__in=specialty_ids))
    if organisation_ids:
        q |= Q(pk__in=_programmes_offering(host_id__in=organisation_ids))
        q |= Q(owner_id__in=organisation_ids)
    return q


def _duration_days(field_name: str):
    return Case(
        *[When(duration_unit=unit, then=F(field_name) * Value(days)) for unit, days in DAYS_PER_UNIT.items()],
        output_field=IntegerField(),
    )


def open_round_exists(today: dt.date):
    return Exists(
        Round.objects.filter(programme=OuterRef("pk"), application_opens__lte=today, application_closes__gte=today)
    )


def programmes_search(*, user, filters: CatalogueFilters, today: dt.date | None = None) -> QuerySet[OpenProgramme]:
    """The catalogue's query: visible programmes matching every filter, open ones first."""
    today = today or timezone.localdate()
    qs = programmes_visible_to(user=user)
    for term in filters.q.split():
        qs = qs.filter(_term_q(term))
    if filters.country:
        countries = Programme.countries.through.objects.filter(code__code=filters.country.upper())
        qs = qs.filter(pk__in=countries.values("programme_id"))
    if filters.programme_type:
        qs = qs.filter(programme_type=filters.programme_type)
    if filters.specialty:
        ids = specialty_ids_for_code(filters.specialty)
        qs = qs.filter(Q(pk__in=_programmes_accepting(ids)) | Q(pk__in=_programmes_offering(specialty_id__in=ids)))
    if filters.duration:
        qs = qs.annotate(
            days_min=Coalesce(_duration_days("duration_min"), _duration_days("duration_max")),
            days_max=Coalesce(_duration_days("duration_max"), _duration_days("duration_min")),
        )
        if filters.duration == DurationFilter.UP_TO_1_MONTH:
            qs = qs.filter(days_min__lte=30)
        elif filters.duration == DurationFilter.ONE_TO_3_MONTHS:
            qs = qs.filter(days_min__lte=90, days_max__gte=30)
        elif filters.duration == DurationFilter.OVER_3_MONTHS:
            qs = qs.filter(days_max__gt=90)
    annotated = qs.annotate(is_open=open_round_exists(today))
    if filters.open_now:
        annotated = annotated.filter(is_open=True)
    return annotated.order_by("-is_open", "sort", "code")


# ---------------------------------------------------------------------------------------------- page rows


@dataclass
class HostSummary:
    code: str
    name_zh: str
    name_en: str
    region_zh: str = ""
    region_en: str = ""

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def region(self) -> str:
        return pick_language(self.region_zh, self.region_en)


@dataclass
class ProgrammeRow:
    programme: Programme
    hosts: list[HostSummary] = field(default_factory=list)

    @property
    def places(self) -> list[str]:
        """Where the training happens: the countries abroad, or the host cities at home."""
        names = [c.name for c in self.programme.countries.all() if c.code != "CN"]
        if not names:
            names = sorted({h.region for h in self.hosts if h.region})
        return names


def programme_rows(programmes: list[Programme]) -> list[ProgrammeRow]:
    """Attach hosts to already-fetched programmes with one query, whatever their number."""
    rows = {p.pk: ProgrammeRow(programme=p) for p in programmes}
    if rows:
        host_values = (
            Offering.objects.filter(round__programme_id__in=rows, host__isnull=False)
            .values_list(
                "round__programme_id",
                "host__code",
                "host__name_zh",
                "host__name_en",
                "host__region__name_zh",
                "host__region__name_en",
            )
            .order_by("round__programme_id", "host__code")
            .distinct()
        )
        for programme_id, code, name_zh, name_en, region_zh, region_en in host_values:
            rows[programme_id].hosts.append(HostSummary(code, name_zh, name_en, region_zh or "", region_en or ""))
    return list(rows.values())


def with_card_relations(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return qs.select_related("owner").prefetch_related(
        Prefetch("countries", queryset=Code.objects.order_by("sort", "code")),
        Prefetch(
            "quotas", queryset=Quota.objects.filter(round__isnull=True).select_related(*QUOTA_RELATIONS).order_by("id")
        ),
    )


def catalogue_page(
    *, user, filters: CatalogueFilters, page: int | str = 1, per_page: int = 20
) -> tuple[Page, list[ProgrammeRow]]:
    """One page of the catalogue, for the web page and the API alike.

    The search runs once, returning only the ordered ids (and whether each is open); the count and the
    page come from that list, and full rows with their relations are loaded for the page alone.
    """
    matches = list(programmes_search(user=user, filters=filters).values_list("pk", "is_open"))
    page_obj = Paginator(matches, per_page).get_page(page)
    is_open = dict(page_obj.object_list)
    programmes = with_card_relations(Programme.objects.filter(pk__in=is_open)).in_bulk()
    ordered: list[Programme] = []
    for pk in is_open:
        programme = cast("OpenProgramme", programmes[pk])  # given the search's `is_open` just below
        programme.is_open = is_open[pk]
        ordered.append(programme)
    return page_obj, programme_rows(ordered)


def programme_detail(*, user, code: str) -> Programme:
    """One programme with everything its page shows, or 404 when the user may not see it."""
    today = timezone.localdate()
    qs = (
        programmes_visible_to(user=user)
        .annotate(is_open=open_round_exists(today))
        .select_related("owner", "owner__region")
        .prefetch_related(
            "countries",
            "partners",
            Prefetch("accepted_specialties", queryset=ProgrammeSpecialty.objects.select_related("specialty")),
            Prefetch(
                "quotas",
                queryset=Quota.objects.select_related("round", *QUOTA_RELATIONS).order_by("round_id", "sort", "id"),
            ),
            Prefetch("rules", queryset=EligibilityRule.objects.order_by("sort", "id")),
            Prefetch(
                "categories",
                queryset=Category.objects.order_by("sort", "code").prefetch_related("rules"),
            ),
            Prefetch(
                "rounds",
                queryset=Round.objects.order_by("year", "batch", "id").prefetch_related(
                    Prefetch(
                        "offerings",
                        queryset=Offering.objects.select_related(
                            "host", "host__region", "host__country", "department", "specialty"
                        ).order_by("sort", "id"),
                    )
                ),
            ),
        )
    )
    return get_object_or_404(qs, code=code)


def host_detail(*, code: str) -> Organisation:
    """A host's page: the organisation with its departments (`orgs.selectors.organisation_detail`) and the
    published programmes it takes part in (`hosted_programmes`)."""
    org = cast("HostOrganisation", organisation_detail(code=code))  # given `hosted_programmes` just below
    org.hosted_programmes = list(
        Programme.objects.filter(status=ProgrammeStatus.PUBLISHED)
        .filter(Exists(Offering.objects.filter(round__programme=OuterRef("pk"), host=org)))
        .select_related("owner")
        .order_by("sort", "code")
    )
    return org


def filter_choices() -> dict:
    """Countries and specialties that occur in published programmes, for the filter selects.

    Semi-joins on the link tables (not DISTINCT over joins), so the cost stays flat as programmes grow."""
    published = Programme.objects.filter(status=ProgrammeStatus.PUBLISHED).values("pk")
    country_ids = Programme.countries.through.objects.filter(programme_id__in=published).values("code_id")
    specialty_ids = ProgrammeSpecialty.objects.filter(programme_id__in=published).values("specialty_id")
    return {
        "countries": list(Code.objects.filter(pk__in=country_ids).order_by("sort", "code")),
        "specialties": list(Specialty.objects.filter(pk__in=specialty_ids).order_by("sort", "code")),
    }


# ---- Quotas ----------------------------------------------------------------------------------------------------


# What a quota's display (format_quota) and the API read besides the quota itself.
QUOTA_RELATIONS = (
    "category",
    "offering__host",
    "offering__department",
    "offering__specialty",
    "host",
    "sending_unit",
    "sending_region",
    "tag",
)


def quota_specs_for_round(round_: Round) -> list[QuotaSpec]:
    """The quotas a selection in `round_` must keep: the round's own and the programme's (no round), as plain
    values for `catalog.quotas`, in their configured order (the checker nests them by parent). One query."""
    rows = (
        Quota.objects.filter(programme_id=round_.programme_id)
        .filter(Q(round_id=round_.pk) | Q(round__isnull=True))
        .select_related(*QUOTA_RELATIONS)
        .order_by("sort", "id")
    )
    return [
        QuotaSpec(
            id=q.pk,
            maximum=q.maximum,
            parent_id=q.parent_id,
            round_id=q.round_id,
            category=q.category.code if q.category else None,
            track=q.track,
            offering_id=q.offering_id,
            host_id=q.host_id,
            sending_unit_id=q.sending_unit_id,
            sending_region=q.sending_region.code if q.sending_region else None,
            tag=q.tag.code if q.tag else None,
            minimum=q.minimum,
            unused=q.unused,
            label=q.display,
        )
        for q in rows
    ]


def candidates_for_applications(applications, *, placements: dict[int, int] | None = None) -> list[Candidate]:
    """Applications as quota candidates, in the given order, in at most seven queries whatever their number.

    `applications`: objects with `pk`, `round_id`, `category_id`, `person_id` and `unit_id` (the applications
    app's Application; catalog does not import it). `placements`: application id → the offering the selection
    places it in (its host and track follow), when it does. The track: the offering's when it names one, else
    the applicant's title series (physician → doctor, nurse → nurse; `catalog.quotas.track_for`). The person's
    title is read through the app registry (people sits above catalog). Region codes: the sending unit's region
    and the regions above it; tags: the unit's own and its regions' (`orgs.selectors.tag_codes_for_organisations`).
    """
    applications = list(applications)
    placements = placements or {}
    if not applications:
        return []
    category_ids = {a.category_id for a in applications if a.category_id}
    categories = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "code"))
    person_model = apps.get_model("people", "Person")
    series = dict(
        person_model.objects.filter(pk__in={a.person_id for a in applications}).values_list("pk", "title__extra")
    )
    unit_ids = {a.unit_id for a in applications if a.unit_id}
    regions = dict(Organisation.objects.filter(pk__in=unit_ids).values_list("pk", "region__code"))
    tags = tag_codes_for_organisations(unit_ids)
    offerings = {
        pk: (host_id, track)
        for pk, host_id, track in Offering.objects.filter(pk__in=set(placements.values())).values_list(
            "pk", "host_id", "track"
        )
    }
    result = []
    for a in applications:
        offering_id = placements.get(a.pk)
        host_id, offering_track = offerings.get(offering_id, (None, None)) if offering_id else (None, None)
        title_extra = series.get(a.person_id) or {}
        result.append(
            Candidate(
                id=a.pk,
                round_id=a.round_id,
                category=categories.get(a.category_id),
                track=track_for(title_series=title_extra.get("series"), offering_track=offering_track),
                offering_id=offering_id,
                host_id=host_id,
                sending_unit_id=a.unit_id,
                region_codes=frozenset(region_and_ancestors(regions.get(a.unit_id) or "")),
                tag_codes=tags.get(a.unit_id, frozenset()),
            )
        )
    return result


# ---- Which units may send applicants ---------------------------------------------------------------------------


def unit_may_send(*, programme: Programme, organisation: Organisation | None) -> bool:
    """Whether `organisation` may send applicants to `programme`: any unit when the programme names no sending
    region, tag or unit; else a unit in one of the regions (or a region under one), carrying one of the tags (its
    own or its region's), or listed. No organisation: only when the programme restricts nothing."""
    region_codes = set(programme.sending_regions.values_list("code", flat=True))
    tag_codes = set(programme.sending_tags.values_list("code", flat=True))
    unit_ids = set(programme.sending_units.values_list("pk", flat=True))
    if not (region_codes or tag_codes or unit_ids):
        return True
    if organisation is None:
        return False
    if organisation.pk in unit_ids:
        return True
    region = organisation.region
    if region_codes and region is not None and region_codes & set(region_and_ancestors(region.code)):
        return True
    return bool(tag_codes and tag_codes & tag_codes_for_organisation(organisation))
