"""The yearly cycle of a pairing: targets, the hospitals' self-assessments and the commission's evaluation.

Targets and reviews belong to the pairing (the relationship the agreement is about), not to one version
of its agreement, so a new agreement version keeps them. The programme's key specialties and techniques
for a year (`YearFocus`, seed: 2015, 2016) and the evaluation's dimensions (`EvaluationDimension`, seed:
组织管理 … 医疗质量安全) are data of the programme, changed by an administrator without a code change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.annual.enums import FOUR_ONES, Conclusion, ReviewKind, ReviewState, TargetKind, TargetStatus
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE, limited_text_field
from medtalent.core.models import TimeStampedModel, pick_language


class YearFocus(models.Model):
    """A key specialty or technique the programme sets for one year (e.g. 2015: ICU, pathology …)."""

    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="year_focus", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(k.value, k.label) for k in (TargetKind.KEY_SPECIALTY, TargetKind.KEY_TECHNIQUE)],
    )
    text_zh = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200, blank=True)
    specialty = models.ForeignKey(
        "codes.Specialty",
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key specialty or technique of the year")
        verbose_name_plural = _("key specialties and techniques of the year")
        ordering = ["programme", "year", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "year", "text_zh"], name="unique_year_focus")]

    def __str__(self) -> str:
        return f"{self.year} · {self.text}"

    @property
    def text(self) -> str:
        return pick_language(self.text_zh, self.text_en)


def _evidence_path(instance, filename: str) -> str:
    return f"annual/evidence/{instance.pairing_id}/{instance.year}/{filename}"


class YearlyTarget(TimeStampedModel):
    pairing = models.ForeignKey(
        "partnerships.Pairing", verbose_name=_("pairing"), related_name="targets", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    title = models.CharField(_("target"), max_length=200)
    description = limited_text_field(_("description"), blank=True, max_length=TEXT_MEDIUM)
    specialty = models.ForeignKey(
        "codes.Specialty",
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    focus = models.ForeignKey(
        YearFocus,
        verbose_name=_("key specialty or technique of the year"),
        null=True,
        blank=True,
        related_name="targets",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(_("status"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.PLANNED)
    evidence = limited_text_field(_("evidence"), blank=True, max_length=TEXT_MEDIUM)
    evidence_file = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True, max_length=300)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        ordering = ["pairing", "year", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "year", "kind"],
                condition=Q(kind__in=[k.value for k in FOUR_ONES]),
                name="one_four_ones_target_per_year",
            ),
        ]
        indexes = [models.Index(fields=["pairing", "year"])]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.pairing.audit_region_code()

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"


class EvaluationDimension(models.Model):
    """What the annual evaluation and the self-assessments score (seed: the seven contents of 003)."""

    programme = models.ForeignKey(
        "catalog.Programme",
        verbose_name=_("programme"),
        related_name="evaluation_dimensions",
        on_delete=models.CASCADE,
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation dimension")
        verbose_name_plural = _("evaluation dimensions")
        ordering = ["programme", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="unique_dimension_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class AnnualReview(TimeStampedModel):
    """A self-assessment by one of the two hospitals, or the commission's evaluation, of one pairing-year."""

    pairing = models.ForeignKey(
        "partnerships.Pairing", verbose_name=_("pairing"), related_name="reviews", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    summary = limited_text_field(_("work done and results"), blank=True, max_length=TEXT_LONG)
    problems = limited_text_field(_("problems and shortcomings"), blank=True, max_length=TEXT_LONG)
    plan = limited_text_field(_("plan for next year"), blank=True, max_length=TEXT_LONG)
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=Conclusion.choices, blank=True, help_text=_("Annual evaluation only.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["pairing", "-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["pairing", "year", "kind"], name="unique_annual_review")]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.pairing.audit_region_code()

    def __str__(self) -> str:
        return f"{self.pairing} · {self.year} · {self.get_kind_display()}"


class AnnualReviewScore(models.Model):
    review = models.ForeignKey(AnnualReview, verbose_name=_("review"), related_name="scores", on_delete=models.CASCADE)
    dimension = models.ForeignKey(
        EvaluationDimension, verbose_name=_("dimension"), related_name="scores", on_delete=models.PROTECT
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = limited_text_field(_("comment"), blank=True, max_length=TEXT_NOTE)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "dimension__sort"]
        constraints = [models.UniqueConstraint(fields=["review", "dimension"], name="unique_review_dimension")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.score}"
