from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageTest(models.TextChoices):
    IELTS = "ielts", "IELTS"
    TOEFL = "toefl", "TOEFL"
    BFT = "bft", _("BFT (national foreign-language test for study abroad)")
    CET6 = "cet6", _("CET-6")
    CET4 = "cet4", _("CET-4")
    PETS5 = "pets5", _("PETS-5")
    OTHER = "other", _("Other")


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
