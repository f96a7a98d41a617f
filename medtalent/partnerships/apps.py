from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "medtalent.partnerships"
    label = "partnerships"
    verbose_name = _("Pairing support")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.partnerships.todo.todo_items",)
