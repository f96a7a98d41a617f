"""Writes for the yearly cycle of a pairing: targets, the two self-assessments and the annual evaluation.

Targets (the four-ones, one of each kind per pairing-year, and the year's key specialties and techniques)
are edited by both hospitals' unit administrators and the commission until the year's evaluation is
submitted; then they are locked. A target's status is a progress marker (any status to any other), audited
with its evidence.

Reviews (自评 by each hospital, 年度评估 by the commission) have one state machine, `workflow.REVIEW`,
applied by `review_transition` only (through `core.workflow.transition`): draft → submitted by the filer, from the window's first day (the
programme's `annual_calendar` rule), with every dimension scored; submitted → draft by the commission (a
self-assessment returned with a note, or its own evaluation reopened). `review_save` edits the draft.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from medtalent.annual import selectors
from medtalent.annual.enums import FOUR_ONES, Conclusion, ReviewKind, ReviewState, TargetKind, TargetStatus
from medtalent.annual.models import AnnualReview, AnnualReviewScore, YearlyTarget
from medtalent.annual.workflow import REVIEW
from medtalent.codes.models import Specialty
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.partnerships.models import Pairing
from medtalent.people.uploads import check_upload

R = ReviewState

TITLE_MAX = 200


def _locked_pairing(pairing: Pairing) -> Pairing:
    """Lock the pairing row: target edits and the evaluation's submission of a year go one after the other."""
    locked = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("supporting", "supported", "programme__owner__region")
        .get(pk=pairing.pk)
    )
    return locked


def _check_year(pairing: Pairing, year: int) -> None:
    years = selectors.pairing_years(pairing=pairing)
    if year not in years:
        if years:
            # Translators: 中文：%(year)s年不在该对口支援关系的协议期内（%(first)s—%(last)s年）。
            message = _("%(year)s is outside the pairing's term (%(first)s to %(last)s).") % {
                "year": year,
                "first": years[0],
                "last": years[-1],
            }
        else:
            # Translators: 中文：该对口支援关系没有协议期限，无法安排年度工作。
            message = _("This pairing has no term, so it has no yearly work.")
        raise ApplicationError(message, field="year")


def _require_unlocked(pairing: Pairing, year: int) -> None:
    if selectors.year_locked(pairing=pairing, year=year):
        # Translators: 中文：%(year)s年度评估已提交，该年度目标已锁定。
        raise ApplicationError(
            _("The annual evaluation of %(year)s is submitted: that year's targets are locked.") % {"year": year},
            field="year",
        )


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        # Translators: 中文：请填写目标。
        raise ApplicationError(_("Write the target."), field="title")
    if len(title) > TITLE_MAX:
        # Translators: 中文：目标不能超过%(max)s个字。
        raise ApplicationError(_("The target may have at most %(max)s characters.") % {"max": TITLE_MAX}, field="title")
    return title


def _four_ones_taken(pairing: Pairing, year: int, kind: str, exclude: int | None = None) -> None:
    if kind not in FOUR_ONES:
        return
    taken = YearlyTarget.objects.filter(pairing=pairing, year=year, kind=kind)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise _four_ones_error(year, kind)


def _four_ones_error(year: int, kind: str) -> ApplicationError:
    # Translators: 中文：%(year)s年已有“%(kind)s”目标：每年每类“四个一”目标只有一个，请修改已有的目标。
    return ApplicationError(
        _("%(year)s has its “%(kind)s” target already: the four-ones have one target of each kind a year; change it.")
        % {"year": year, "kind": TargetKind(kind).label},
        field="kind",
    )


def _next_sort(pairing: Pairing, year: int) -> int:
    last = YearlyTarget.objects.filter(pairing=pairing, year=year).aggregate(m=Max("sort"))["m"]
    return 10 if last is None else last + 10


# ---- targets ---------------------------------------------------------------------------------------------------


@transaction.atomic
def target_create(
    *,
    actor,
    pairing: Pairing,
    year: int,
    kind: str,
    title: str,
    description: str = "",
    specialty: Specialty | None = None,
) -> YearlyTarget:
    """A target of a pairing-year: one of the four-ones (one of each kind a year) or a key specialty/technique."""
    locked = _locked_pairing(pairing)
    require_perm(actor, "annual.change_targets", locked, _("You may not change this pairing's targets."))
    if kind not in TargetKind.values:
        # Translators: 中文：请选择目标类别。
        raise ApplicationError(_("Choose the kind of target."), field="kind")
    _check_year(locked, year)
    _require_unlocked(locked, year)
    title = _clean_title(title)
    description = (description or "").strip()
    check_lengths(YearlyTarget, {"description": description})
    _four_ones_taken(locked, year, kind)
    try:
        with transaction.atomic():
            target = YearlyTarget.objects.create(
                pairing=locked,
                year=year,
                kind=kind,
                title=title,
                description=description,
                specialty=specialty,
                sort=_next_sort(locked, year),
            )
    except IntegrityError as error:  # another user added the same four-ones kind at the same moment
        raise _four_ones_error(year, kind) from error
    audit_log(
        actor=actor,
        action="annual_target.create",
        obj=target,
        to_state=target.status,
        data={"pairing": locked.pk, "year": year, "kind": kind, "title": title},
    )
    return target


@transaction.atomic
def target_update(
    *, actor, target: YearlyTarget, title: str, description: str = "", specialty: Specialty | None = None
) -> YearlyTarget:
    """Change a target's title, description and specialty (its kind and year stay)."""
    locked_pairing = _locked_pairing(target.pairing)
    require_perm(actor, "annual.change_targets", locked_pairing, _("You may not change this pairing's targets."))
    target = YearlyTarget.objects.get(pk=target.pk, pairing=locked_pairing)
    _require_unlocked(locked_pairing, target.year)
    title = _clean_title(title)
    description = (description or "").strip()
    check_lengths(YearlyTarget, {"description": description})
    before = {"title": target.title, "description": target.description, "specialty": target.specialty_id}
    target.title = title
    target.description = description
    target.specialty = specialty
    target.save(update_fields=["title", "description", "specialty", "updated_at"])
    after = {"title": target.title, "description": target.description, "specialty": target.specialty_id}
    audit_log(actor=actor, action="annual_target.update", obj=target, data={"before": before, "after": after})
    target.pairing = locked_pairing
    return target


@transaction.atomic
def target_set_status(
    *, actor, target: YearlyTarget, status: str, evidence: str = "", evidence_file=None
) -> YearlyTarget:
    """Set a target's status with its evidence (text, and optionally a PDF, JPEG or PNG checked by content).

    An achieved target needs evidence (text or file). A new file replaces the previous one."""
    locked_pairing = _locked_pairing(target.pairing)
    require_perm(actor, "annual.change_targets", locked_pairing, _("You may not change this pairing's targets."))
    target = YearlyTarget.objects.get(pk=target.pk, pairing=locked_pairing)
    _require_unlocked(locked_pairing, target.year)
    if status not in TargetStatus.values:
        # Translators: 中文：请选择状态。
        raise ApplicationError(_("Choose a status."), field="status")
    evidence = (evidence or "").strip()
    check_lengths(YearlyTarget, {"evidence": evidence})
    checked = None
    if evidence_file is not None:
        try:
            checked = check_upload(evidence_file, kind="evidence")
        except ValidationError as error:
            raise ApplicationError(error.messages[0], field="evidence_file") from error
    if status == TargetStatus.ACHIEVED and not evidence and checked is None and not target.evidence_file:
        # Translators: 中文：标记为“已完成”前，请写明佐证材料或上传佐证文件。
        raise ApplicationError(
            _("Describe the evidence, or attach a file, before marking the target achieved."), field="evidence"
        )
    previous, old_file = target.status, target.evidence_file.name if target.evidence_file else ""
    target.status = status
    target.evidence = evidence
    fields = ["status", "evidence", "updated_at"]
    if checked is not None:
        evidence_file.seek(0)
        target.evidence_file.save(f"{uuid.uuid4().hex}.{checked.extension}", evidence_file, save=False)
        fields.append("evidence_file")
    stored = target.evidence_file.name if checked is not None else ""
    try:
        with transaction.atomic():
            target.save(update_fields=fields)
            audit_log(
                actor=actor,
                action="annual_target.set_status",
                obj=target,
                from_state=previous,
                to_state=status,
                data={
                    "evidence": evidence,
                    "file": os.path.basename(getattr(evidence_file, "name", "") or "") if checked else "",
                    "content_type": checked.content_type if checked else "",
                },
            )
    except Exception:
        if stored:  # no row pointing at it: a stored file would never be found again
            target.evidence_file.storage.delete(stored)
        raise
    if stored and old_file:
        transaction.on_commit(lambda: target.evidence_file.storage.delete(old_file))
    target.pairing = locked_pairing
    return target


@transaction.atomic
def targets_from_focus(*, actor, pairing: Pairing, year: int) -> list[YearlyTarget]:
    """Add the programme's key specialties and techniques of `year` as targets, skipping those added already."""
    locked = _locked_pairing(pairing)
    require_perm(actor, "annual.change_targets", locked, _("You may not change this pairing's targets."))
    _check_year(locked, year)
    _require_unlocked(locked, year)
    focus = selectors.focus_for(programme=locked.programme, year=year)
    if not focus:
        # Translators: 中文：本项目没有规定%(year)s年的重点专科和重点技术。
        raise ApplicationError(
            _("The programme sets no key specialties or techniques for %(year)s.") % {"year": year}, field="year"
        )
    added = set(
        YearlyTarget.objects.filter(pairing=locked, year=year, focus__isnull=False).values_list("focus_id", flat=True)
    )
    sort = _next_sort(locked, year)
    created = []
    for item in focus:
        if item.pk in added:
            continue
        created.append(
            YearlyTarget(
                pairing=locked,
                year=year,
                kind=item.kind,
                title=item.text_zh,
                specialty_id=item.specialty_id,
                focus=item,
                sort=sort,
            )
        )
        sort += 10
    for target in created:
        target.save()
        audit_log(
            actor=actor,
            action="annual_target.create",
            obj=target,
            to_state=target.status,
            data={
                "pairing": locked.pk,
                "year": year,
                "kind": target.kind,
                "title": target.title,
                "focus": target.focus_id,
            },
        )
    return created


@transaction.atomic
def target_delete(*, actor, target: YearlyTarget) -> None:
    """Remove a target, unless its year's evaluation is submitted."""
    locked_pairing = _locked_pairing(target.pairing)
    require_perm(actor, "annual.change_targets", locked_pairing, _("You may not change this pairing's targets."))
    target = YearlyTarget.objects.get(pk=target.pk, pairing=locked_pairing)
    _require_unlocked(locked_pairing, target.year)
    data = {"pairing": locked_pairing.pk, "year": target.year, "kind": target.kind, "title": target.title}
    stored = target.evidence_file.name if target.evidence_file else ""
    audit_log(actor=actor, action="annual_target.delete", obj=target, from_state=target.status, data=data)
    storage = target.evidence_file.storage
    target.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# ---- reviews ---------------------------------------------------------------------------------------------------


def _score_value(raw, dimension) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as error:
        # Translators: 中文：“%(dimension)s”的得分必须是数字。
        raise ApplicationError(
            _("The score of “%(dimension)s” must be a number.") % {"dimension": dimension.name},
            field=f"score_{dimension.pk}",
        ) from error
    if not value.is_finite() or value < 0 or value > dimension.max_score or value != value.quantize(Decimal("0.1")):
        # Translators: 中文：“%(dimension)s”的得分须在0到%(max)s之间（最多一位小数）。
        raise ApplicationError(
            _("The score of “%(dimension)s” must be from 0 to %(max)s (one decimal at most).")
            % {"dimension": dimension.name, "max": dimension.max_score},
            field=f"score_{dimension.pk}",
        )
    return value


@transaction.atomic
def review_save(
    *,
    actor,
    pairing: Pairing,
    year: int,
    kind: str,
    summary: str = "",
    problems: str = "",
    plan: str = "",
    scores: dict[int, tuple] | None = None,
    conclusion: str = "",
) -> AnnualReview:
    """Create or update the draft of a review. `scores`: dimension id → (score or None, comment); a dimension
    left out or with no score and no comment has no score. Scores lie within 0..the dimension's maximum."""
    if kind not in ReviewKind.values:
        # Translators: 中文：没有这种评估。
        raise ApplicationError(_("There is no such kind of review."), field="kind")
    locked_pairing = _locked_pairing(pairing)
    probe = AnnualReview(pairing=locked_pairing, year=year, kind=kind)
    require_perm(actor, "annual.file_review", probe, _("You may not file this review."))
    _check_year(locked_pairing, year)
    review = (
        AnnualReview.objects.select_for_update(of=("self",))
        .filter(pairing=locked_pairing, year=year, kind=kind)
        .first()
    )
    if review is not None and review.state != R.DRAFT:
        # Translators: 中文：该评估已提交，不能再修改；如需修改，请联系卫生健康委员会退回。
        raise ApplicationError(
            _("This review is submitted and cannot be changed; ask the commission to return it."), field="state"
        )
    conclusion = (conclusion or "").strip()
    if conclusion and kind != ReviewKind.EVALUATION:
        # Translators: 中文：只有年度评估有评估结论。
        raise ApplicationError(_("Only the annual evaluation has a conclusion."), field="conclusion")
    if conclusion and conclusion not in Conclusion.values:
        # Translators: 中文：请选择评估结论。
        raise ApplicationError(_("Choose a conclusion."), field="conclusion")
    dimensions = {d.pk: d for d in selectors.dimensions_for(programme=locked_pairing.programme)}
    wanted: dict[int, tuple[Decimal, str]] = {}
    for dimension_id, entry in (scores or {}).items():
        dimension = dimensions.get(int(dimension_id)) if str(dimension_id).isdigit() else None
        if dimension is None:
            # Translators: 中文：该项目没有这个评估维度。
            raise ApplicationError(_("The programme has no such evaluation dimension."), field=f"score_{dimension_id}")
        raw, comment = (entry if isinstance(entry, (tuple, list)) else (entry, ""))[:2]
        comment = (comment or "").strip()
        check_lengths(AnnualReviewScore, {"comment": comment}, fields={"comment": f"comment_{dimension.pk}"})
        value = _score_value(raw, dimension)
        if value is None:
            if comment:
                # Translators: 中文：请给“%(dimension)s”打分（已写评语）。
                raise ApplicationError(
                    _("Give “%(dimension)s” a score for its comment.") % {"dimension": dimension.name},
                    field=f"score_{dimension.pk}",
                )
            continue
        wanted[dimension.pk] = (value, comment)
    values = {
        "summary": (summary or "").strip(),
        "problems": (problems or "").strip(),
        "plan": (plan or "").strip(),
        "conclusion": conclusion,
    }
    check_lengths(AnnualReview, values)
    created = review is None
    if review is None:
        review = AnnualReview.objects.create(pairing=locked_pairing, year=year, kind=kind, state=R.DRAFT, **values)
    else:
        for name, text in values.items():
            setattr(review, name, text)
        review.save(update_fields=[*values, "updated_at"])
    current = {s.dimension_id: s for s in review.scores.all()}
    AnnualReviewScore.objects.filter(review=review).exclude(dimension_id__in=wanted).delete()
    for dimension_id, (value, comment) in wanted.items():
        score = current.get(dimension_id)
        if score is None:
            AnnualReviewScore.objects.create(review=review, dimension_id=dimension_id, score=value, comment=comment)
        elif score.score != value or score.comment != comment:
            score.score, score.comment = value, comment
            score.save(update_fields=["score", "comment"])
    audit_log(
        actor=actor,
        action="annual_review.create" if created else "annual_review.save",
        obj=review,
        to_state=R.DRAFT if created else "",
        data={
            "pairing": locked_pairing.pk,
            "year": year,
            "kind": kind,
            "scores": {str(k): str(v[0]) for k, v in wanted.items()},
            "conclusion": conclusion,
        },
    )
    review.pairing = locked_pairing
    return review


@transaction.atomic
def review_transition(
    *, actor, review: AnnualReview, to: str, note: str = "", today: dt.date | None = None
) -> AnnualReview:
    """Apply one transition of `REVIEW`: the table and the actor's permission on the locked row, the step's
    conditions (submit: window and completeness; return of a self-assessment: a note), save, audit, notify."""
    if review.pk is None:
        # Translators: 中文：请先保存草稿。
        raise ApplicationError(_("Save the draft first."), field="state")
    _locked_pairing(review.pairing)  # the evaluation's submission locks the year's targets: one at a time
    return transition(REVIEW, review, to=to, actor=actor, note=note, context={"today": today})


@transaction.atomic
def review_submit(*, actor, review: AnnualReview, today: dt.date | None = None) -> AnnualReview:
    return review_transition(actor=actor, review=review, to=R.SUBMITTED, today=today)


@transaction.atomic
def review_return(*, actor, review: AnnualReview, note: str = "") -> AnnualReview:
    return review_transition(actor=actor, review=review, to=R.DRAFT, note=note)


@transaction.atomic
def review_file(
    *,
    actor,
    pairing: Pairing,
    year: int,
    kind: str,
    summary: str = "",
    problems: str = "",
    plan: str = "",
    scores: dict[int, tuple] | None = None,
    conclusion: str = "",
    submit: bool = False,
    today: dt.date | None = None,
) -> AnnualReview:
    """Save the draft and, with `submit`, submit it: all or nothing (a refused submission saves nothing)."""
    review = review_save(
        actor=actor,
        pairing=pairing,
        year=year,
        kind=kind,
        summary=summary,
        problems=problems,
        plan=plan,
        scores=scores,
        conclusion=conclusion,
    )
    if submit:
        review = review_transition(actor=actor, review=review, to=R.SUBMITTED, today=today)
    return review
