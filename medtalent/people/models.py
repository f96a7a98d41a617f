"""A person's profile, kept between applications, with code values from the national tables."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtalent.core.limits import TEXT_DOCUMENT, TEXT_LONG, TEXT_NOTE, limited_text_field
from medtalent.core.models import TimeStampedModel
from medtalent.people.enums import CefrLevel, DocumentKind, LanguageTest, NoticeKind, ProposalState, VerifiedFact
from medtalent.people.fields import EncryptedChar, EncryptedText, KeyedHashField


def _code_fk(table: str, verbose_name, **kwargs):
    return models.ForeignKey(
        "codes.Code",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": table},
        **kwargs,
    )


class Person(TimeStampedModel):
    """A doctor, nurse or manager who applies. May exist before they have an account (bulk import)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        related_name="person",
        on_delete=models.SET_NULL,
    )
    # A person's name, not an organisation's ("name" is 名称 there).
    # Translators: 中文：姓名
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    sex = _code_fk("sex", _("sex"))
    ethnicity = _code_fk("ethnicity", _("ethnicity"))
    political_status = _code_fk("political_status", _("political status"))
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Encrypted at rest (people.fields); unique and found through id_number_hash, never filtered on itself.
    id_number = EncryptedChar(_("ID number"), max_length=18, null=True, blank=True)
    id_number_hash = KeyedHashField(source="id_number", unique=True, null=True, blank=True)
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    education = _code_fk("education", _("education"))
    degree = _code_fk("degree", _("degree"))
    graduated_from = models.CharField(_("graduating school"), max_length=100, blank=True)
    graduated_on = models.DateField(_("graduation date"), null=True, blank=True)
    title = _code_fk("title", _("professional title"))
    title_obtained_on = models.DateField(_("title obtained on"), null=True, blank=True)
    residency_completed = models.BooleanField(_("residency training completed"), default=False)
    # Translators: 中文：执业证书编号
    licence_number = models.CharField(_("practising licence number"), max_length=30, blank=True)
    # Translators: 中文：执业证书取得日期
    licence_obtained_on = models.DateField(_("practising licence obtained on"), null=True, blank=True)
    specialty = models.ForeignKey(
        "codes.Specialty",
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    employer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        related_name="staff",
        on_delete=models.PROTECT,
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = EncryptedChar(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    health_status = EncryptedChar(_("health status"), max_length=50, blank=True)
    designations = models.ManyToManyField(
        "codes.Code",
        verbose_name=_("talent designations"),
        related_name="+",
        blank=True,
        limit_choices_to={"table__slug": "designation"},
    )
    admin_years = models.PositiveSmallIntegerField(_("years in administrative management"), default=0)
    teaching_experience = models.BooleanField(_("clinical teaching or education-management experience"), default=False)
    teaching_note = limited_text_field(_("teaching experience (details)"), blank=True, max_length=TEXT_NOTE)
    language_self_assessment = limited_text_field(
        _("foreign-language self-assessment"), blank=True, max_length=TEXT_NOTE
    )
    serious_incident_declared = models.BooleanField(_("declares a serious medical incident on record"), default=False)
    serious_incident_confirmed = models.BooleanField(
        _("serious medical incident confirmed by the unit"),
        null=True,
        blank=True,
        help_text=_("Empty until the unit has checked the record."),
    )
    cv_text = EncryptedText(_("CV"), blank=True, max_length=TEXT_LONG, validators=[MaxLengthValidator(TEXT_LONG)])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["employer", "name"])]

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.employer.audit_region_code() if self.employer_id else ""

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The hash follows the number: a save of `id_number` alone writes its hash too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields and "id_number_hash" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "id_number_hash"]
        super().save(*args, **kwargs)


class LanguageCertificate(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), related_name="language_certificates", on_delete=models.CASCADE
    )
    test = models.CharField(_("test"), max_length=12, choices=LanguageTest.choices)
    score = models.CharField(
        # Translators: 中文：成绩
        _("score"),
        max_length=20,
        blank=True,
        # Translators: 中文：如雅思 6.5、托福 85
        help_text=_("e.g. 6.5 for IELTS, 85 for TOEFL"),
    )
    level = models.CharField(
        # Translators: 中文：欧洲语言共同参考框架等级
        _("CEFR level"),
        max_length=2,
        choices=CefrLevel.choices,
        blank=True,
        # Translators: 中文：如 B2（DELF、外语能力评估）
        help_text=_("e.g. B2 (DELF, assessment)"),
    )
    taken_on = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("language certificate")
        verbose_name_plural = _("language certificates")
        ordering = ["person", "-taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_test_display()} {self.score}"


class TitleRecord(models.Model):
    """A professional title the person obtained earlier, with its date: rules count years since a title (the
    current title and its date are on the profile itself)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), related_name="title_records", on_delete=models.CASCADE)
    title = models.ForeignKey(
        "codes.Code",
        verbose_name=_("professional title"),
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"table__slug": "title"},
    )
    # Translators: 中文：取得日期
    obtained_on = models.DateField(_("obtained on"))

    class Meta:
        # Translators: 中文：曾获职称
        verbose_name = _("earlier title")
        # Translators: 中文：曾获职称
        verbose_name_plural = _("earlier titles")
        ordering = ["person", "obtained_on", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "title"], name="one_record_per_title")]

    def __str__(self) -> str:
        return f"{self.title} {self.obtained_on.isoformat()}"


class FactVerification(models.Model):
    """The unit checked a fact of the profile against the original document. It holds while the fact keeps the
    value it had (`value`); a change of the fact makes it unverified again."""

    person = models.ForeignKey(Person, verbose_name=_("person"), related_name="verifications", on_delete=models.CASCADE)
    # Translators: 中文：信息项
    fact = models.CharField(_("fact"), max_length=12, choices=VerifiedFact.choices)
    # Translators: 中文：核验时的值
    value = models.CharField(_("value verified"), max_length=60)
    verified_by = models.ForeignKey(
        # Translators: 中文：核验人
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # Translators: 中文：核验时间
    verified_at = models.DateTimeField(_("verified at"), auto_now=True)

    class Meta:
        # Translators: 中文：已核验信息
        verbose_name = _("verified fact")
        # Translators: 中文：已核验信息
        verbose_name_plural = _("verified facts")
        constraints = [models.UniqueConstraint(fields=["person", "fact"], name="one_verification_per_fact")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_fact_display()}"


class ProfileChangeProposal(models.Model):
    """A change to a profile field that someone other than the person proposed (a unit's bulk import) for a
    person who keeps their own profile: it is applied only when the person accepts it."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), related_name="change_proposals", on_delete=models.CASCADE
    )
    # Translators: 中文：字段
    field = models.CharField(_("field"), max_length=40)
    # The proposed value as text (a code's pk for a code field, ISO for a date, "1"/"0" for a yes/no), encrypted:
    # it is the person's data as much as the profile is.
    proposed_value = EncryptedText(
        # Translators: 中文：建议值
        _("proposed value"),
        blank=True,
        max_length=TEXT_LONG,
        validators=[MaxLengthValidator(TEXT_LONG)],
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：提出者
        verbose_name=_("proposed by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # The unit's import job (applications.ImportJob) the proposal came from; a number, not a key: people sits
    # below applications in the layers.
    # Translators: 中文：导入任务
    import_job_id = models.PositiveIntegerField(_("import job"), null=True, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING)
    # Translators: 中文：提出时间
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    # Translators: 中文：处理时间
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        # Translators: 中文：档案修改建议
        verbose_name = _("profile change proposal")
        # Translators: 中文：档案修改建议
        verbose_name_plural = _("profile change proposals")
        ordering = ["person", "-created_at", "id"]
        indexes = [models.Index(fields=["person", "state"], name="people_proposal_person_state")]

    def __str__(self) -> str:
        return f"{self.person} · {self.field}"


def document_path(document: Document, filename: str) -> str:
    # Never the uploaded name: a random name in a folder per person; the original name is kept in a field.
    return f"people/{document.person_id}/{document.kind}/{uuid.uuid4().hex}"


class Document(models.Model):
    """An upload (photo, CV, certificate, language result), checked by content and stored privately."""

    person = models.ForeignKey(Person, verbose_name=_("person"), related_name="documents", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["person", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def audit_region_code(self) -> str:
        """The region whose auditors read the audit events about this row (core.services.audit_region_code)."""
        return self.person.audit_region_code()


class PrivacyNotice(models.Model):
    """A version of a privacy notice. The general notice: a person agrees to the current one before their first
    application. The sensitive-information notice (PIPL art. 29, 单独同意): agreed separately, before the person
    enters their ID number or health status and before any application is submitted."""

    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices, default=NoticeKind.GENERAL)
    version = models.CharField(_("version"), max_length=20)
    text_zh = limited_text_field(_("text (Chinese)"), max_length=TEXT_DOCUMENT)
    text_en = limited_text_field(_("text (English)"), blank=True, max_length=TEXT_DOCUMENT)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["kind", "-published_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="one_notice_version_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"


class Consent(models.Model):
    """A person's agreement to one notice version; withdrawn by setting `withdrawn_at` (the row is kept as the
    record of what was agreed when). Agreeing again after a withdrawal makes a new row."""

    person = models.ForeignKey(Person, verbose_name=_("person"), related_name="consents", on_delete=models.CASCADE)
    notice = models.ForeignKey(
        PrivacyNotice, verbose_name=_("privacy notice"), related_name="consents", on_delete=models.PROTECT
    )
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["person", "-agreed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "notice"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_consent_per_notice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.notice}"
