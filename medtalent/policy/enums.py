from django.db import models
from django.utils.translation import gettext_lazy as _


class Payer(models.TextChoices):
    """Who carries a share of a training's cost."""

    # Translators: 中文：基金会
    FOUNDATION = "foundation", _("Foundation")
    # Translators: 中文：市财政
    CITY_FINANCE = "city_finance", _("City finance")
    # Translators: 中文：派出单位
    SENDING_UNIT = "sending_unit", _("Sending unit")
    # Translators: 中文：个人
    INDIVIDUAL = "individual", _("Individual")
    # Translators: 中文：接收单位
    HOST = "host", _("Host")


class Rounding(models.TextChoices):
    """The unit every share is rounded to; the remainder goes by the largest-remainder rule."""

    # Translators: 中文：精确到分
    CENT = "cent", _("To the cent")
    # Translators: 中文：精确到元
    YUAN = "yuan", _("To the yuan")


class CapPer(models.TextChoices):
    # Translators: 中文：每人
    PERSON = "person", _("per person")
    # Translators: 中文：每人每月
    MONTH = "month", _("per person per month")


class ClawbackTrigger(models.TextChoices):
    """What makes a trained person refund (part of) the support given."""

    # Translators: 中文：服务期未满调离
    LEFT_EARLY = "left_early", _("Left the unit before the end of the service period")
    # Translators: 中文：未完成研学任务
    TASKS_NOT_COMPLETED = "tasks_not_completed", _("Training tasks not completed")
    # Translators: 中文：未经同意擅自延长期限
    UNAUTHORISED_EXTENSION = "unauthorised_extension", _("Stay extended without consent")
    # Translators: 中文：考核不合格
    FAILING_GRADE = "failing_grade", _("Failing grade")


class ClawbackMethod(models.TextChoices):
    # Translators: 中文：全额退还
    FULL = "full", _("In full")
    # Translators: 中文：按未服务期限比例退还
    PRO_RATA = "pro_rata", _("Pro rata by the unserved time")
    # Translators: 中文：按固定比例退还
    PERCENTAGE = "percentage", _("A fixed percentage")
