from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "medtalent.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from medtalent.accounts import receivers  # noqa: F401  (login events into the audit trail, issue 10)
