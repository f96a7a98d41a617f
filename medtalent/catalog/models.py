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
    QuotaUnused,
    RuleKind,
    Track,
)
from medtalent.catalog.formatting import format_cost, format_deadline, format_duration, format_every, format_quota
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE, limited_text_field
from medtalent.core.models import BilingualNameMixin, TimeStampedModel, pick_language
from medtalent.workdays.enums import DeadlineUnit


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
    equivalent_level_allowed = models.BooleanField(
        # Translators: 中文：允许“同等学术、技术水平”例外
        _("equivalent level exceptions allowed"),
        default=False,
        help_text=_(
            "On when the policy accepts an equivalent academic or technical level: the unit may then record a "
            "justified exception for an applicant who fails a rule."
        ),
    )
    # Which units may send applicants: any unit when all three are empty; else a unit in one of the regions,
    # carrying one of the tags, or listed.
    sending_regions = models.ManyToManyField(
        "codes.Code",
        # Translators: 中文：可派出地区
        verbose_name=_("sending regions"),
        related_name="+",
        blank=True,
        limit_choices_to={"table__slug": "region"},
        # Translators: 中文：这些地区（及其下级地区）的单位可以推荐申报人。
        help_text=_("Units in these regions (or regions under them) may send applicants."),
    )
    sending_tags = models.ManyToManyField(
        "orgs.Tag",
        # Translators: 中文：可派出单位属性
        verbose_name=_("sending unit tags"),
        related_name="+",
        blank=True,
        # Translators: 中文：具有其中任一属性的单位可以推荐申报人。
        help_text=_("Units with one of these tags may send applicants."),
    )
    sending_units = models.ManyToManyField(
        "orgs.Organisation",
        # Translators: 中文：可派出单位
        verbose_name=_("sending units"),
        related_name="+",
        blank=True,
        # Translators: 中文：这些单位可以推荐申报人。三项均为空时，任何单位均可推荐。
        help_text=_("These units may send applicants. All three empty: any unit may."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["sort", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True) | Q(cost_max__isnull=True) | Q(cost_min__lte=models.F("cost_max")),
                name="programme_cost_range_ordered",
                # Translators: 中文：最低费用高于最高费用。
                violation_error_message=_("The lowest cost is higher than the highest."),
            ),
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True)
                | Q(duration_max__isnull=True)
                | Q(duration_min__lte=models.F("duration_max")),
                name="programme_duration_range_ordered",
                # Translators: 中文：最短期限长于最长期限。
                violation_error_message=_("The shortest duration is longer than the longest."),
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
    # The summary report's deadline, counted from the end of the stint (workdays.deadlines.due_date).
    report_due_value = models.PositiveSmallIntegerField(_("summary report due within"), null=True, blank=True)
    report_due_unit = models.CharField(
        _("report deadline unit"), max_length=12, choices=DeadlineUnit.choices, default=DeadlineUnit.MONTHS
    )
    report_due_roll = models.BooleanField(
        # Translators: 中文：截止日为休息日时顺延至下一个工作日
        _("a deadline on a day off moves to the next working day"),
        default=False,
        help_text=_("Civil Code art. 203; off unless the policy says so."),
    )
    # Progress reports during the stint: one every `progress_every_value` units (e.g. every 2 weeks).
    # Translators: 中文：进展报告间隔
    progress_every_value = models.PositiveSmallIntegerField(_("progress report every"), null=True, blank=True)
    progress_every_unit = models.CharField(
        # Translators: 中文：进展报告间隔单位
        _("progress report interval unit"),
        max_length=12,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WEEKS,
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
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True)
                | Q(duration_max__isnull=True)
                | Q(duration_min__lte=models.F("duration_max")),
                name="category_duration_range_ordered",
                # Translators: 中文：最短期限长于最长期限。
                violation_error_message=_("The shortest duration is longer than the longest."),
            )
        ]

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
        return format_deadline(self.report_due_value, self.report_due_unit)

    @property
    def progress_every_display(self) -> str:
        if self.progress_every_value is None:
            return ""
        return format_every(self.progress_every_value, self.progress_every_unit)


class EligibilityRule(models.Model):
    """One condition of a programme or a category. Blocking rules decide; the others are priority profiles."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, related_name="rules", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, related_name="rules", on_delete=models.CASCADE
    )
    parent = models.ForeignKey(
        "self",
        # Translators: 中文：所属条件组
        verbose_name=_("in group"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
        # Translators: 中文：同一项目或类别中的条件组（全部满足、满足其一、均不满足）；为空表示顶层条件。
        help_text=_("A group rule (all of, any of, none of) of the same programme or category; empty: top level."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    # Filled by the rule form's typed fields (catalog.rule_params), never typed as JSON.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
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
    # The rule set the round opened with (eligibility.selectors): taken at the first submission, then every
    # application of the round is judged on it, whatever the rules become.
    # Translators: 中文：本批次开始时的条件
    rule_snapshot = models.JSONField(_("rules the round opened with"), null=True, blank=True, editable=False)
    # Translators: 中文：条件锁定时间
    rules_frozen_at = models.DateTimeField(_("rules frozen at"), null=True, blank=True, editable=False)

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
                # Translators: 中文：报名截止日期早于报名开始日期。
                violation_error_message=_("Applications close before they open."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="round_dates_ordered",
                # Translators: 中文：研修结束日期早于开始日期。
                violation_error_message=_("Training ends before it starts."),
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
    """How many people a round (or the programme, across rounds) takes, at any level a policy uses.

    A quota counts the applications it matches: of its round, and, when set, of a category, a track, an
    offering or host, a sending unit or region, or units with a tag. A quota with a parent is nested: its
    places are reserved inside the parent's (e.g. 5 of 30 for hospitals of mountain-area counties); places it
    leaves unused return to the parent or lapse (`unused`). `catalog.quotas` checks a selection against them.
    """

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
    parent = models.ForeignKey(
        "self",
        # Translators: 中文：预留自
        verbose_name=_("reserved within"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
        # Translators: 中文：同一项目中的上级名额，本名额从中预留。
        help_text=_("A quota of the same programme whose places these are reserved from."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, related_name="quotas", on_delete=models.CASCADE
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default=Track.ANY)
    offering = models.ForeignKey(
        "Offering", verbose_name=_("offering"), null=True, blank=True, related_name="quotas", on_delete=models.CASCADE
    )
    host = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("host"),
        null=True,
        blank=True,
        related_name="host_quotas",
        on_delete=models.PROTECT,
    )
    sending_unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("sending unit"),
        null=True,
        blank=True,
        related_name="sending_quotas",
        on_delete=models.PROTECT,
    )
    sending_region = models.ForeignKey(
        "codes.Code",
        # Translators: 中文：派出地区
        verbose_name=_("sending region"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "region"},
    )
    tag = models.ForeignKey(
        "orgs.Tag",
        # Translators: 中文：派出单位属性
        verbose_name=_("sending unit tag"),
        null=True,
        blank=True,
        related_name="quotas",
        on_delete=models.PROTECT,
    )
    minimum = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(_("maximum"))
    unused = models.CharField(
        # Translators: 中文：未用预留名额
        _("unused reserved places"),
        max_length=8,
        choices=QuotaUnused.choices,
        default=QuotaUnused.RETURN,
    )
    approximate = models.BooleanField(_("approximate"), default=True)
    note_zh = models.CharField(_("note (Chinese)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["programme", "round", "sort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(minimum__lte=models.F("maximum")),
                name="quota_range_ordered",
                # Translators: 中文：最少人数大于最多人数。
                violation_error_message=_("The minimum is larger than the maximum."),
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
