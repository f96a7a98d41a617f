"""What the navigation shows: the links of the roles the user holds."""

from __future__ import annotations

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import roles_for_user


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    assignments = roles_for_user(user=user) if user is not None else []
    held = {r.role for r in assignments}
    return {
        # The hospitals a unit administrator answers for (their indicators page is linked from the sub-menu).
        "nav_unit_organisations": [r.organisation for r in assignments if r.role == Role.UNIT_ADMIN],
        "nav_unit_admin": Role.UNIT_ADMIN in held,
        "nav_commission": Role.COMMISSION_ADMIN in held,
        "nav_alliance": Role.ALLIANCE_SECRETARIAT in held or bool(getattr(user, "is_superuser", False)),
    }
