"""The working-day calendar as data: the State Council's public holidays and make-up working days (调休) for each
year, and local days off. A day without an entry is a working day from Monday to Friday and a day off at the
weekend. Deadlines are counted on it by `workdays.deadlines.due_date`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtalent.workdays.enums import DayKind, DaySource


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name_zh = models.CharField(
        # Translators: 中文：名称（中文）
        _("name (Chinese)"),
        max_length=50,
        blank=True,
        # Translators: 中文：如 春节
        help_text=_("e.g. 春节"),
    )
    name_en = models.CharField(
        # Translators: 中文：名称（英文）
        _("name (English)"),
        max_length=50,
        blank=True,
        # Translators: 中文：如 Spring Festival
        help_text=_("e.g. Spring Festival"),
    )
    source = models.CharField(_("source"), max_length=16, choices=DaySource.choices, default=DaySource.STATE_COUNCIL)

    class Meta:
        # Translators: 中文：日历日
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"
