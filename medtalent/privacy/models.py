"""PIPL rights: the retention rules (data, edited by superusers), a person's deletion requests and the record
that a person was anonymised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_NOTE, limited_text_field
from medtalent.core.models import BilingualNameMixin, TimeStampedModel
from medtalent.privacy.enums import OPEN_REQUEST_STATES, DeletionRequestState, RetentionScope


class RetentionRule(BilingualNameMixin, models.Model):
    """How long one kind of record is kept after it ends, before `anonymise_expired` anonymises it."""

    scope = models.CharField(_("applies to"), max_length=20, choices=RetentionScope.choices, unique=True)
    years = models.PositiveSmallIntegerField(
        _("years kept"),
        help_text=_("Counted from the end of the record: the stint's end, the unit's decision, the last activity."),
    )
    description_zh = limited_text_field(_("description (Chinese)"), blank=True, max_length=TEXT_NOTE)
    description_en = limited_text_field(_("description (English)"), blank=True, max_length=TEXT_NOTE)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["scope"]

    def __str__(self) -> str:
        return f"{self.name} ({self.years})"


class DeletionRequest(TimeStampedModel):
    """A person's request to delete their data, answered by the retention rules (`privacy.workflow`)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), related_name="deletion_requests", on_delete=models.CASCADE
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DeletionRequestState.choices, default=DeletionRequestState.REQUESTED
    )
    reason = limited_text_field(_("reason (optional)"), blank=True, max_length=TEXT_NOTE)
    kept_until = models.DateField(_("kept until"), null=True, blank=True)
    # The records the rules keep or that block the request: [{"scope", "record", "label", "ended", "until"}].
    holds = models.JSONField(_("records kept"), default=list, blank=True)
    refusal = limited_text_field(_("reason for refusal"), blank=True, max_length=TEXT_NOTE)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(state__in=OPEN_REQUEST_STATES), name="one_open_deletion_request"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.get_state_display()}"


class Anonymisation(models.Model):
    """That a person was anonymised, when and under which rule (or their request): makes the command idempotent."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), related_name="anonymisation", on_delete=models.CASCADE
    )
    at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    scope = models.CharField(_("because of"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"{self.person_id} · {self.at:%Y-%m-%d}"
