"""Reads for the yearly cycle of a pairing: its term and years, the windows, the pairing-year page, the overview.

The term of a pairing is the current approved agreement's `starts_on..ends_on`, else the pairing's own dates
(the seed pairings run 2014-01-01..2016-12-31). Its years are every year some agreement that was in force
covers (the approved one and the superseded ones: a pairing renewed for 2026–2028 keeps its 2014–2016 years
and their targets), else those of its own dates. The overview offers every year of the pairings in scope. The windows are data: the programme's
`PairingRule` of kind `annual_calendar`, params `{"self_assessment_from_month": 12, "evaluation_from_month": 10}`
(a review of year Y may be submitted from the 1st of that month of Y; no rule or no month: always open).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.annual.enums import FOCUS_KINDS, FOUR_ONES, Conclusion, ReviewKind, ReviewState, TargetStatus
from medtalent.annual.models import AnnualReview, EvaluationDimension, YearFocus, YearlyTarget
from medtalent.annual.rules import review_filer
from medtalent.catalog.models import Programme
from medtalent.catalog.rules import manages_programme
from medtalent.partnerships.enums import AgreementState, PairingRuleKind
from medtalent.partnerships.models import Agreement, Pairing, PairingRule

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE_SIZE = 50
SELF_ASSESSMENTS = (ReviewKind.SELF_SUPPORTING, ReviewKind.SELF_SUPPORTED)
# The versions of an agreement that were in force: their terms give the pairing its years.
IN_FORCE = (AgreementState.APPROVED, AgreementState.SUPERSEDED)


# The calendar's parameter for each kind of review.
WINDOW_PARAM = {
    ReviewKind.SELF_SUPPORTING: "self_assessment_from_month",
    ReviewKind.SELF_SUPPORTED: "self_assessment_from_month",
    ReviewKind.EVALUATION: "evaluation_from_month",
}


# ---- one pairing: term, years, windows, lock --------------------------------------------------------------------


def _terms_in_force(pairing: Pairing) -> list[tuple[dt.date, dt.date, str]]:
    """(starts, ends, state) of the pairing's agreements in force, the newest version first. One query."""
    return list(
        Agreement.objects.filter(pairing=pairing, state__in=IN_FORCE)
        .order_by("-version")
        .values_list("starts_on", "ends_on", "state")
    )


def _own_term(pairing: Pairing) -> tuple[dt.date, dt.date] | None:
    return (pairing.starts_on, pairing.ends_on) if pairing.starts_on and pairing.ends_on else None


def _pick_term(pairing: Pairing, terms, year: int | None) -> tuple[dt.date, dt.date] | None:
    if not any(state == AgreementState.APPROVED for _starts, _ends, state in terms):
        return _own_term(pairing)
    for starts_on, ends_on, state in terms:
        if (year is None and state == AgreementState.APPROVED) or (
            year is not None and starts_on.year <= year <= ends_on.year
        ):
            return starts_on, ends_on
    return None


def _years_of_terms(pairing: Pairing, terms) -> list[int]:
    if not any(state == AgreementState.APPROVED for _starts, _ends, state in terms):
        return years_of_term(_own_term(pairing))
    return years_of_spans((starts_on.year, ends_on.year) for starts_on, ends_on, _state in terms)


def pairing_term(*, pairing: Pairing, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The current approved agreement's term (with `year`: that of the newest agreement in force covering
    the year), else the pairing's own dates; None if neither is known."""
    return _pick_term(pairing, _terms_in_force(pairing), year)


def years_of_term(term: tuple[dt.date, dt.date] | None) -> list[int]:
    return list(range(term[0].year, term[1].year + 1)) if term else []


def years_of_spans(spans) -> list[int]:
    """Every year covered by one of the (first year, last year) spans, in order, without repeats."""
    years: set[int] = set()
    for first, last in spans:
        if first is not None and last is not None:
            years.update(range(first, last + 1))
    return sorted(years)


def _term_spans(pairings: QuerySet[Pairing]) -> QuerySet:
    """(first year, last year) of every term of the pairings: the agreements in force, and the pairing's own
    dates for a pairing with no approved agreement. One query (a UNION)."""
    approved = Agreement.objects.filter(pairing=OuterRef("pk"), state=AgreementState.APPROVED)
    agreements = Agreement.objects.filter(pairing__in=pairings.values("pk"), state__in=IN_FORCE).values_list(
        "starts_on__year", "ends_on__year"
    )
    own = (
        pairings.filter(~Q(Exists(approved)), starts_on__isnull=False, ends_on__isnull=False)
        .order_by()
        .values_list("starts_on__year", "ends_on__year")
    )
    return agreements.order_by().union(own)


def pairing_years(*, pairing: Pairing) -> list[int]:
    """Every year of the pairing: those of its agreements in force, else (no approved one) of its own dates."""
    return _years_of_terms(pairing, _terms_in_force(pairing))


def annual_calendar(*, programme: Programme) -> dict:
    """The params of the programme's `annual_calendar` rule ({} without one)."""
    rule = PairingRule.objects.filter(programme=programme, kind=PairingRuleKind.ANNUAL_CALENDAR).first()
    return dict(rule.params or {}) if rule is not None else {}


def review_opens_on(*, calendar: dict, year: int, kind: str) -> dt.date | None:
    """The first day a review of `year` may be submitted, or None (always open)."""
    raw = calendar.get(WINDOW_PARAM[ReviewKind(kind)])
    if raw is None:
        return None
    try:
        month = int(raw)
    except (TypeError, ValueError):
        return None
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


def year_locked(*, pairing: Pairing, year: int) -> bool:
    """Targets of a year are locked once its annual evaluation is submitted."""
    return AnnualReview.objects.filter(
        pairing=pairing, year=year, kind=ReviewKind.EVALUATION, state=ReviewState.SUBMITTED
    ).exists()


def dimensions_for(*, programme: Programme) -> list[EvaluationDimension]:
    return list(EvaluationDimension.objects.filter(programme=programme).order_by("sort", "id"))


def focus_for(*, programme: Programme, year: int) -> list[YearFocus]:
    return list(YearFocus.objects.filter(programme=programme, year=year).select_related("specialty"))


def targets_of_year(*, pairing: Pairing, year: int) -> list[YearlyTarget]:
    return list(
        YearlyTarget.objects.filter(pairing=pairing, year=year)
        .select_related("specialty", "focus")
        .order_by("sort", "id")
    )


def target_counts(*, pairing: Pairing, year: int) -> tuple[int, int]:
    """(achieved, total) targets of a pairing-year: the page's counter. One query."""
    counts = YearlyTarget.objects.filter(pairing=pairing, year=year).aggregate(
        total=Count("id"), achieved=Count("id", filter=Q(status=TargetStatus.ACHIEVED))
    )
    return counts["achieved"], counts["total"]


def target_get(*, pairing: Pairing, year: int, pk: int) -> YearlyTarget:
    target = get_object_or_404(
        YearlyTarget.objects.select_related("specialty", "focus"), pk=pk, year=year, pairing=pairing
    )
    target.pairing = pairing
    return target


def review_get_or_new(*, pairing: Pairing, year: int, kind: str) -> AnnualReview:
    """The review of a pairing-year and kind with its scores, or an unsaved draft (for the permission checks)."""
    review = (
        AnnualReview.objects.filter(pairing=pairing, year=year, kind=kind)
        .select_related("submitted_by")
        .prefetch_related("scores__dimension")
        .first()
    )
    if review is None:
        review = AnnualReview(pairing=pairing, year=year, kind=kind, state=ReviewState.DRAFT)
    review.pairing = pairing
    return review


def reviews_visible_to(*, user, pairing: Pairing, year: int) -> dict[str, AnnualReview]:
    """The reviews of a pairing-year the user may see (kind → review, scores prefetched): their own as filer,
    the others once submitted. The caller has checked `annual.view_pairing_year`."""
    reviews = (
        AnnualReview.objects.filter(pairing=pairing, year=year)
        .select_related("submitted_by")
        .prefetch_related("scores__dimension")
    )
    visible = {}
    for review in reviews:
        review.pairing = pairing
        if review.state == ReviewState.SUBMITTED or review_filer(user, review):
            visible[review.kind] = review
    return visible


# ---- the pairing-year page -----------------------------------------------------------------------------------------


@dataclass
class ReviewSlot:
    kind: str
    label: str | Promise
    review: AnnualReview | None  # None: nothing filed, or a draft the user may not see
    opens_on: dt.date | None
    files: bool  # the user files this review

    @property
    def state(self) -> str:
        return self.review.state if self.review is not None else ""

    @property
    def submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED


@dataclass
class FourOnesSlot:
    kind: str
    label: str | Promise
    target: YearlyTarget | None


@dataclass
class PairingYear:
    pairing: Pairing
    year: int
    years: list[int]
    term: tuple[dt.date, dt.date] | None
    targets: list[YearlyTarget]
    four_ones: list[FourOnesSlot]
    focus_targets: list[YearlyTarget]
    focus_missing: int
    reviews: list[ReviewSlot]
    locked: bool
    self_assessment_opens_on: dt.date | None
    evaluation_opens_on: dt.date | None
    achieved: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def evaluation(self) -> ReviewSlot:
        return next(slot for slot in self.reviews if slot.kind == ReviewKind.EVALUATION)


def check_year(*, pairing: Pairing, year: int, terms=None) -> list[int]:
    """The pairing's years; 404 if `year` is not one of them."""
    years = _years_of_terms(pairing, terms if terms is not None else _terms_in_force(pairing))
    if year not in years:
        raise Http404("This year is outside the pairing's term.")
    return years


def pairing_year_get(*, user, pairing: Pairing, year: int) -> PairingYear:
    """Everything the pairing-year page shows, scoped to the user (the caller checked the permission).

    A fixed number of queries whatever the number of targets: term, targets, reviews (+ scores), calendar,
    the lock, the year's key work not yet added."""
    terms = _terms_in_force(pairing)
    years = check_year(pairing=pairing, year=year, terms=terms)
    term = _pick_term(pairing, terms, year)
    targets = targets_of_year(pairing=pairing, year=year)
    for target in targets:
        target.pairing = pairing
    visible = reviews_visible_to(user=user, pairing=pairing, year=year)
    calendar = annual_calendar(programme=pairing.programme)
    slots = []
    for kind in ReviewKind:
        probe = AnnualReview(pairing=pairing, year=year, kind=kind)
        slots.append(
            ReviewSlot(
                kind=kind.value,
                label=kind.label,
                review=visible.get(kind.value),
                opens_on=review_opens_on(calendar=calendar, year=year, kind=kind),
                files=review_filer(user, probe),
            )
        )
    by_kind = {t.kind: t for t in targets if t.kind in FOUR_ONES}
    added = {t.focus_id for t in targets if t.focus_id}
    focus_missing = YearFocus.objects.filter(programme_id=pairing.programme_id, year=year).exclude(pk__in=added).count()
    evaluation = visible.get(ReviewKind.EVALUATION)
    locked = evaluation is not None and evaluation.state == ReviewState.SUBMITTED
    return PairingYear(
        pairing=pairing,
        year=year,
        years=years,
        term=term,
        targets=targets,
        four_ones=[FourOnesSlot(kind=k.value, label=k.label, target=by_kind.get(k.value)) for k in FOUR_ONES],
        focus_targets=[t for t in targets if t.kind in FOCUS_KINDS],
        focus_missing=focus_missing,
        reviews=slots,
        locked=locked,
        self_assessment_opens_on=review_opens_on(calendar=calendar, year=year, kind=ReviewKind.SELF_SUPPORTING),
        evaluation_opens_on=review_opens_on(calendar=calendar, year=year, kind=ReviewKind.EVALUATION),
        achieved=sum(1 for t in targets if t.status == TargetStatus.ACHIEVED),
    )


# ---- the overview --------------------------------------------------------------------------------------------------


def pairings_for_user(*, user, programme: Programme) -> QuerySet[Pairing]:
    """The programme's pairings the user may follow: all for the commission managing it, else those of the
    hospitals the user administers (nothing for anybody else)."""
    qs = Pairing.objects.filter(programme=programme)
    if manages_programme(user, programme):
        return qs
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    return qs.filter(Q(supporting_id__in=units) | Q(supported_id__in=units))


def overview_years(*, user, programme: Programme) -> list[int]:
    """Every year covered by a term of a pairing of the programme the user may follow (the agreements in
    force, else the pairings' own dates): a pairing renewed for 2026–2028 brings those years. One query."""
    return years_of_spans(_term_spans(pairings_for_user(user=user, programme=programme)))


def default_year(*, years: list[int], today: dt.date | None = None) -> int:
    """This year when some term covers it, else the latest year before it, else the first year to come."""
    today = today or timezone.localdate()
    if not years or today.year in years:
        return today.year
    past = [year for year in years if year < today.year]
    return past[-1] if past else years[0]


def running_in_q(year: int) -> Q:
    """Pairings whose years include `year`: an agreement in force covers part of it, else (no approved
    agreement) the pairing's own dates do."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    approved = Agreement.objects.filter(pairing=OuterRef("pk"), state=AgreementState.APPROVED)
    in_force = Agreement.objects.filter(pairing=OuterRef("pk"), state__in=IN_FORCE)
    covering = in_force.filter(starts_on__lte=last, ends_on__gte=first)
    own = Q(starts_on__isnull=True) | Q(starts_on__lte=last), Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    return Q(Exists(covering)) | (~Q(Exists(approved)) & Q(*own))


def _review_state(kind: str, year: int, field_name: str = "state", **extra):
    return Subquery(
        AnnualReview.objects.filter(pairing=OuterRef("pk"), year=year, kind=kind, **extra).values(field_name)[:1]
    )


def _target_count(year: int, **extra):
    counted = (
        YearlyTarget.objects.filter(pairing=OuterRef("pk"), year=year, **extra)
        .order_by()
        .values("pairing")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass
class OverviewRow:
    pairing: Pairing
    states: list[tuple[str, str]]  # (kind, shown state: "submitted", "draft" for its filer, "" otherwise)
    conclusion: str
    targets_total: int
    targets_achieved: int

    @property
    def labelled_states(self) -> list[tuple[str, str, str | Promise]]:
        return [(kind, state, ReviewKind(kind).label) for kind, state in self.states]

    @property
    def conclusion_label(self) -> str | Promise:
        return Conclusion(self.conclusion).label if self.conclusion in Conclusion.values else ""


class _OverviewAnnotations(TypedDict):
    state_self_supporting: str | None
    state_self_supported: str | None
    state_evaluation: str | None
    evaluation_conclusion: str | None
    targets_total: int
    targets_achieved: int


if TYPE_CHECKING:
    OverviewPairing = WithAnnotations[Pairing, _OverviewAnnotations]


def overview_pairings(*, user, programme: Programme, year: int) -> QuerySet[Pairing]:
    """The pairings of the programme the user may follow, running in the year, with the state of the two
    self-assessments and the evaluation and the targets achieved/total annotated, and what the overview's
    columns show (one query for a page of rows)."""
    return (
        pairings_for_user(user=user, programme=programme)
        .filter(running_in_q(year))
        .select_related("supporting", "supported", "supported__region", "city")
        .annotate(
            state_self_supporting=_review_state(ReviewKind.SELF_SUPPORTING, year),
            state_self_supported=_review_state(ReviewKind.SELF_SUPPORTED, year),
            state_evaluation=_review_state(ReviewKind.EVALUATION, year),
            evaluation_conclusion=_review_state(ReviewKind.EVALUATION, year, "conclusion", state=ReviewState.SUBMITTED),
            targets_total=_target_count(year),
            targets_achieved=_target_count(year, status=TargetStatus.ACHIEVED),
        )
        .order_by("sort", "id")
    )


def overview_row(*, pairing: Pairing, units: set[int], manages: bool) -> OverviewRow:
    """One row of the overview (no query): a review's draft shows as a draft to its filer only (`units`: the
    hospitals the user administers; `manages`: the commission over the programme), as not submitted to others."""
    annotated = cast("OverviewPairing", pairing)
    filers = {
        ReviewKind.SELF_SUPPORTING: pairing.supporting_id in units,
        ReviewKind.SELF_SUPPORTED: pairing.supported_id in units,
        ReviewKind.EVALUATION: manages,
    }
    states = []
    for kind in ReviewKind:
        state = getattr(annotated, f"state_{kind.value}") or ""
        if state == ReviewState.DRAFT and not filers[kind]:
            state = ""
        states.append((kind.value, state))
    return OverviewRow(
        pairing=pairing,
        states=states,
        conclusion=annotated.evaluation_conclusion or "",
        targets_total=annotated.targets_total,
        targets_achieved=annotated.targets_achieved,
    )
