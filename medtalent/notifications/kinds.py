"""The kinds of notice: one per (machine, target state) that some transition notifies about.

The machines are declared by the workflow apps, which this app may not import (it sits just above accounts);
they are found through the app registry instead: every `Machine` defined at module level in an app's
`workflow.py` or `services.py`.
"""

from __future__ import annotations

import functools
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medtalent.core.workflow import Machine

MACHINE_MODULES = ("workflow", "services")


@functools.cache
def machines() -> tuple[Machine, ...]:
    found: dict[str, Machine] = {}
    for config in apps.get_app_configs():
        for name in MACHINE_MODULES:
            if not module_has_submodule(config.module, name):
                continue
            module = import_module(f"{config.name}.{name}")
            for value in vars(module).values():
                if isinstance(value, Machine):
                    found.setdefault(value.name, value)
    return tuple(found.values())


def notice_kind(machine: Machine, target: str) -> str:
    return f"{machine.name}.{target}"


def kind_label_of(machine: Machine, target: str) -> str:
    """The kind as a user reads it ("Application: recommended by the unit"), in the active language."""
    object_name, state = capfirst(machine.model._meta.verbose_name), machine.state_label(target)
    # Translators: 中文：%(object)s：%(state)s
    return _("%(object)s: %(state)s") % {"object": object_name, "state": state}


def notice_kinds() -> list[tuple[str, str]]:
    """(kind, label) of every kind some transition notifies about, in the machines' order."""
    kinds: dict[str, str] = {}
    for machine in machines():
        for move in machine.transitions:
            if move.notify:
                kinds.setdefault(notice_kind(machine, move.target), kind_label_of(machine, move.target))
    return list(kinds.items())
