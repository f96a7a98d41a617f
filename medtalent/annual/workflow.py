"""The state machine of an annual review (a hospital's self-assessment, the commission's evaluation): draft →
submitted by its filer, from the window's first day (the programme's `annual_calendar` rule) with every dimension
scored; submitted → draft by the commission (a self-assessment returned with a note, or its evaluation reopened).

Applied by `core.workflow`; `services.review_transition` calls it (after locking the pairing: the evaluation's
submission locks the year's targets, so it waits for a target being edited).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_admins_covering, users_with_role
from medtalent.annual import selectors
from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.annual.models import AnnualReview
from medtalent.annual.rules import FILER_SIDE
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_MEDIUM, check_length
from medtalent.core.workflow import Machine, Step, Transition

R = ReviewState


def _review_recipients(review: AnnualReview, audience: str):
    """parties: both hospitals' unit administrators; commission: the commission administrators who manage the
    pairing's programme; filer: whoever files this review (its hospital's administrators, or the commission's
    for the evaluation)."""
    pairing = review.pairing
    if audience == "parties":
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[pairing.supporting_id, pairing.supported_id])
    if audience == "commission" or (audience == "filer" and review.kind == ReviewKind.EVALUATION):
        return commission_admins_covering(organisations=[pairing.programme.owner])
    if audience == "filer":
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[getattr(pairing, f"{FILER_SIDE[review.kind]}_id")])
    raise ValueError(f"annual_review: unknown audience {audience!r}")


def check_complete(review: AnnualReview) -> None:
    if not review.summary.strip():
        # Translators: 中文：提交前请填写“工作开展情况及成效”。
        raise ApplicationError(_("Describe the work done and its results before submitting."), field="summary")
    scored = set(review.scores.values_list("dimension_id", flat=True))
    for dimension in selectors.dimensions_for(programme=review.pairing.programme):
        if dimension.pk not in scored:
            # Translators: 中文：提交前请给“%(dimension)s”打分。
            raise ApplicationError(
                _("Give “%(dimension)s” a score before submitting.") % {"dimension": dimension.name},
                field=f"score_{dimension.pk}",
            )
    if review.kind == ReviewKind.EVALUATION and not review.conclusion:
        # Translators: 中文：提交年度评估前请选择评估结论。
        raise ApplicationError(_("Choose the conclusion before submitting the evaluation."), field="conclusion")


def check_window(review: AnnualReview, today: dt.date) -> None:
    calendar = selectors.annual_calendar(programme=review.pairing.programme)
    opens_on = selectors.review_opens_on(calendar=calendar, year=review.year, kind=review.kind)
    if opens_on is not None and today < opens_on:
        date = formats.date_format(opens_on, "DATE_FORMAT")
        if review.kind == ReviewKind.EVALUATION:
            # Translators: 中文：%(year)s年度评估可于%(date)s起提交。
            message = _("The annual evaluation of %(year)s can be submitted from %(date)s.")
        else:
            # Translators: 中文：%(year)s年度自评可于%(date)s起提交。
            message = _("The self-assessment of %(year)s can be submitted from %(date)s.")
        raise ApplicationError(message % {"year": review.year, "date": date}, field="state")


def _review_check(step: Step) -> None:
    """Submit: the window is open (`context["today"]`, else today) and every part is filled in; return a
    self-assessment: a note says what must change (the commission reopens its own evaluation without one)."""
    review = step.obj
    # Translators: 中文：备注
    check_length(step.note, limit=TEXT_MEDIUM, label=_("note"), field="note")  # the audit row's note
    if step.move.target == R.SUBMITTED:
        check_window(review, step.context.get("today") or timezone.localdate())
        check_complete(review)
    elif review.kind != ReviewKind.EVALUATION and not step.note:
        # Translators: 中文：退回自评时请说明需要修改的内容。
        raise ApplicationError(_("Say what must be changed when returning a self-assessment."), field="note")


def _review_apply(step: Step) -> list[str]:
    review = step.obj
    if step.move.target == R.SUBMITTED:
        review.submitted_by, review.submitted_at = step.actor, step.now
    else:
        review.submitted_by, review.submitted_at = None, None
    return ["submitted_by", "submitted_at"]


REVIEW = Machine(
    name="annual_review",
    model=AnnualReview,
    transitions=(
        Transition(
            R.DRAFT,
            R.SUBMITTED,
            "annual.file_review",  # the filer, once the window is open and every part is filled in
            # Translators: 中文：提交
            label=gettext_lazy("Submit"),
            notify=("commission", "parties"),
            style="primary",
        ),
        Transition(
            R.SUBMITTED,
            R.DRAFT,
            "annual.return_review",  # the commission returns a self-assessment, or reopens its evaluation
            # Translators: 中文：退回
            label=gettext_lazy("Return"),
            notify=("filer",),
        ),
    ),
    recipients=_review_recipients,
    lock=lambda qs: qs.select_related("pairing__supporting", "pairing__supported", "pairing__programme__owner__region"),
    check=_review_check,
    apply=_review_apply,
    link=lambda review: reverse(
        "annual:review", kwargs={"pairing_pk": review.pairing_id, "year": review.year, "kind": review.kind}
    ),
    # Translators: 中文：评估不能从“%(from)s”变为“%(to)s”。
    cannot_message=gettext_lazy("A review cannot go from “%(from)s” to “%(to)s”."),
    denied_message=gettext_lazy("You may not do this with this review."),
)
