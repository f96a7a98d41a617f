"""Reads for the workspace: the to-do list, collected from the workflow apps through the app registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string

from medtalent.accounts.selectors import roles_for_user
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.core.todo import TodoItem


def todo_providers() -> list:
    """Every app's `todo_providers` (dotted paths of `todo_items(*, user)`), in INSTALLED_APPS order."""
    return [import_string(path) for config in apps.get_app_configs() for path in getattr(config, "todo_providers", ())]


@dataclass
class TodoGroup:
    kind: str
    heading: str
    items: list[TodoItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def todo_for_user(*, user) -> list[TodoGroup]:
    """What waits for the user, one group per kind, in the providers' order. Each provider costs a fixed number
    of queries whatever the number of items."""
    if not getattr(user, "is_authenticated", False):
        return []
    groups: dict[str, TodoGroup] = {}
    for provider in todo_providers():
        for item in provider(user=user):
            groups.setdefault(item.kind, TodoGroup(kind=item.kind, heading=item.heading)).items.append(item)
    return list(groups.values())


def workspace_for_user(*, user) -> dict:
    """The workspace page: the to-do list, the user's roles and, for a commission, the programmes it manages."""
    return {
        "todo": todo_for_user(user=user),
        "roles": roles_for_user(user=user),
        "managed_programmes": list(
            programmes_manageable_by(user=user).select_related("owner").order_by("sort", "code")
        ),
    }
