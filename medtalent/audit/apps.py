"""The audit trail for auditors: filters and export, scoped to a jurisdiction (issue 10)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudittrailConfig(AppConfig):
    name = "medtalent.audit"
    verbose_name = _("Audit trail")
