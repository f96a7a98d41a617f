"""Money, service and grading as data, per programme (and category, and year): who pays which share of a
training's cost with caps, the service period after return and what is refunded when it is broken, and the
grading scale of the final evaluation. `policy.funding` computes a split, `policy.clawback` a refund; the
training workflows (ledger, grading, certificates, clawback cases) build on these definitions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.models import BilingualNameMixin, pick_language
from medtalent.policy.enums import CapPer, ClawbackMethod, ClawbackTrigger, Payer, Rounding


class CostShareRule(models.Model):
    """How a programme's training cost is shared, for one category (or all) and one year (or every year)."""

    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="cost_share_rules", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="cost_share_rules",
        on_delete=models.CASCADE,
        # Translators: 中文：为空：适用于没有单独规则的所有类别。
        help_text=_("Empty: every category without a rule of its own."),
    )
    year = models.PositiveSmallIntegerField(
        # Translators: 中文：年度
        _("year"),
        null=True,
        blank=True,
        # Translators: 中文：为空：适用于没有单独规则的所有年度。
        help_text=_("Empty: every year without a rule of its own."),
    )
    # Translators: 中文：取整方式
    rounding = models.CharField(_("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.CENT)
    note_zh = models.CharField(_("note (Chinese)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        # Translators: 中文：经费分担规则
        verbose_name = _("cost-share rule")
        # Translators: 中文：经费分担规则
        verbose_name_plural = _("cost-share rules")
        ordering = ["programme", "category", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category", "year"],
                name="one_cost_share_rule_per_scope",
                # Translators: 中文：该项目已有适用于该类别和年度的经费分担规则。
                violation_error_message=_("This programme already has a cost-share rule for that category and year."),
            )
        ]

    def __str__(self) -> str:
        parts = [str(self.category or self.programme)]
        if self.year:
            parts.append(str(self.year))
        return " · ".join(parts)

    @property
    def note(self) -> str:
        return pick_language(self.note_zh, self.note_en)

    def audit_region_code(self) -> str:
        return self.programme.audit_region_code()


class CostShare(models.Model):
    """One payer's share: a ratio of the total, optionally capped (the excess goes to `excess_payer`)."""

    # Translators: 中文：规则
    rule = models.ForeignKey(CostShareRule, verbose_name=_("rule"), related_name="shares", on_delete=models.CASCADE)
    # Translators: 中文：承担方
    payer = models.CharField(_("payer"), max_length=16, choices=Payer.choices)
    ratio = models.DecimalField(
        # Translators: 中文：比例（%）
        _("ratio (%)"),
        max_digits=5,
        decimal_places=2,
        # Translators: 中文：如 50 表示 50%
        help_text=_("e.g. 50 for 50 %"),
    )
    # Translators: 中文：上限（元）
    cap = models.DecimalField(_("cap (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Translators: 中文：上限计算方式
    cap_per = models.CharField(_("cap applies"), max_length=8, choices=CapPer.choices, default=CapPer.PERSON)
    # Translators: 中文：超出上限部分承担方
    excess_payer = models.CharField(_("who pays above the cap"), max_length=16, choices=Payer.choices, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        # Translators: 中文：经费分担
        verbose_name = _("cost share")
        # Translators: 中文：经费分担
        verbose_name_plural = _("cost shares")
        ordering = ["rule", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "payer"],
                name="one_share_per_payer",
                # Translators: 中文：同一承担方在本规则中出现了两次。
                violation_error_message=_("A payer appears twice in this rule."),
            ),
            models.CheckConstraint(
                condition=Q(ratio__gte=0) & Q(ratio__lte=100),
                name="share_ratio_0_to_100",
                # Translators: 中文：比例须在 0 到 100% 之间。
                violation_error_message=_("A ratio is between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_payer_display()} {self.ratio}%"


class ServiceTerms(models.Model):
    """The service period a trained person owes the unit after return, per programme (or category)."""

    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="service_terms", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="service_terms",
        on_delete=models.CASCADE,
    )
    # Translators: 中文：回国后服务期（年）
    service_years = models.DecimalField(_("service period after return (years)"), max_digits=4, decimal_places=1)

    class Meta:
        # Translators: 中文：服务期
        verbose_name = _("service period")
        # Translators: 中文：服务期
        verbose_name_plural = _("service periods")
        ordering = ["programme", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category"],
                name="one_service_terms_per_scope",
                # Translators: 中文：该项目已有适用于该类别的服务期。
                violation_error_message=_("This programme already has a service period for that category."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or self.programme} · {self.service_years}"

    def audit_region_code(self) -> str:
        return self.programme.audit_region_code()


class ClawbackRule(models.Model):
    """When `trigger` happens, the share of `payer` is refunded by `method` (percentage: `percentage` of it)."""

    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="clawback_rules", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="clawback_rules",
        on_delete=models.CASCADE,
    )
    # Translators: 中文：触发情形
    trigger = models.CharField(_("trigger"), max_length=24, choices=ClawbackTrigger.choices)
    # Translators: 中文：退还的分担部分
    payer = models.CharField(_("share refunded"), max_length=16, choices=Payer.choices)
    # Translators: 中文：退还方式
    method = models.CharField(_("how"), max_length=12, choices=ClawbackMethod.choices, default=ClawbackMethod.FULL)
    # Translators: 中文：比例
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        # Translators: 中文：追回规则
        verbose_name = _("clawback rule")
        # Translators: 中文：追回规则
        verbose_name_plural = _("clawback rules")
        ordering = ["programme", "category", "trigger", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category", "trigger", "payer"],
                name="one_clawback_per_trigger_and_payer",
                # Translators: 中文：该触发情形已设置退还该承担方的部分。
                violation_error_message=_("This trigger already refunds that payer's share."),
            ),
            models.CheckConstraint(
                condition=~Q(method="percentage") | Q(percentage__gte=0, percentage__lte=100),
                name="clawback_percentage_given",
                violation_error_message=_("A fixed-percentage refund needs a percentage between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} · {self.get_payer_display()}"

    def audit_region_code(self) -> str:
        return self.programme.audit_region_code()


class GradingScale(BilingualNameMixin):
    """The levels of a final evaluation (优秀/合格/不合格, or four with 良好), per programme (or category)."""

    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), related_name="grading_scales", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        related_name="grading_scales",
        on_delete=models.CASCADE,
    )

    class Meta:
        # Translators: 中文：考核等级
        verbose_name = _("grading scale")
        # Translators: 中文：考核等级
        verbose_name_plural = _("grading scales")
        ordering = ["programme", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category"],
                name="one_grading_scale_per_scope",
                # Translators: 中文：该项目已有适用于该类别的考核等级。
                violation_error_message=_("This programme already has a grading scale for that category."),
            )
        ]

    def audit_region_code(self) -> str:
        return self.programme.audit_region_code()


class GradeLevel(BilingualNameMixin):
    # Translators: 中文：等级表
    scale = models.ForeignKey(GradingScale, verbose_name=_("scale"), related_name="levels", on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=30)
    # Translators: 中文：合格
    passes = models.BooleanField(_("passes"), default=True)
    # Translators: 中文：颁发证书
    certificate = models.BooleanField(_("earns a certificate"), default=False)
    triggers_clawback = models.BooleanField(
        # Translators: 中文：触发退还
        _("triggers a refund"),
        default=False,
        # Translators: 中文：适用考核不合格的追回规则。
        help_text=_("The clawback rules of a failing grade apply."),
    )
    sort = models.PositiveIntegerField(
        # Translators: 中文：排序
        _("order"),
        default=0,
        # Translators: 中文：从最高等级往下排列。
        help_text=_("From the best level down."),
    )

    class Meta:
        # Translators: 中文：考核等级档次
        verbose_name = _("grade level")
        # Translators: 中文：考核等级档次
        verbose_name_plural = _("grade levels")
        ordering = ["scale", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "code"],
                name="unique_grade_code",
                # Translators: 中文：等级表中有两个档次代码相同。
                violation_error_message=_("Two levels of the scale have the same code."),
            )
        ]
