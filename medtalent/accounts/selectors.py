"""Who may see what: every scoped queryset starts here."""

from __future__ import annotations

from django.db.models import Q

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment
from medtalent.codes.regionnames import region_prefix


def roles_for_user(*, user) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("organisation", "organisation__region")
            .order_by("role", "id")
        )
        user._role_cache = cached
    return cached


def user_has_role(*, user, role: Role) -> bool:
    return any(r.role == role for r in roles_for_user(user=user))


def jurisdiction_q(*, user, region_field: str = "region__code", organisation_field: str = "") -> Q:
    """A filter matching the organisations inside the user's commission jurisdictions.

    `region_field` is the lookup path to the organisation's region code; `organisation_field` (optional)
    the path to the organisation itself, so a commission always covers its own rows even without a region.
    Returns a filter matching nothing for a user without a commission role.
    """
    q = Q(pk__in=[])
    for assignment in roles_for_user(user=user):
        if assignment.role != Role.COMMISSION_ADMIN or assignment.organisation is None:
            continue
        org = assignment.organisation
        if org.region_id:
            q |= Q(**{f"{region_field}__startswith": region_prefix(org.region.code)})
        if organisation_field:
            q |= Q(**{organisation_field: org.pk})
    return q


def organisation_ids_for_role(*, user, role: Role) -> list[int]:
    return [r.organisation_id for r in roles_for_user(user=user) if r.role == role and r.organisation_id]
