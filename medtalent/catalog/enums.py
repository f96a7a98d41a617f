from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeType(models.TextChoices):
    OVERSEAS_FELLOWSHIP = "overseas_fellowship", _("Overseas clinical fellowship")
    TALENT_TRACK = "talent_track", _("Talent track")
    DOMESTIC_TRAINING = "domestic_training", _("Domestic directed training")
    PAIRING_SUPPORT = "pairing_support", _("Pairing support")
    ALLIANCE_EXCHANGE = "alliance_exchange", _("Alliance exchange")


# Programmes that place individual trainees, for which a quota and a cost per person are expected (the
# catalogue says "not stated in the policy" when the document gives none); the others are partnerships.
TRAINEE_PROGRAMME_TYPES = frozenset(
    {ProgrammeType.OVERSEAS_FELLOWSHIP, ProgrammeType.TALENT_TRACK, ProgrammeType.DOMESTIC_TRAINING}
)


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class DurationUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")
    MONTH = "month", _("months")


# Days per unit, used only to compare durations given in different units (filters, sorting).
DAYS_PER_UNIT = {DurationUnit.DAY: 1, DurationUnit.WEEK: 7, DurationUnit.MONTH: 30}


class Track(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    NURSE_MANAGER = "nurse_manager", _("Nurse manager")
    MANAGER = "manager", _("Health manager")
    ANY = "any", _("Any staff")


# Other words a visitor may type for a track, besides its label in either language (searched as well).
# Vocabulary, not policy: who a programme takes is in its quotas and offerings.
TRACK_SEARCH_WORDS = {
    Track.DOCTOR: ("physician", "clinician", "医师", "临床医生"),
    Track.NURSE: ("nursing staff", "护理人员"),
    Track.NURSE_MANAGER: ("head nurse", "nursing manager", "director of nursing", "护士长", "护理管理", "护理部"),
    Track.MANAGER: ("administrator", "hospital manager", "管理人才", "管理人员"),
    Track.ANY: (),
}


class RuleKind(models.TextChoices):
    """Kinds of eligibility rule. The values a rule compares with live in its `params`, never in code."""

    # Groups: a rule of these kinds holds other rules (its children) and judges them together.
    # Translators: 中文：以下条件全部满足
    ALL_OF = "all_of", _("All of the rules below")
    # Translators: 中文：以下条件满足其一
    ANY_OF = "any_of", _("Any one of the rules below")
    # Translators: 中文：不满足以下条件
    NOT = "not", _("None of the rules below")
    MAX_AGE = "max_age", _("Maximum age")
    MIN_EDUCATION = "min_education", _("Minimum education")
    MIN_TITLE = "min_title", _("Minimum professional title")
    TITLE_OR_RESIDENCY = "title_or_residency", _("Title, or completed residency training")
    MIN_MANAGEMENT_YEARS = "min_management_years", _("Years of management work")
    TEACHING_EXPERIENCE = "teaching_experience", _("Teaching experience")
    NO_SERIOUS_INCIDENT = "no_serious_incident", _("No serious medical incident")
    DESIGNATION = "designation", _("Talent designation")
    # Translators: 中文：外语考试成绩
    LANGUAGE_RESULT = "language_result", _("Language test result")
    # Translators: 中文：取得执业证书年限
    LICENCE_YEARS = "licence_years", _("Years since the practising licence")
    # Translators: 中文：取得职称年限
    TITLE_YEARS = "title_years", _("Years holding a title")
    # Translators: 中文：单位属性
    EMPLOYER_TAG = "employer_tag", _("Employer attribute")
    LANGUAGE = "language", _("Foreign language")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other condition")


class DurationFilter(models.TextChoices):
    """Buckets offered by the catalogue's duration filter."""

    UP_TO_1_MONTH = "le1m", _("Up to 1 month")
    ONE_TO_3_MONTHS = "1to3m", _("1 to 3 months")
    OVER_3_MONTHS = "gt3m", _("More than 3 months")


# The kinds that hold other rules.
GROUP_KINDS = frozenset({RuleKind.ALL_OF, RuleKind.ANY_OF, RuleKind.NOT})


class QuotaUnused(models.TextChoices):
    """What happens to places reserved inside a parent quota that the reserved group does not fill."""

    # Translators: 中文：未用名额退回上级名额
    RETURN = "return", _("Return to the parent quota")
    # Translators: 中文：未用名额作废
    LAPSE = "lapse", _("Lapse")
