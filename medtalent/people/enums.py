from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageTest(models.TextChoices):
    IELTS = "ielts", "IELTS"
    TOEFL = "toefl", "TOEFL"
    BFT = "bft", _("BFT (national foreign-language test for study abroad)")
    CET6 = "cet6", _("CET-6")
    CET4 = "cet4", _("CET-4")
    PETS5 = "pets5", _("PETS-5")
    TESTDAF = "testdaf", "TestDaF"
    DELF_DALF = "delf_dalf", "DELF/DALF"
    # Translators: 中文：卫健委组织的外语能力评估
    ASSESSMENT = "assessment", _("Commission's language assessment")
    OTHER = "other", _("Other")


class CefrLevel(models.TextChoices):
    """Common European Framework levels, in order (rules compare them)."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class VerifiedFact(models.TextChoices):
    """Facts of a profile the unit verifies against the originals; a rule may require them verified."""

    # Translators: 中文：职称
    TITLE = "title", _("Professional title")
    # Translators: 中文：学历
    EDUCATION = "education", _("Education")
    # Translators: 中文：执业证书
    LICENCE = "licence", _("Practising licence")


class DocumentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    CV = "cv", _("CV")
    CERTIFICATE = "certificate", _("Certificate")
    LANGUAGE_RESULT = "language_result", _("Language test result")
    OTHER = "other", _("Other document")


# Fields shown masked by default; only the person, their unit's administrator and the commission may reveal.
MASKED_FIELDS = ("id_number", "phone")


class NoticeKind(models.TextChoices):
    """The privacy notices a person agrees to, each separately (PIPL art. 29: sensitive information needs its own)."""

    # Translators: 中文：个人信息处理规则
    GENERAL = "general", _("Privacy notice")
    # Translators: 中文：敏感个人信息单独同意
    SENSITIVE = "sensitive", _("Sensitive personal information")


class ProposalState(models.TextChoices):
    # Translators: 中文：待确认
    PENDING = "pending", _("Pending")
    # Translators: 中文：已接受
    ACCEPTED = "accepted", _("Accepted")
    # Translators: 中文：已拒绝
    REJECTED = "rejected", _("Rejected")
