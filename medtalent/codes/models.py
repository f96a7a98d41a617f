"""Reference data: national-standard code tables (stored as codes) and the specialty taxonomy."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtalent.core.models import BilingualNameMixin


class CodeTable(BilingualNameMixin):
    """One national or international standard, e.g. GB 3304 (ethnic groups), with its version."""

    slug = models.SlugField(
        _("key"), max_length=40, unique=True, help_text=_("Used in URLs and the API, e.g. ethnicity.")
    )
    standard = models.CharField(_("standard"), max_length=40, help_text=_("e.g. GB 3304-1991"))
    version = models.CharField(_("version"), max_length=40)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("code table")
        verbose_name_plural = _("code tables")
        ordering = ["slug"]


class Code(BilingualNameMixin):
    """One value of a code table. Regions keep their validity, so renamed or merged ones still resolve."""

    table = models.ForeignKey(CodeTable, verbose_name=_("code table"), related_name="codes", on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=16)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    sort = models.PositiveIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty while the code is in force.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        related_name="predecessors",
        on_delete=models.PROTECT,
    )
    extra = models.JSONField(_("extra attributes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["table", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="unique_code_per_table")]
        indexes = [models.Index(fields=["table", "name_zh"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Specialty(BilingualNameMixin):
    """A clinical or nursing specialty; programmes, offerings and host departments point at these."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader specialty"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    sort = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["sort", "code"]


class SpecialtySynonym(models.Model):
    """Another name a user may type for a specialty: 心血管内科, Cardiology, Rythmologie …"""

    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), related_name="synonyms", on_delete=models.CASCADE
    )
    term = models.CharField(_("term"), max_length=120)
    language = models.CharField(_("language"), max_length=8, default="zh", help_text=_("zh, en, fr …"))

    class Meta:
        verbose_name = _("specialty synonym")
        verbose_name_plural = _("specialty synonyms")
        constraints = [models.UniqueConstraint(fields=["specialty", "term"], name="unique_synonym_per_specialty")]

    def __str__(self) -> str:
        return self.term
