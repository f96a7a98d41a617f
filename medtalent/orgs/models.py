from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE, limited_text_field
from medtalent.core.models import BilingualNameMixin, TimeStampedModel, pick_language
from medtalent.orgs.enums import AliasKind, HospitalLevel, HospitalType, OrganisationKind


class Tag(BilingualNameMixin):
    """An attribute of organisations and regions a policy refers to (山区海岛县, 欠发达县, 县级医院 …): given by the
    commission, read by eligibility rules (`employer_tag`), quotas (places reserved for a tag) and the units a
    programme takes applicants from. An organisation has a tag when it carries it or its region (or a region
    above it) does."""

    code = models.SlugField(
        # Translators: 中文：代码
        _("code"),
        max_length=60,
        unique=True,
        # Translators: 中文：稳定易读的代码，如 mountain-island。
        help_text=_("Stable readable key, e.g. mountain-island."),
    )
    description_zh = models.CharField(_("description (Chinese)"), max_length=200, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    regions = models.ManyToManyField(
        "codes.Code",
        # Translators: 中文：地区
        verbose_name=_("regions"),
        related_name="org_tags",
        blank=True,
        limit_choices_to={"table__slug": "region"},
        # Translators: 中文：这些地区（及其下级地区）的所有单位均具有该属性。
        help_text=_("Every organisation in these regions (and the regions under them) has the tag."),
    )

    class Meta:
        # Translators: 中文：单位属性
        verbose_name = _("organisation tag")
        # Translators: 中文：单位属性
        verbose_name_plural = _("organisation tags")
        ordering = ["code"]


class Organisation(BilingualNameMixin, TimeStampedModel):
    """Any institution: commission, hospital, university, foundation, foreign host …

    A Chinese organisation has a region (GB/T 2260); a foreign one has a country (ISO 3166-1).
    """

    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Stable readable key, e.g. chu-grenoble.")
    )
    name_local = models.CharField(_("name (original language)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    level = models.CharField(_("hospital level"), max_length=2, choices=HospitalLevel.choices, blank=True)
    hospital_type = models.CharField(_("hospital type"), max_length=20, choices=HospitalType.choices, blank=True)
    region = models.ForeignKey(
        "codes.Code",
        verbose_name=_("region"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "region"},
    )
    country = models.ForeignKey(
        "codes.Code",
        verbose_name=_("country"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "country"},
    )
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("For organisations abroad."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    website = models.URLField(_("website"), blank=True)
    description_zh = limited_text_field(_("description (Chinese)"), blank=True, max_length=TEXT_LONG)
    description_en = limited_text_field(_("description (English)"), blank=True, max_length=TEXT_LONG)
    is_active = models.BooleanField(_("active"), default=True)
    # Translators: 中文：属性
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="organisations", blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="") | Q(kind__in=["hospital", "hospital_group"]),
                name="only_hospitals_have_a_level",
            )
        ]

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.region.code if self.region_id else ""


class OrganisationAlias(models.Model):
    """Another name for an organisation, so historical and misspelt names in documents resolve to it."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), related_name="aliases", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AliasKind.choices, default=AliasKind.HISTORICAL)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_alias_per_org")]

    def __str__(self) -> str:
        return self.name


class Department(BilingualNameMixin):
    """A department (service) of a host organisation, with its supervisors and areas of expertise."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), related_name="departments", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=80)
    name_local = models.CharField(_("name (original language)"), max_length=300, blank=True)
    specialties = models.ManyToManyField(
        "codes.Specialty", verbose_name=_("specialties"), related_name="departments", blank=True
    )
    supervisors = limited_text_field(_("supervisors"), blank=True, help_text=_("One per line."), max_length=TEXT_NOTE)
    supervisors_en = limited_text_field(
        # Translators: 中文：导师（英文）
        _("supervisors (English)"),
        blank=True,
        # Translators: 中文：每行一位，附注用英文；留空则显示原文。
        help_text=_("One per line, any note in English; empty: as published."),
        max_length=TEXT_NOTE,
    )
    expertise_zh = limited_text_field(_("areas of expertise (Chinese)"), blank=True, max_length=TEXT_MEDIUM)
    expertise_en = limited_text_field(_("areas of expertise (English or original)"), blank=True, max_length=TEXT_MEDIUM)
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_department_code")]

    @property
    def expertise(self) -> str:
        return pick_language(self.expertise_zh, self.expertise_en)

    @property
    def supervisor_list(self) -> list[str]:
        text = pick_language(self.supervisors, self.supervisors_en)
        return [line.strip() for line in text.splitlines() if line.strip()]
