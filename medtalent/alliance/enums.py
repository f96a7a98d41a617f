from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipKind(models.TextChoices):
    MEMBER = "member", _("Member institution")
    PARTNER = "partner", _("Partner institution abroad")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    POLICY_DIALOGUE = "policy_dialogue", _("Policy dialogue")
    DELEGATION_OUT = "delegation_out", _("Delegation abroad")
    DELEGATION_IN = "delegation_in", _("Delegation received")
    EXPERT_VISIT = "expert_visit", _("Expert visit")
    ONLINE_COURSE = "online_course", _("Online course")
    SIGNING = "signing", _("Agreement signing")
    OTHER = "other", _("Other event")
