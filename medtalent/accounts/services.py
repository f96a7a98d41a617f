"""Writes for accounts: users and their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from medtalent.accounts.enums import ORGANISATION_ROLES, Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log
from medtalent.orgs.models import Organisation


@transaction.atomic
def role_assign(*, actor, user: User, role: Role, organisation: Organisation | None = None) -> RoleAssignment:
    """Give `user` a role (scoped to `organisation` for the roles that need one); idempotent."""
    if role in ORGANISATION_ROLES and organisation is None:
        raise ApplicationError(f"The role {role.label} needs an organisation.", field="organisation")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)
    if created:
        audit_log(actor=actor, action="role.assign", obj=assignment, to_state=role, data={"user": user.username})
    return assignment


@transaction.atomic
def user_get_or_create(
    *, actor, username: str, display_name: str = "", password: str = "", is_staff: bool = False
) -> tuple[User, bool]:
    """The account `username`, created (with `password`, audited) when it does not exist; an existing account is
    left as it is. (True when created.)"""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "is_staff": is_staff}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_log(actor=actor, action="user.create", obj=user, data={"username": username, "is_staff": is_staff})
    return user, created


def user_set_language(*, user: User, language: str) -> bool:
    """Remember the language the user chose (for the emails they get); False, and nothing written, for a
    language the site does not offer or the one already kept."""
    if language not in dict(settings.LANGUAGES) or language == user.language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
