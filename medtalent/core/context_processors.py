"""What the navigation shows: the links of the roles the user holds."""

from __future__ import annotations

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import roles_for_user


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    held = {r.role for r in roles_for_user(user=user)} if user is not None else set()
    return {
        "nav_unit_admin": Role.UNIT_ADMIN in held,
        "nav_commission": Role.COMMISSION_ADMIN in held,
    }
