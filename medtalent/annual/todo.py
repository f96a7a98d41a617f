"""What waits for a user in the yearly cycle of pairings (the workspace's to-do list, `core.todo`):

- a hospital's unit administrator: the self-assessments their hospital must file (a draft is the state from which
  its filer submits; a review not started yet is a draft too) for the pairings it is a party to, of the review
  year: this year once the programme's self-assessment window is open, else last year;
- a commission administrator: the pairings of the programmes they manage with a self-assessment submitted and the
  evaluation not submitted yet, of the evaluation year (the same rule with the evaluation's window).

The windows are the programmes' `annual_calendar` rules (one query for all); the pairings and the total in one
more query, whatever the number of items.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role, user_has_role
from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.annual.models import AnnualReview
from medtalent.annual.selectors import review_opens_on, running_in_q
from medtalent.annual.workflow import REVIEW
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.core.todo import TodoItem, as_datetime, first_rows, may, todo_lines
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import Pairing, PairingRule

FILE = "annual.file_review"
SIDE_KIND = {"supporting": ReviewKind.SELF_SUPPORTING, "supported": ReviewKind.SELF_SUPPORTED}


def todo_items(*, user) -> list[TodoItem]:
    items: list[TodoItem] = []
    today = timezone.localdate()
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    commission = user_has_role(user=user, role=Role.COMMISSION_ADMIN)
    if not units and not commission:
        return items
    calendars = dict(
        PairingRule.objects.filter(kind=PairingRuleKind.ANNUAL_CALENDAR).values_list("programme_id", "params")
    )
    if units:
        items += _self_assessments_due(user, units, calendars, today)
    if commission:
        items += _evaluations_due(user, calendars, today)
    return items


def _closed_this_year(calendars: dict, kind: str, today: dt.date) -> list[int]:
    """The programmes whose window for this year's review of `kind` is not open yet (their review year is the
    last one)."""
    closed = []
    for programme_id, params in calendars.items():
        opens_on = review_opens_on(calendar=params or {}, year=today.year, kind=kind)
        if opens_on is not None and opens_on > today:
            closed.append(programme_id)
    return closed


def _review_year(pairing: Pairing, closed: list[int], today: dt.date) -> int:
    return today.year - 1 if pairing.programme_id in closed else today.year


def _submitted(year: int, kind: str) -> Exists:
    return Exists(
        AnnualReview.objects.filter(pairing=OuterRef("pk"), year=year, kind=kind, state=ReviewState.SUBMITTED)
    )


def _in_review_year(closed: list[int], today: dt.date, condition) -> Q:
    """Pairings running in their programme's review year and meeting `condition(year)` for that year."""
    this_year, last_year = today.year, today.year - 1
    return (~Q(programme_id__in=closed) & running_in_q(this_year) & condition(this_year)) | (
        Q(programme_id__in=closed) & running_in_q(last_year) & condition(last_year)
    )


def _rows(queryset) -> tuple[list[Pairing], int]:
    return first_rows(
        queryset.select_related("supporting", "supported", "programme__owner__region"),
        "programme_id",
        "sort",
        "id",
    )


def _since(calendars: dict, pairing: Pairing, year: int, kind: str) -> dt.datetime | None:
    return as_datetime(review_opens_on(calendar=calendars.get(pairing.programme_id) or {}, year=year, kind=kind))


def _self_assessments_due(user, units: list[int], calendars: dict, today: dt.date) -> list[TodoItem]:
    kind = "annual.self_assessment"
    # Translators: 中文：待提交的年度自评
    heading = _("Self-assessments to submit")
    closed = _closed_this_year(calendars, ReviewKind.SELF_SUPPORTING, today)

    def not_filed(year: int) -> Q:
        return (Q(supporting_id__in=units) & ~_submitted(year, ReviewKind.SELF_SUPPORTING)) | (
            Q(supported_id__in=units) & ~_submitted(year, ReviewKind.SELF_SUPPORTED)
        )

    rows, total = _rows(Pairing.objects.filter(_in_review_year(closed, today, not_filed)))
    items = []
    for pairing in rows:
        year = _review_year(pairing, closed, today)
        sides = [
            side
            for side, unit in (("supporting", pairing.supporting_id), ("supported", pairing.supported_id))
            if unit in units
        ]
        reviews = [AnnualReview(pairing=pairing, year=year, kind=SIDE_KIND[side]) for side in sides]
        if not any(may(REVIEW, r, user, FILE) for r in reviews):
            continue
        url = (
            reverse("annual:review", args=[pairing.pk, year, reviews[0].kind])
            if len(reviews) == 1
            else reverse("annual:year", args=[pairing.pk, year])
        )
        items.append((pairing, year, url, reviews[0].kind))

    def line(row) -> TodoItem:
        pairing, year, url, review_kind = row
        return TodoItem(
            kind=kind,
            heading=heading,
            title=str(pairing),
            detail=f"{year} · {ReviewKind(review_kind).label} · {pairing.programme.name}",
            url=url,
            since=_since(calendars, pairing, year, review_kind),
        )

    more_url = _overview_url(rows, closed, today)
    return todo_lines(kind=kind, heading=heading, rows=items, total=total, line=line, more_url=more_url)


def _evaluations_due(user, calendars: dict, today: dt.date) -> list[TodoItem]:
    kind = "annual.evaluation"
    # Translators: 中文：待评估的对口支援（已有自评提交）
    heading = _("Pairings waiting for your evaluation")
    closed = _closed_this_year(calendars, ReviewKind.EVALUATION, today)

    def waiting(year: int) -> Q:
        self_submitted = _submitted(year, ReviewKind.SELF_SUPPORTING) | _submitted(year, ReviewKind.SELF_SUPPORTED)
        return Q(self_submitted) & ~_submitted(year, ReviewKind.EVALUATION)

    managed = Pairing.objects.filter(programme__in=programmes_manageable_by(user=user))
    rows, total = _rows(managed.filter(_in_review_year(closed, today, waiting)))
    items = []
    for pairing in rows:
        year = _review_year(pairing, closed, today)
        evaluation = AnnualReview(pairing=pairing, year=year, kind=ReviewKind.EVALUATION)
        if may(REVIEW, evaluation, user, FILE):
            items.append((pairing, year))

    def line(row) -> TodoItem:
        pairing, year = row
        return TodoItem(
            kind=kind,
            heading=heading,
            title=str(pairing),
            detail=f"{year} · {pairing.programme.name}",
            url=reverse("annual:review", args=[pairing.pk, year, ReviewKind.EVALUATION]),
            since=_since(calendars, pairing, year, ReviewKind.EVALUATION),
        )

    more_url = _overview_url(rows, closed, today)
    return todo_lines(kind=kind, heading=heading, rows=items, total=total, line=line, more_url=more_url)


def _overview_url(rows: list[Pairing], closed: list[int], today: dt.date) -> str:
    """The overview of the first listed pairing's programme and review year (the pairings and their reviews)."""
    url = reverse("annual:overview")
    if not rows:
        return url
    first = rows[0]
    return f"{url}?programme={first.programme.code}&year={_review_year(first, closed, today)}"
