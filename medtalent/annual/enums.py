from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetKind(models.TextChoices):
    """A yearly target of a pairing: the four-ones (四个一) and the year's key specialties and techniques."""

    URGENT_NEED = "urgent_need", _("Solve one urgent medical need")  # 解决一项医疗急需
    WEAK_LINK = "weak_link", _("Break through one weak link")  # 突破一个薄弱环节
    TEAM = "team", _("Bring out one technical team")  # 带出一支技术团队
    NEW_SERVICE = "new_service", _("Add one service")  # 新增一个服务项目
    KEY_SPECIALTY = "key_specialty", _("Key specialty")  # 重点专科
    KEY_TECHNIQUE = "key_technique", _("Key technique")  # 重点技术


FOUR_ONES = (TargetKind.URGENT_NEED, TargetKind.WEAK_LINK, TargetKind.TEAM, TargetKind.NEW_SERVICE)
FOCUS_KINDS = (TargetKind.KEY_SPECIALTY, TargetKind.KEY_TECHNIQUE)


class TargetStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class ReviewKind(models.TextChoices):
    """The year-end self-assessment of each hospital and the commission's annual evaluation (Q4)."""

    SELF_SUPPORTING = "self_supporting", _("Self-assessment of the supporting hospital")
    SELF_SUPPORTED = "self_supported", _("Self-assessment of the supported hospital")
    EVALUATION = "evaluation", _("Annual evaluation")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Translators: 中文：已提交
    SUBMITTED = "submitted", pgettext_lazy("state", "Submitted")


class Conclusion(models.TextChoices):
    """The annual evaluation's overall conclusion."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
