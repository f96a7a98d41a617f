"""An application of one person to one round (and category) of a programme, through their unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.applications.enums import ApplicationState
from medtalent.catalog.enums import DurationUnit
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, limited_text_field
from medtalent.core.models import TimeStampedModel


class Application(TimeStampedModel):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("applicant"), related_name="applications", on_delete=models.PROTECT
    )
    round = models.ForeignKey(
        "catalog.Round", verbose_name=_("round"), related_name="applications", on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="applications",
        on_delete=models.PROTECT,
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("sending unit"),
        related_name="unit_applications",
        on_delete=models.PROTECT,
        help_text=_("The applicant's employer when the application was made."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT, db_index=True
    )
    requested_duration = models.PositiveSmallIntegerField(_("requested duration"), null=True, blank=True)
    requested_duration_unit = models.CharField(
        _("requested duration unit"), max_length=8, choices=DurationUnit.choices, default=DurationUnit.MONTH
    )
    requested_department = models.CharField(_("requested department or specialty"), max_length=100, blank=True)
    # 拟申请研修单位 of the official form, typed when the round offers no choice of hosts (with choices, the
    # preferences say it).
    intended_host = models.CharField(
        # Translators: 中文：拟申请研修单位
        _("intended host institution"),
        max_length=100,
        blank=True,
    )
    reason = limited_text_field(_("reason for applying"), blank=True, max_length=TEXT_LONG)
    plan_purpose = limited_text_field(_("study plan: purpose"), blank=True, max_length=TEXT_LONG)
    plan_content = limited_text_field(_("study plan: content"), blank=True, max_length=TEXT_LONG)
    plan_goals = limited_text_field(_("study plan: goals"), blank=True, max_length=TEXT_LONG)
    unit_opinion = limited_text_field(_("unit opinion"), blank=True, max_length=TEXT_MEDIUM)
    eligibility_snapshot = models.JSONField(_("eligibility when submitted"), default=dict, blank=True)
    exception_note = limited_text_field(
        _("justified exception"),
        max_length=TEXT_MEDIUM,
        blank=True,
        help_text=_("Why an applicant who fails a rule is accepted (e.g. equivalent academic or technical level)."),
    )
    exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exception recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    exception_at = models.DateTimeField(_("exception recorded at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["round", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "round", "category"],
                condition=~Q(state="withdrawn"),
                name="one_live_application_per_round_and_category",
            )
        ]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.unit.audit_region_code() if self.unit_id else ""

    def __str__(self) -> str:
        return f"{self.person} · {self.round}"


class RuleConfirmation(models.Model):
    """The unit confirmed a rule the facts cannot decide ("the unit checks it": health, conduct, language
    ability without a score) for this application: until then the rule shows as pending."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), related_name="rule_confirmations", on_delete=models.CASCADE
    )
    rule = models.CharField(
        # Translators: 中文：规则
        _("rule"),
        max_length=120,
        # Translators: 中文：该规则在资格审核结果中的编号。
        help_text=_("The rule's id in the eligibility result."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        # Translators: 中文：确认人
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # Translators: 中文：确认时间
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        # Translators: 中文：单位已确认的条件
        verbose_name = _("rule confirmed by the unit")
        # Translators: 中文：单位已确认的条件
        verbose_name_plural = _("rules confirmed by the unit")
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "rule"], name="one_confirmation_per_rule")]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.rule}"


class Preference(models.Model):
    """An offering the applicant would like, in order (1 = first choice)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), related_name="preferences", on_delete=models.CASCADE
    )
    offering = models.ForeignKey(
        "catalog.Offering", verbose_name=_("offering"), related_name="+", on_delete=models.PROTECT
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="unique_preference_rank"),
            models.UniqueConstraint(fields=["application", "offering"], name="unique_preference_offering"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.offering}"


class ImportJob(models.Model):
    """A unit's Excel file of applicants: validated as a whole, then written at once, with progress."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        FAILED = "failed", _("Rejected: nothing was imported")
        DONE = "done", _("Imported")

    unit = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("sending unit"), related_name="import_jobs", on_delete=models.PROTECT
    )
    round = models.ForeignKey(
        "catalog.Round", verbose_name=_("round"), related_name="import_jobs", on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), related_name="+", on_delete=models.PROTECT
    )
    file = models.FileField(_("file"), upload_to="imports/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("applications created"), default=0)
    errors = models.JSONField(
        _("problems"), default=list, blank=True, help_text=_('[{"row": 7, "column": "身份证号", "message": …}]')
    )
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.unit.audit_region_code() if self.unit_id else ""
