from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "medtalent.workdays"
    label = "workdays"
    # Translators: 中文：工作日与期限
    verbose_name = _("Working days and deadlines")

    def ready(self) -> None:
        from medtalent.workdays import signals  # noqa: F401  (connects the receivers)
