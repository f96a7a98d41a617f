from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StintsConfig(AppConfig):
    name = "medtalent.stints"
    label = "stints"
    verbose_name = _("Stints")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.stints.todo.todo_items",)
