"""What the navigation shows: the links of the roles the user holds (the back office's side menu and breadcrumbs,
workspace/navigation.py), and how many notices they have not read."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject, cached_property

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import roles_for_user
from medtalent.notifications.selectors import unread_count
from medtalent.workspace.navigation import Navigation


class NoticeCount:
    """The header's count of unread notices: one COUNT, run only when a page draws the header (an HTMX fragment
    or a JSON answer does not), at most once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self.user)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    assignments = roles_for_user(user=user) if user is not None else []
    held = {r.role for r in assignments}
    authenticated = bool(getattr(user, "is_authenticated", False))
    unit_organisations = [r.organisation for r in assignments if r.role == Role.UNIT_ADMIN]
    match = getattr(request, "resolver_match", None)
    return {
        # The hospitals a unit administrator answers for (their indicators page is linked from the sub-menu).
        "nav_unit_organisations": unit_organisations,
        "nav_unit_admin": Role.UNIT_ADMIN in held,
        "nav_commission": Role.COMMISSION_ADMIN in held,
        "nav_alliance": Role.ALLIANCE_SECRETARIAT in held or bool(getattr(user, "is_superuser", False)),
        "nav_notices": NoticeCount(user) if authenticated else None,
        "nav_auditor": Role.AUDITOR in held or bool(getattr(user, "is_superuser", False)),
        # The side menu and the breadcrumbs: reversed only when a page draws them.
        "nav": SimpleLazyObject(
            lambda: Navigation(
                user=user,
                held=held if authenticated else set(),
                unit_organisations=unit_organisations,
                view_name=match.view_name if match else "",
                kwargs=match.kwargs if match else {},
            )
        ),
    }
