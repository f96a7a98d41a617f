from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "medtalent.annual"
    label = "annual"
    verbose_name = _("Yearly targets and evaluations")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.annual.todo.todo_items",)
