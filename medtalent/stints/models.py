"""A stint: one person at one host for one period (glossary: 进修 / 研修 / 派驻).

One table for every kind — an outbound or domestic training stint, a doctor dispatched by a supporting
hospital to a county hospital (派驻), a county doctor sent up to the supporting hospital (请上来), a foreign
trainee received by an alliance member — so that reporting, check-ins and outcomes (later work) apply to
all of them alike. What links a stint to its reason is optional and kind-specific: the programme, the
pairing (dispatch, upward) or the alliance committee (inbound).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_MEDIUM, limited_text_field
from medtalent.core.models import TimeStampedModel
from medtalent.stints.enums import StintKind, StintRole, StintState


class Stint(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=StintKind.choices, db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=StintState.choices, default=StintState.PLANNED)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), related_name="stints", on_delete=models.PROTECT
    )
    home = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("sending institution"),
        related_name="stints_sent",
        on_delete=models.PROTECT,
    )
    home_department = models.CharField(_("department at home"), max_length=100, blank=True)
    host = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("host"), related_name="stints_hosted", on_delete=models.PROTECT
    )
    host_department = models.CharField(_("department at the host"), max_length=100, blank=True)
    role = models.CharField(_("role at the host"), max_length=30, choices=StintRole.choices, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    title = models.ForeignKey(
        "codes.Code",
        verbose_name=_("professional title when sent"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "title"},
        help_text=_("The title checked when the stint was recorded."),
    )
    programme = models.ForeignKey(
        "catalog.Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        related_name="stints",
        on_delete=models.PROTECT,
    )
    pairing = models.ForeignKey(
        "partnerships.Pairing",
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        related_name="stints",
        on_delete=models.PROTECT,
    )
    committee = models.ForeignKey(
        "alliance.Committee",
        verbose_name=_("alliance committee"),
        null=True,
        blank=True,
        related_name="stints",
        on_delete=models.PROTECT,
    )
    mentor = models.CharField(_("mentor"), max_length=100, blank=True)
    schedule = limited_text_field(
        _("schedule at the host"),
        max_length=TEXT_MEDIUM,
        blank=True,
        help_text=_("How the host schedules the person like its own staff: clinic sessions, ward rounds, on call."),
    )
    note = limited_text_field(_("note"), blank=True, max_length=TEXT_MEDIUM)

    class Meta:
        verbose_name = _("stint")
        verbose_name_plural = _("stints")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="stint_period_ordered"),
            models.CheckConstraint(condition=~Q(home=F("host")), name="stint_home_is_not_host"),
        ]
        indexes = [
            models.Index(fields=["host", "starts_on"]),
            models.Index(fields=["home", "starts_on"]),
            models.Index(fields=["pairing", "starts_on"]),
            models.Index(fields=["person", "starts_on"]),
        ]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.home.audit_region_code() if self.home_id else ""

    def __str__(self) -> str:
        return f"{self.person} · {self.host} ({self.starts_on} – {self.ends_on})"
