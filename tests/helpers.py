"""Helpers shared by the tests of every app: users with a role, and what a refused request must leave as it was."""

from __future__ import annotations

from django.db.models import Model

from medtalent.orgs.models import Organisation
from tests.factories import RoleFactory, UserFactory


def make_user(role=None, organisation: Organisation | str | None = None, **fields):
    """A user (factory `fields`), holding `role` for `organisation` (an Organisation or its code) when given."""
    user = UserFactory(**fields)
    if role:
        if isinstance(organisation, str):
            organisation = Organisation.objects.get(code=organisation)
        RoleFactory(user=user, role=role, organisation=organisation)
    return user


# Logging in, out, or failing to, is recorded in the audit trail (issue 10) but changes no data: `rows` leaves it out.
LOGIN_TRAIL = ("user.login", "user.logout", "user.login_failed", "user.locked_out")


def rows(*models: type[Model]) -> dict[str, list[dict]]:
    """Every row of each model, field by field, in key order: compare before and after a refused request. The
    audit trail's login events are left out (a test logs in between)."""
    found = {}
    for model in models:
        manager = model._default_manager
        queryset = manager.exclude(action__in=LOGIN_TRAIL) if model._meta.label == "core.AuditEvent" else manager.all()
        found[model._meta.label] = list(queryset.order_by("pk").values())
    return found
