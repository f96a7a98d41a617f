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

from medtalent.core.models import TimeStampedModel, pick_language
from medtalent.partnerships.enums import PairingRuleKind, PairingSource


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
    text_zh = models.TextField(_("as published (Chinese)"), blank=True)
    text_en = models.TextField(_("as published (English)"), blank=True)
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
