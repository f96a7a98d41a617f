"""Yearly indicators of a hospital (the in-county visit rate, the referral-out rate), in per cent.

A value belongs to the hospital and the year, not to a pairing: it is a fact about the county hospital,
whoever supports it. The target to compare with (≈90 % in-county visits) is the pairing programme's
`indicator_target` rule, data an administrator changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.models import TimeStampedModel
from medtalent.indicators.enums import IndicatorKind


class IndicatorValue(TimeStampedModel):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("hospital"), related_name="indicator_values", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("indicator"), max_length=30, choices=IndicatorKind.choices)
    value = models.DecimalField(_("value (%)"), max_digits=5, decimal_places=2)
    note = models.CharField(_("source or note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["organisation", "kind", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "kind"], name="unique_indicator_value"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="indicator_value_percent"),
        ]
        indexes = [
            # Covers the trend's GROUP BY kind, year (mean, min, max of value per organisation set): the whole
            # programme is one ordered scan of this index, with no table access and no sort.
            models.Index(fields=["kind", "year", "value", "organisation"], name="indicator_trend_scan"),
        ]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.organisation.audit_region_code()

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year} · {self.get_kind_display()}: {self.value}"
