from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "medtalent.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every change made in the admin leaves an audit row (core.admin_audit).
        from medtalent.core import admin_audit

        admin_audit.connect()
