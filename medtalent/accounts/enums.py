from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMISSION_ADMIN = "commission_admin", _("Commission administrator")
    UNIT_ADMIN = "unit_admin", _("Sending-unit administrator")
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    HOST_COORDINATOR = "host_coordinator", _("Host coordinator")
    ALLIANCE_SECRETARIAT = "alliance_secretariat", _("Alliance secretariat")
    # Issue 10: shared reference data (organisations, code tables, specialties) is edited by this role only,
    # organisations within the jurisdiction of the role's organisation (a commission).
    REFERENCE_DATA_EDITOR = "reference_data_editor", _("Reference-data editor")
    # Issue 10: reads the audit trail of the jurisdiction of the role's organisation (a commission); changes nothing.
    AUDITOR = "auditor", _("Auditor")


# Roles whose scope is an organisation (the others are personal).
ORGANISATION_ROLES = (
    Role.COMMISSION_ADMIN,
    Role.UNIT_ADMIN,
    Role.HOST_COORDINATOR,
    Role.ALLIANCE_SECRETARIAT,
    Role.REFERENCE_DATA_EDITOR,
    Role.AUDITOR,
)
