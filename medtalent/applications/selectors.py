"""Reads for applications, scoped by the caller's roles."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import jurisdiction_q, organisation_ids_for_role
from medtalent.applications.models import Application
from medtalent.catalog.selectors import programmes_manageable_by


def applications_visible_to(*, user) -> QuerySet[Application]:
    """The applicant's own, the unit administrator's unit's, and those inside a commission's jurisdiction."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    visible = Q(person__user=user)
    unit_ids = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if unit_ids:
        visible |= Q(unit_id__in=unit_ids)
    visible |= jurisdiction_q(user=user, region_field="unit__region__code")
    visible |= Q(round__programme__in=programmes_manageable_by(user=user))
    return Application.objects.filter(visible)


def applications_for_unit(*, user, unit_id: int | None = None) -> QuerySet[Application]:
    """What a unit administrator works on: their unit's applications, with what the list shows."""
    unit_ids = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if unit_id is not None:
        unit_ids = [u for u in unit_ids if u == unit_id]
    return (
        Application.objects.filter(unit_id__in=unit_ids)
        .select_related("person", "person__title", "round", "round__programme", "category", "unit")
        .order_by("-submitted_at", "-updated_at", "-id")
    )


def applications_for_person(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(person__user=user)
        .select_related("round", "round__programme", "category", "unit")
        .order_by("-updated_at", "-id")
    )
