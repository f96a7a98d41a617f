"""Personal-information rights (PIPL): separate consent for sensitive information, a person's data download, deletion requests and retention (issue 10)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "medtalent.privacy"
    verbose_name = _("Privacy")
