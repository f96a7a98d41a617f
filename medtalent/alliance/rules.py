"""Who may manage an alliance's records (members and partners, committees, events).

`alliance.manage` on an object — the alliance (an Organisation) or one of its Membership, Committee or Event
rows — is for the users holding the alliance-secretariat role for THAT alliance, and for superusers.
Asked without an object (the admin's module permission, the navigation), it answers whether the user is the
secretariat of any alliance. Commission administrators do not manage the alliance. The public pages
(directory, calendar, event and committee pages, the GET API) need no permission.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.rules import is_superuser
from medtalent.accounts.selectors import organisation_ids_for_role


def alliance_id_of(obj) -> int | None:
    """The alliance an object belongs to: a Membership, Committee or Event → its alliance; an alliance → itself."""
    if obj is None:
        return None
    if hasattr(obj, "alliance_id"):
        return obj.alliance_id
    return obj.pk


def secretariat_alliance_ids(user) -> list[int]:
    """The alliances the user is the secretariat of (from the user's cached role assignments)."""
    return organisation_ids_for_role(user=user, role=Role.ALLIANCE_SECRETARIAT)


@rules.predicate
def is_alliance_secretariat(user, obj=None) -> bool:
    ids = secretariat_alliance_ids(user)
    if obj is None:
        return bool(ids)
    return alliance_id_of(obj) in ids


manages_alliance = is_superuser | is_alliance_secretariat

rules.add_perm("alliance.manage", manages_alliance)
