from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "medtalent.applications"
    label = "applications"
    verbose_name = _("Applications")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.applications.todo.todo_items",)
