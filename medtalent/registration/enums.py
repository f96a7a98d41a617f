"""The states and kinds of the registration app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvitationState(models.TextChoices):
    # Translators: 中文：待接受
    PENDING = "pending", _("Waiting to be accepted")
    # Translators: 中文：已接受
    ACCEPTED = "accepted", _("Accepted")
    # Translators: 中文：已撤回
    REVOKED = "revoked", _("Revoked")


class RequestKind(models.TextChoices):
    # Translators: 中文：自行注册
    REGISTRATION = "registration", _("Self-registration")
    # Translators: 中文：认领档案
    CLAIM = "claim", _("Profile claim")


class RequestState(models.TextChoices):
    # Translators: 中文：待单位确认
    PENDING = "pending", _("Waiting for the unit")
    # Translators: 中文：单位已确认
    CONFIRMED = "confirmed", _("Confirmed by the unit")
    # Translators: 中文：单位已拒绝
    REFUSED = "refused", _("Refused by the unit")
    # Translators: 中文：已撤回
    WITHDRAWN = "withdrawn", _("Withdrawn")
