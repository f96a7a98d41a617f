"""Accounts for people: a unit invites its staff, a person registers and is confirmed by their unit, a person claims the profile their unit imported (issue 10)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "medtalent.registration"
    # Translators: 中文：注册
    verbose_name = _("Registration")
    # What waits for a user here, collected by the workspace's to-do list (core.todo).
    todo_providers = ("medtalent.registration.todo.todo_items",)
