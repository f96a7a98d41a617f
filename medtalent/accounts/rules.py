"""Role predicates (django-rules): whether a user holds a role, whatever the object.

Every app's permission rules combine these with its own objects (a programme's owner, a pairing's hospitals);
the role itself is asked here and nowhere else. The permissions core names (`core.rules`) are granted here too.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import user_has_role
from medtalent.core.rules import REFERENCE_DATA_PERMISSION


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_commission_admin(user) -> bool:
    return user_has_role(user=user, role=Role.COMMISSION_ADMIN)


@rules.predicate
def is_unit_admin(user) -> bool:
    return user_has_role(user=user, role=Role.UNIT_ADMIN)


# Code tables, specialties and organisations are shared reference data: commission staff view and edit them.
rules.add_perm(REFERENCE_DATA_PERMISSION, is_commission_admin)
