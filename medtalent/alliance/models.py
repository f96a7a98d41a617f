"""The international alliance: members and partners, professional committees and events."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, limited_text_field
from medtalent.core.models import BilingualNameMixin, pick_language


class Membership(models.Model):
    """An institution's place in an alliance: a member, or a partner abroad working with it."""

    alliance = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("alliance"), related_name="alliance_memberships", on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("institution"), related_name="memberships", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MembershipKind.choices, default=MembershipKind.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    note_zh = limited_text_field(_("note (Chinese)"), blank=True, max_length=TEXT_MEDIUM)
    note_en = limited_text_field(_("note (English)"), blank=True, max_length=TEXT_MEDIUM)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["alliance", "kind", "organisation__code"]
        constraints = [models.UniqueConstraint(fields=["alliance", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()}"


class Committee(BilingualNameMixin):
    """A professional committee of the alliance, e.g. minimally invasive surgery."""

    alliance = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("alliance"), related_name="alliance_committees", on_delete=models.PROTECT
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    chair = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("chair institution"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    members = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("member hospitals"), related_name="committees", blank=True
    )
    description_zh = limited_text_field(_("description (Chinese)"), blank=True, max_length=TEXT_LONG)
    description_en = limited_text_field(_("description (English)"), blank=True, max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["alliance", "code"]

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)


class Event(BilingualNameMixin):
    """A conference, policy dialogue, delegation out or in, expert visit or online course."""

    alliance = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("alliance"), related_name="alliance_events", on_delete=models.PROTECT
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    date_note_zh = models.CharField(_("date as published (Chinese)"), max_length=100, blank=True)
    date_note_en = models.CharField(_("date as published (English)"), max_length=100, blank=True)
    place_zh = models.CharField(_("place (Chinese)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    countries = models.ManyToManyField(
        "codes.Code",
        verbose_name=_("countries"),
        related_name="+",
        blank=True,
        limit_choices_to={"table__slug": "country"},
    )
    organisers = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("organisers"), related_name="organised_events", blank=True
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), null=True, blank=True, related_name="events", on_delete=models.SET_NULL
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    description_zh = limited_text_field(_("description (Chinese)"), blank=True, max_length=TEXT_LONG)
    description_en = limited_text_field(_("description (English)"), blank=True, max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=F("ends_on")),
                name="event_dates_ordered",
            )
        ]

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def place(self) -> str:
        return pick_language(self.place_zh, self.place_en)

    @property
    def date_note(self) -> str:
        return pick_language(self.date_note_zh, self.date_note_en)
