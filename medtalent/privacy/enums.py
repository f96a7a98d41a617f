from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionScope(models.TextChoices):
    """What a retention rule covers. One rule per scope, its period edited in the admin."""

    # Translators: 中文：已参加项目的记录（进修、派驻及入选的报名）
    PROGRAMME_RECORD = "programme_record", _("Records of programmes taken part in (stints, selected applications)")
    # Translators: 中文：未入选的报名
    NOT_SELECTED = "not_selected", _("Applications never selected")
    # Translators: 中文：没有报名记录的个人档案
    NO_APPLICATION = "no_application", _("Profiles with no application")


class DeletionRequestState(models.TextChoices):
    # Translators: 中文：已申请
    REQUESTED = "requested", _("Requested")
    # Translators: 中文：已删除（已匿名化）
    COMPLETED = "completed", _("Completed: anonymised")
    # Translators: 中文：部分保留
    KEPT = "kept", _("Partly kept")
    # Translators: 中文：已拒绝
    REFUSED = "refused", _("Refused")


OPEN_REQUEST_STATES = (DeletionRequestState.REQUESTED, DeletionRequestState.KEPT)
