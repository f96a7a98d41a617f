"""Pairing support (对口支援): supporting tertiary hospitals paired with supported county hospitals.

A `Pairing` belongs to a programme of type pairing support (the Zhejiang plan of 2014 is `zj-pairing-2014`);
the checks on the network are `PairingRule` rows of that programme, so an administrator changes the ratios
and tolerances without a code change. Agreements, yearly targets, self-assessments, evaluations and
dispatched staff build on `Pairing` (later work).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_LONG, TEXT_NOTE, limited_text_field
from medtalent.core.models import TimeStampedModel, pick_language
from medtalent.partnerships.enums import AgreementState, PairingRuleKind, PairingSource


class Pairing(TimeStampedModel):
    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="pairings", on_delete=models.PROTECT
    )
    supporting = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("supporting hospital"),
        related_name="pairings_supporting",
        on_delete=models.PROTECT,
    )
    supported = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("supported hospital"),
        related_name="pairings_supported",
        on_delete=models.PROTECT,
    )
    source = models.CharField(
        _("published in"), max_length=10, choices=PairingSource.choices, default=PairingSource.OTHER
    )
    city = models.ForeignKey(
        "codes.Code",
        verbose_name=_("city"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "region"},
        help_text=_("The city whose list names the relationship (Annex 2)."),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["programme", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "supporting", "supported"], name="unique_pairing"),
            models.CheckConstraint(condition=~Q(supporting=F("supported")), name="pairing_two_different_hospitals"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=F("ends_on")),
                name="pairing_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["supported", "programme"])]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.supported.audit_region_code()

    def __str__(self) -> str:
        return f"{self.supporting} → {self.supported}"


class PairingRule(models.Model):
    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="pairing_rules", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PairingRuleKind.choices)
    params = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_('e.g. {"target": 3, "tolerance": 1}')
    )
    text_zh = limited_text_field(_("as published (Chinese)"), blank=True, max_length=TEXT_NOTE)
    text_en = limited_text_field(_("as published (English)"), blank=True, max_length=TEXT_NOTE)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pairing rule")
        verbose_name_plural = _("pairing rules")
        ordering = ["programme", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "kind"], name="unique_pairing_rule_kind")]

    def __str__(self) -> str:
        return self.text or self.get_kind_display()

    @property
    def text(self) -> str:
        return pick_language(self.text_zh, self.text_en)


class AgreementTemplate(models.Model):
    """A model agreement (e.g. Annex 3 of the 2014 plan); every one of its clauses is mandatory."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TemplateClause(models.Model):
    template = models.ForeignKey(
        AgreementTemplate, verbose_name=_("template"), related_name="clauses", on_delete=models.CASCADE
    )
    section = models.CharField(_("section"), max_length=100)
    text_zh = limited_text_field(_("text (Chinese)"), max_length=TEXT_LONG)
    text_en = limited_text_field(_("text (English)"), blank=True, max_length=TEXT_LONG)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template clause")
        verbose_name_plural = _("template clauses")
        ordering = ["template", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "sort"], name="unique_template_clause_sort")]

    def __str__(self) -> str:
        return f"{self.section}: {self.text_zh[:30]}"


class Agreement(TimeStampedModel):
    """One version of the agreement between the two hospitals of a pairing; older versions are kept."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), related_name="agreements", on_delete=models.PROTECT)
    template = models.ForeignKey(
        AgreementTemplate, verbose_name=_("template"), related_name="agreements", on_delete=models.PROTECT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=AgreementState.choices, default=AgreementState.DRAFT, db_index=True
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        related_name="next_version",
        on_delete=models.PROTECT,
    )
    approved_by_supporting = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved for the supporting hospital by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    approved_by_supporting_at = models.DateTimeField(_("approved by the supporting hospital at"), null=True, blank=True)
    approved_by_supported = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved for the supported hospital by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    approved_by_supported_at = models.DateTimeField(_("approved by the supported hospital at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["pairing", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "version"], name="unique_agreement_version"),
            models.UniqueConstraint(
                fields=["pairing"], condition=Q(state=AgreementState.APPROVED), name="one_approved_agreement"
            ),
            models.UniqueConstraint(
                fields=["pairing"],
                condition=Q(state__in=[AgreementState.DRAFT, AgreementState.AWAITING_APPROVAL]),
                name="one_open_agreement",
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="agreement_term_ordered"),
        ]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.pairing.audit_region_code()

    def __str__(self) -> str:
        return f"{self.pairing} v{self.version}"


class AgreementClause(models.Model):
    """A clause of one agreement version: copied from the template (mandatory) or added by the parties."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), related_name="clauses", on_delete=models.CASCADE
    )
    template_clause = models.ForeignKey(
        TemplateClause,
        verbose_name=_("template clause"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Empty for a clause the parties added."),
    )
    section = models.CharField(_("section"), max_length=100, blank=True)
    text_zh = limited_text_field(_("text (Chinese)"), max_length=TEXT_LONG)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agreement clause")
        verbose_name_plural = _("agreement clauses")
        ordering = ["agreement", "sort", "id"]

    def __str__(self) -> str:
        return self.text_zh[:40]

    @property
    def mandatory(self) -> bool:
        return self.template_clause_id is not None
