from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the unit")
    RECOMMENDED = "recommended", _("Recommended by the unit")
    RETURNED = "returned", _("Returned to the applicant")
    REJECTED = "rejected", _("Rejected by the unit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the applicant may still edit the form.
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)
# States the unit administrator acts on.
AWAITING_UNIT = (ApplicationState.SUBMITTED,)
