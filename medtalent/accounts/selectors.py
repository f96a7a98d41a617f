"""Who may see what: every scoped queryset starts here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
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
        if org.region_id and org.region is not None:
            q |= Q(**{f"{region_field}__startswith": region_prefix(org.region.code)})
        if organisation_field:
            q |= Q(**{organisation_field: org.pk})
    return q


def commission_covers(*, user, organisation) -> bool:
    """Whether one of the user's commissions is `organisation` or has it inside its jurisdiction.

    The object-level twin of `jurisdiction_q`: permission predicates ask this, querysets filter with that."""
    if organisation is None:
        return False
    code = organisation.region.code if organisation.region_id else ""
    for assignment in roles_for_user(user=user):
        commission = assignment.organisation
        if assignment.role != Role.COMMISSION_ADMIN or commission is None:
            continue
        if commission.pk == organisation.pk:
            return True
        region = commission.region if commission.region_id else None
        if code and region is not None and code.startswith(region_prefix(region.code)):
            return True
    return False


def organisation_ids_for_role(*, user, role: Role) -> list[int]:
    return [r.organisation_id for r in roles_for_user(user=user) if r.role == role and r.organisation_id]


# Who holds a role (the people a notice goes to) ---------------------------------------------------------------


def users_with_role(*, role: Role, organisations: Iterable[int | None]) -> QuerySet[User]:
    """The active users holding `role` at one of `organisations` (ids): one query when read."""
    ids = [pk for pk in organisations if pk is not None]
    if not ids:
        return User.objects.none()
    return User.objects.filter(is_active=True, roles__role=role, roles__organisation_id__in=ids).distinct()


def commission_admins_covering(*, organisations: Iterable) -> QuerySet[User]:
    """The active commission administrators whose commission is one of `organisations` or has it inside its
    jurisdiction (the twin of `commission_covers`, for many users at once): one query when read.

    A commission covers the regions its code's prefix starts (330000 covers 33xxxx), so the commissions over a
    region are those of the region's province, city and county codes (330102: 330000, 330100, 330102)."""
    organisations = [o for o in organisations if o is not None]
    if not organisations:
        return User.objects.none()
    codes: set[str] = set()
    for organisation in organisations:
        code = organisation.region.code if organisation.region_id else ""
        codes |= {code[:n].ljust(len(code), "0") for n in range(2, len(code) + 1, 2)}
    covering = Q(roles__organisation__in=[o.pk for o in organisations])
    if codes:
        covering |= Q(roles__organisation__region__code__in=codes)
    return User.objects.filter(Q(is_active=True, roles__role=Role.COMMISSION_ADMIN) & covering).distinct()
