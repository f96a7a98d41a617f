"""Programme → round → offering, with categories, quotas, accepted specialties and eligibility rules.

Every policy number (duration, quota, cost, age limit, report deadline) is a field here, edited by a
commission administrator; none lives in code.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.catalog.enums import (
    TRAINEE_PROGRAMME_TYPES,
    DurationUnit,
    ProgrammeStatus,
    ProgrammeType,
    RuleKind,
    Track,
)
from medtalent.catalog.formatting import format_cost, format_duration, format_quota
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE, limited_text_field
from medtalent.core.models import BilingualNameMixin, TimeStampedModel, pick_language


class DurationMixin(models.Model):
    duration_min = models.PositiveSmallIntegerField(_("shortest duration"), null=True, blank=True)
    duration_max = models.PositiveSmallIntegerField(_("longest duration"), null=True, blank=True)
    duration_unit = models.CharField(
        _("duration unit"), max_length=8, choices=DurationUnit.choices, default=DurationUnit.MONTH
    )

    class Meta:
        abstract = True

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration_min, self.duration_max, self.duration_unit)


class Programme(BilingualNameMixin, DurationMixin, TimeStampedModel):
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stable readable key, e.g. zj-uk-clinical.")
    )
    owner = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("owner"), related_name="owned_programmes", on_delete=models.PROTECT
    )
    programme_type = models.CharField(_("programme type"), max_length=30, choices=ProgrammeType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, db_index=True
    )
    countries = models.ManyToManyField(
        "codes.Code",
        verbose_name=_("countries"),
        related_name="programmes",
        blank=True,
        limit_choices_to={"table__slug": "country"},
    )
    partners = models.ManyToManyField(
        "orgs.Organisation",
        verbose_name=_("partners and co-organisers"),
        related_name="partner_programmes",
        blank=True,
    )
    summary_zh = limited_text_field(_("overview (Chinese)"), blank=True, max_length=TEXT_LONG)
    summary_en = limited_text_field(_("overview (English)"), blank=True, max_length=TEXT_LONG)
    training_mode_zh = limited_text_field(_("training mode (Chinese)"), blank=True, max_length=TEXT_LONG)
    training_mode_en = limited_text_field(_("training mode (English)"), blank=True, max_length=TEXT_LONG)
    cost_min = models.DecimalField(
        _("lowest cost per person (yuan)"), max_digits=10, decimal_places=0, null=True, blank=True
    )
    cost_max = models.DecimalField(
        _("highest cost per person (yuan)"), max_digits=10, decimal_places=0, null=True, blank=True
    )
    cost_covers_zh = limited_text_field(_("what the cost covers (Chinese)"), blank=True, max_length=TEXT_NOTE)
    cost_covers_en = limited_text_field(_("what the cost covers (English)"), blank=True, max_length=TEXT_NOTE)
    notes_zh = limited_text_field(_("notes (Chinese)"), blank=True, max_length=TEXT_LONG)
    notes_en = limited_text_field(_("notes (English)"), blank=True, max_length=TEXT_LONG)
    since_year = models.PositiveSmallIntegerField(_("running since"), null=True, blank=True)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["sort", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True) | Q(cost_max__isnull=True) | Q(cost_min__lte=models.F("cost_max")),
                name="programme_cost_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True)
                | Q(duration_max__isnull=True)
                | Q(duration_min__lte=models.F("duration_max")),
                name="programme_duration_range_ordered",
            ),
        ]

    @property
    def summary(self) -> str:
        return pick_language(self.summary_zh, self.summary_en)

    @property
    def training_mode(self) -> str:
        return pick_language(self.training_mode_zh, self.training_mode_en)

    @property
    def cost_covers(self) -> str:
        return pick_language(self.cost_covers_zh, self.cost_covers_en)

    @property
    def notes(self) -> str:
        return pick_language(self.notes_zh, self.notes_en)

    @property
    def cost_display(self) -> str:
        return format_cost(self.cost_min, self.cost_max)

    @property
    def places_trainees(self) -> bool:
        """A fellowship or training programme (quota and cost per person expected), not a partnership."""
        return self.programme_type in TRAINEE_PROGRAMME_TYPES

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.owner.audit_region_code() if self.owner_id else ""


class ProgrammeSpecialty(models.Model):
    """A specialty a programme accepts, with the document's own wording and its inclusions/exclusions."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="accepted_specialties", on_delete=models.CASCADE
    )
    specialty = models.ForeignKey(
        "codes.Specialty", verbose_name=_("specialty"), related_name="programme_links", on_delete=models.PROTECT
    )
    label_zh = models.CharField(_("label as published (Chinese)"), max_length=120, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    scope_note_zh = models.CharField(_("inclusions and exclusions (Chinese)"), max_length=200, blank=True)
    scope_note_en = models.CharField(_("inclusions and exclusions (English)"), max_length=200, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("accepted specialty")
        verbose_name_plural = _("accepted specialties")
        ordering = ["programme", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "specialty", "label_zh"], name="unique_programme_specialty")
        ]

    def __str__(self) -> str:
        return self.label or str(self.specialty)

    @property
    def label(self) -> str:
        return pick_language(self.label_zh, self.label_en) or self.specialty.name

    @property
    def scope_note(self) -> str:
        return pick_language(self.scope_note_zh, self.scope_note_en)


class Category(BilingualNameMixin, DurationMixin):
    """A talent category inside a programme (领军人才 …) with its own target group, content and rules."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="categories", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    target_zh = limited_text_field(_("who it is for (Chinese)"), blank=True, max_length=TEXT_MEDIUM)
    target_en = limited_text_field(_("who it is for (English)"), blank=True, max_length=TEXT_MEDIUM)
    content_zh = limited_text_field(_("content (Chinese)"), blank=True, max_length=TEXT_MEDIUM)
    content_en = limited_text_field(_("content (English)"), blank=True, max_length=TEXT_MEDIUM)
    requirements_zh = limited_text_field(_("requirements (Chinese)"), blank=True, max_length=TEXT_MEDIUM)
    requirements_en = limited_text_field(_("requirements (English)"), blank=True, max_length=TEXT_MEDIUM)
    report_due_value = models.PositiveSmallIntegerField(_("summary report due within"), null=True, blank=True)
    report_due_unit = models.CharField(
        _("report deadline unit"), max_length=8, choices=DurationUnit.choices, default=DurationUnit.MONTH
    )
    evaluation_focus_zh = limited_text_field(
        _("what the evaluation looks at (Chinese)"), blank=True, max_length=TEXT_MEDIUM
    )
    evaluation_focus_en = limited_text_field(
        _("what the evaluation looks at (English)"), blank=True, max_length=TEXT_MEDIUM
    )
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["programme", "sort", "code"]

    @property
    def target(self) -> str:
        return pick_language(self.target_zh, self.target_en)

    @property
    def content(self) -> str:
        return pick_language(self.content_zh, self.content_en)

    @property
    def requirements(self) -> str:
        return pick_language(self.requirements_zh, self.requirements_en)

    @property
    def evaluation_focus(self) -> str:
        return pick_language(self.evaluation_focus_zh, self.evaluation_focus_en)

    @property
    def report_due_display(self) -> str:
        if self.report_due_value is None:
            return ""
        return format_duration(self.report_due_value, self.report_due_value, self.report_due_unit)


class EligibilityRule(models.Model):
    """One condition of a programme or a category. Blocking rules decide; the others are priority profiles."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, related_name="rules", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, related_name="rules", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True, help_text=_('e.g. {"years": 55}'))
    is_blocking = models.BooleanField(
        _("blocking"), default=True, help_text=_("Off for a priority profile: shown to reviewers, never blocks.")
    )
    text_zh = limited_text_field(_("as published (Chinese)"), blank=True, max_length=TEXT_NOTE)
    text_en = limited_text_field(_("as published (English)"), blank=True, max_length=TEXT_NOTE)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["sort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=False, category__isnull=True)
                | Q(programme__isnull=True, category__isnull=False),
                name="rule_belongs_to_programme_or_category",
            )
        ]

    def __str__(self) -> str:
        return self.text or self.get_kind_display()

    @property
    def text(self) -> str:
        return pick_language(self.text_zh, self.text_en)


class Round(BilingualNameMixin):
    """One intake of a programme: a year or batch, its application window and planned dates."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="rounds", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    batch = models.PositiveSmallIntegerField(_("batch"), null=True, blank=True)
    application_opens = models.DateField(_("applications open"), null=True, blank=True)
    application_closes = models.DateField(_("applications close"), null=True, blank=True)
    reference_date = models.DateField(
        _("eligibility reference date"),
        null=True,
        blank=True,
        help_text=_("Ages and other conditions are checked on this day; empty: the day applications close."),
    )
    starts_on = models.DateField(_("training starts"), null=True, blank=True)
    ends_on = models.DateField(_("training ends"), null=True, blank=True)
    period_note_zh = models.CharField(_("period as published (Chinese)"), max_length=200, blank=True)
    period_note_en = models.CharField(_("period as published (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["programme", "year", "batch", "id"]
        indexes = [models.Index(fields=["programme", "application_opens", "application_closes"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(application_opens__isnull=True)
                | Q(application_closes__isnull=True)
                | Q(application_opens__lte=models.F("application_closes")),
                name="round_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="round_dates_ordered",
            ),
        ]

    @property
    def period_note(self) -> str:
        return pick_language(self.period_note_zh, self.period_note_en)

    @property
    def states_capacities(self) -> bool:
        """Whether the document gives a capacity for any of this round's offerings (uses the prefetch)."""
        return any(o.capacity is not None for o in self.offerings.all())

    @property
    def states_requirements(self) -> bool:
        """Whether any of this round's offerings has extra requirements (uses the prefetch)."""
        return any(o.requirements_zh or o.requirements_en for o in self.offerings.all())

    @property
    def eligibility_date(self) -> dt.date | None:
        """The day eligibility is judged on: the reference date, else the closing day, else the start."""
        return self.reference_date or self.application_closes or self.starts_on

    def is_open_on(self, day: dt.date) -> bool:
        return bool(
            self.application_opens
            and self.application_closes
            and self.application_opens <= day <= self.application_closes
        )

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.programme.audit_region_code()


class Quota(models.Model):
    """How many people of a track a programme (or one round) takes: "医生约 40 人，具体视考试结果而定"."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), related_name="quotas", on_delete=models.CASCADE
    )
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        null=True,
        blank=True,
        related_name="quotas",
        on_delete=models.CASCADE,
        help_text=_("Empty: the programme's quota as published, across its rounds (e.g. 100 people over 5 years)."),
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.ANY)
    minimum = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(_("maximum"))
    approximate = models.BooleanField(_("approximate"), default=True)
    note_zh = models.CharField(_("note (Chinese)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["programme", "round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(minimum__lte=models.F("maximum")), name="quota_range_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def note(self) -> str:
        return pick_language(self.note_zh, self.note_en)

    @property
    def display(self) -> str:
        return format_quota(self)


class Offering(models.Model):
    """What a round offers: a host (and department or specialty), a track and a capacity."""

    round = models.ForeignKey(Round, verbose_name=_("round"), related_name="offerings", on_delete=models.CASCADE)
    host = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("host"),
        null=True,
        blank=True,
        related_name="offerings",
        on_delete=models.PROTECT,
        help_text=_("Empty when the host is assigned later by the organiser."),
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        related_name="offerings",
        on_delete=models.PROTECT,
    )
    specialty = models.ForeignKey(
        "codes.Specialty",
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        related_name="offerings",
        on_delete=models.PROTECT,
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.DOCTOR)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)
    requirements_zh = limited_text_field(_("extra requirements (Chinese)"), blank=True, max_length=TEXT_NOTE)
    requirements_en = limited_text_field(_("extra requirements (English)"), blank=True, max_length=TEXT_NOTE)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["round", "sort", "id"]

    def __str__(self) -> str:
        parts = [str(p) for p in (self.host, self.department or self.specialty) if p]
        return " · ".join(parts + [str(self.get_track_display())])

    @property
    def requirements(self) -> str:
        return pick_language(self.requirements_zh, self.requirements_en)
