"""Permission predicates for the catalogue (django-rules)."""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import roles_for_user
from medtalent.catalog.enums import ProgrammeStatus
from medtalent.codes.regionnames import region_prefix


@rules.predicate
def is_commission_admin(user) -> bool:
    return any(r.role == Role.COMMISSION_ADMIN for r in roles_for_user(user=user))


@rules.predicate
def manages_programme(user, programme) -> bool:
    """A commission administrator manages the programmes owned inside their jurisdiction."""
    if programme is None:
        return False
    owner = programme.owner
    for assignment in roles_for_user(user=user):
        if assignment.role != Role.COMMISSION_ADMIN or assignment.organisation is None:
            continue
        if owner.pk == assignment.organisation_id:
            return True
        commission_region = assignment.organisation.region
        if (
            commission_region
            and owner.region_id
            and owner.region.code.startswith(region_prefix(commission_region.code))
        ):
            return True
    return False


@rules.predicate
def is_published(user, programme) -> bool:
    return programme is not None and programme.status == ProgrammeStatus.PUBLISHED


rules.add_perm("catalog.view_programme", is_published | manages_programme)
rules.add_perm("catalog.add_programme", is_commission_admin)
rules.add_perm("catalog.change_programme", manages_programme)
rules.add_perm("catalog.publish_programme", manages_programme)
