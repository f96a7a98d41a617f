from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What a calendar entry says about a day; days without an entry follow the week (Monday–Friday work)."""

    # Translators: 中文：休息日（法定节假日或调休放假）
    HOLIDAY = "holiday", _("Day off")
    # Translators: 中文：调休上班日
    WORKDAY = "workday", _("Make-up working day")


class DaySource(models.TextChoices):
    # Translators: 中文：国务院办公厅通知
    STATE_COUNCIL = "state_council", _("State Council notice")
    # Translators: 中文：本地安排
    LOCAL = "local", _("Local arrangement")


class DeadlineUnit(models.TextChoices):
    """How a deadline's amount is counted (the values are those of POST /api/v1/deadlines)."""

    # Translators: 中文：自然日
    DAYS = "days", _("calendar days")
    # Translators: 中文：工作日
    WORKING_DAYS = "working_days", _("working days")
    # Translators: 中文：周
    WEEKS = "weeks", _("weeks")
    # Translators: 中文：个月
    MONTHS = "months", _("months")


class DeadlineEvent(models.TextChoices):
    """The event a deadline is counted from (the period starts on the day after it, Civil Code art. 201)."""

    # Translators: 中文：研修开始
    STINT_START = "stint_start", _("start of the stint")
    # Translators: 中文：研修结束
    STINT_END = "stint_end", _("end of the stint")
    # Translators: 中文：回国（返岗）
    RETURN = "return", _("return")
    # Translators: 中文：名单公布
    PUBLICATION = "publication", _("publication of the list")
    # Translators: 中文：通知下发
    NOTICE = "notice", _("notice")
