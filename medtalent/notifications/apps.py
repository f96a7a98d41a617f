from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "medtalent.notifications"
    label = "notifications"
    # Translators: 中文：通知
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from medtalent.core.workflow import transitioned
        from medtalent.notifications import receivers

        transitioned.connect(receivers.transition_notify, dispatch_uid="notifications.transition_notify")
