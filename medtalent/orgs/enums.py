from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMMISSION = "commission", _("Health commission")
    HOSPITAL = "hospital", _("Hospital")
    HOSPITAL_GROUP = "hospital_group", _("Hospital group")
    UNIVERSITY = "university", _("University")
    FOUNDATION = "foundation", _("Foundation")
    ASSOCIATION = "association", _("Association or alliance")
    GOVERNMENT = "government", _("Government office")
    OTHER = "other", _("Other")


class HospitalLevel(models.TextChoices):
    """Grade of a Chinese hospital (医院等级). The first character is the level used by eligibility rules."""

    L3A = "3A", _("Tertiary grade A (三级甲等)")
    L3B = "3B", _("Tertiary grade B (三级乙等)")
    L3 = "3", _("Tertiary (三级)")
    L2A = "2A", _("Secondary grade A (二级甲等)")
    L2B = "2B", _("Secondary grade B (二级乙等)")
    L2 = "2", _("Secondary (二级)")
    L1 = "1", _("Primary (一级)")


class HospitalType(models.TextChoices):
    GENERAL = "general", _("General")
    SPECIALTY = "specialty", _("Specialty")
    TCM = "tcm", _("Traditional Chinese medicine")
    INTEGRATED = "integrated", _("Integrated Chinese and Western medicine")
    MATERNAL_CHILD = "maternal_child", _("Maternal and child health")
    OTHER = "other", _("Other")


class AliasKind(models.TextChoices):
    HISTORICAL = "historical", _("Historical name")
    MISSPELLING = "misspelling", _("Misspelling found in a document")
    ABBREVIATION = "abbreviation", _("Abbreviation")
    TRANSLATION = "translation", _("Other language")
