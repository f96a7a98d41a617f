from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "medtalent.catalog"
    label = "catalog"
    verbose_name = _("Programme catalogue")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.catalog.todo.todo_items",)
