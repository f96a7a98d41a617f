"""Who may manage the alliance's records (members, committees, events).

There is no "alliance secretariat" role yet: until there is, superusers and commission administrators
manage them.
"""

from __future__ import annotations

import rules

from medtalent.catalog.rules import is_commission_admin


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


manages_alliance = is_superuser | is_commission_admin

rules.add_perm("alliance.manage", manages_alliance)
