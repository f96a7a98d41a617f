"""The yearly cycle of a pairing over the API.

GET  /api/v1/pairings/{pairing_id}/years/{year}                 targets with status, the reviews the caller may see
POST /api/v1/pairings/{pairing_id}/years/{year}/reviews/{kind}  save the caller's review (draft), `submit` to submit

For the two hospitals' unit administrators and the commission managing the programme (a review is filed by
its filer only): a visitor gets 401, anybody else 403, a broken rule 400, malformed input 422, all as
{"errors": [{"field", "message"}]}. The same selectors and services as the pages.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError

from medtalent.annual import selectors, services
from medtalent.annual.enums import ReviewKind
from medtalent.annual.models import AnnualReview
from medtalent.core.api_auth import SIGNED_IN
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import TEXT_LONG, TEXT_NOTE
from medtalent.partnerships.selectors import pairing_for_user

router = Router(tags=["annual"])


class HospitalOut(Schema):
    code: str
    name_zh: str
    name_en: str


class PairingRefOut(Schema):
    id: int
    supporting: HospitalOut
    supported: HospitalOut
    programme: str


class WindowsOut(Schema):
    self_assessment_from: str | None
    evaluation_from: str | None


class TargetOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    specialty: str | None
    from_key_work: bool
    status: str
    evidence: str
    has_evidence_file: bool


class ScoreOut(Schema):
    dimension: str
    name_zh: str
    name_en: str
    max_score: int
    score: float
    comment: str


class ReviewOut(Schema):
    kind: str
    state: str
    summary: str
    problems: str
    plan: str
    conclusion: str
    submitted_at: str | None
    scores: list[ScoreOut]


class PairingYearOut(Schema):
    pairing: PairingRefOut
    year: int
    years: list[int]
    locked: bool
    windows: WindowsOut
    targets: list[TargetOut]
    reviews: list[ReviewOut]


class ScoreIn(Schema):
    dimension: str = Field(..., max_length=40, description="Dimension code, e.g. organisation")
    score: float | None = Field(None, description="0 to the dimension's maximum, one decimal at most")
    comment: str = Field("", max_length=TEXT_NOTE)


class ReviewIn(Schema):
    summary: str = Field("", max_length=TEXT_LONG)
    problems: str = Field("", max_length=TEXT_LONG)
    plan: str = Field("", max_length=TEXT_LONG)
    conclusion: str = Field("", max_length=20, description="Annual evaluation only: excellent, good, pass, fail")
    scores: list[ScoreIn] = Field(default_factory=list)
    submit: bool = Field(False, description="Submit after saving (all or nothing)")


def _pairing(request, pairing_id: int):
    if not request.user.is_authenticated:
        raise AuthenticationError
    pairing = pairing_for_user(user=request.user, pk=pairing_id)  # 404 outside the caller's pairings
    # Translators: 中文：您无权查看该对口支援关系的年度工作。
    require_perm(request.user, "annual.view_pairing_year", pairing, _("You may not see this pairing's yearly work."))
    return pairing


def _hospital(org) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en}


def _review(review: AnnualReview) -> dict:
    return {
        "kind": review.kind,
        "state": review.state,
        "summary": review.summary,
        "problems": review.problems,
        "plan": review.plan,
        "conclusion": review.conclusion,
        "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
        "scores": [
            {
                "dimension": s.dimension.code,
                "name_zh": s.dimension.name_zh,
                "name_en": s.dimension.name_en,
                "max_score": s.dimension.max_score,
                "score": float(s.score),
                "comment": s.comment,
            }
            for s in sorted(review.scores.all(), key=lambda s: (s.dimension.sort, s.dimension_id))
        ],
    }


@router.get(
    "/pairings/{pairing_id}/years/{year}",
    response=PairingYearOut,
    auth=SIGNED_IN,
    summary="A pairing's targets and reviews",
)
def pairing_year(request, pairing_id: int, year: int):
    pairing = _pairing(request, pairing_id)
    data = selectors.pairing_year_get(user=request.user, pairing=pairing, year=year)
    return {
        "pairing": {
            "id": pairing.pk,
            "supporting": _hospital(pairing.supporting),
            "supported": _hospital(pairing.supported),
            "programme": pairing.programme.code,
        },
        "year": year,
        "years": data.years,
        "locked": data.locked,
        "windows": {
            "self_assessment_from": data.self_assessment_opens_on.isoformat()
            if data.self_assessment_opens_on
            else None,
            "evaluation_from": data.evaluation_opens_on.isoformat() if data.evaluation_opens_on else None,
        },
        "targets": [
            {
                "id": t.pk,
                "kind": t.kind,
                "title": t.title,
                "description": t.description,
                "specialty": t.specialty.code if t.specialty else None,
                "from_key_work": t.focus_id is not None,
                "status": t.status,
                "evidence": t.evidence,
                "has_evidence_file": bool(t.evidence_file),
            }
            for t in data.targets
        ],
        "reviews": [_review(slot.review) for slot in data.reviews if slot.review is not None],
    }


@router.post(
    "/pairings/{pairing_id}/years/{year}/reviews/{kind}",
    response=ReviewOut,
    auth=SIGNED_IN,
    summary="Save (and optionally submit) a self-assessment or the annual evaluation",
)
def review_file(request, pairing_id: int, year: int, kind: ReviewKind, payload: ReviewIn):
    pairing = _pairing(request, pairing_id)
    probe = AnnualReview(pairing=pairing, year=year, kind=kind.value)
    # Translators: 中文：您无权填写这份评估。
    require_perm(request.user, "annual.file_review", probe, _("You may not file this review."))
    dimensions = {d.code: d for d in selectors.dimensions_for(programme=pairing.programme)}
    scores = {}
    for entry in payload.scores:
        dimension = dimensions.get(entry.dimension)
        if dimension is None:
            raise ApplicationError(
                # Translators: 中文：该项目没有这个评估维度。
                _("The programme has no such evaluation dimension."),
                field=f"scores.{entry.dimension}",
            )
        if dimension.pk in scores:
            # Translators: 中文：同一评估维度只能打一次分。
            raise ApplicationError(_("Each dimension may be scored once."), field=f"scores.{entry.dimension}")
        value = None if entry.score is None else Decimal(str(entry.score))
        scores[dimension.pk] = (value, entry.comment)
    by_id = {d.pk: d.code for d in dimensions.values()}
    try:
        services.review_file(
            actor=request.user,
            pairing=pairing,
            year=year,
            kind=kind.value,
            summary=payload.summary,
            problems=payload.problems,
            plan=payload.plan,
            scores=scores,
            conclusion=payload.conclusion,
            submit=payload.submit,
        )
    except ApplicationError as error:
        # Report a dimension by its code, as the caller named it.
        if error.field and error.field.startswith("score_") and error.field[6:].isdigit():
            error.field = f"scores.{by_id.get(int(error.field[6:]), error.field[6:])}"
        raise
    review = selectors.review_get_or_new(pairing=pairing, year=year, kind=kind.value)
    return _review(review)
