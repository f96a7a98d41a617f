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


def rows(*models: type[Model]) -> dict[str, list[dict]]:
    """Every row of each model, field by field, in key order: compare before and after a refused request."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models}
