from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StintsConfig(AppConfig):
    name = "medtalent.stints"
    label = "stints"
    verbose_name = _("Stints")
