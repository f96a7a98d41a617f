from django.db import models
from django.utils.translation import gettext_lazy as _


class StintKind(models.TextChoices):
    """Why the person is at the host. All are stints: one person, one host, one period."""

    TRAINING = "training", _("Training stint")  # 进修/研修 through a programme's round (later work)
    DISPATCH = "dispatch", _("Dispatch")  # 派驻: supporting hospital → supported hospital
    UPWARD = "upward", _("Upward training")  # 请上来: supported hospital → supporting hospital
    INBOUND = "inbound", _("Inbound foreign trainee")  # 来华进修: a foreign doctor at a member hospital


class StintRole(models.TextChoices):
    """What the person does at the host. A dispatched doctor may hold a management post (副院长, 科主任)."""

    TRAINEE = "trainee", _("Trainee")
    CLINICAL = "clinical", _("Clinical doctor")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPUTY_DEPARTMENT_HEAD = "deputy_department_head", _("Deputy department head")


MANAGEMENT_ROLES = (StintRole.VICE_PRESIDENT, StintRole.DEPARTMENT_HEAD, StintRole.DEPUTY_DEPARTMENT_HEAD)


class StintState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("At the host")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
