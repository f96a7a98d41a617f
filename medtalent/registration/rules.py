"""Who may do what with invitations, account requests and staff accounts (django-rules).

- a unit administrator invites the staff of their unit (`Person.employer`) who have no account, resends and
  revokes the invitations of their unit;
- a unit administrator confirms or refuses the requests (self-registrations and claims) addressed to their
  unit, never their own;
- the person who made a request may withdraw it while it waits;
- `accounts.unlock_user` (named by the accounts app, granted here): a unit administrator whose unit employs the
  person of the locked account (never a superuser's account), and superusers.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.rules import is_superuser
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.people.models import Person

UNLOCK_USER = "accounts.unlock_user"


def unit_ids(user) -> set[int]:
    return set(organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN))


@rules.predicate
def is_unit_admin_of_person(user, person) -> bool:
    return person is not None and person.employer_id is not None and person.employer_id in unit_ids(user)


@rules.predicate
def is_unit_admin_of_invitation(user, invitation) -> bool:
    return invitation is not None and invitation.unit_id in unit_ids(user)


@rules.predicate
def is_unit_admin_of_request(user, request) -> bool:
    return request is not None and request.unit_id in unit_ids(user)


@rules.predicate
def is_requester(user, request) -> bool:
    return request is not None and getattr(user, "is_authenticated", False) and request.user_id == user.pk


@rules.predicate
def is_unit_admin_over_user(user, target) -> bool:
    """The target account's profile is employed by one of the user's units; a superuser's account never."""
    if target is None or getattr(target, "is_superuser", False) or target.pk == getattr(user, "pk", None):
        return False
    units = unit_ids(user)
    return bool(units) and Person.objects.filter(user_id=target.pk, employer_id__in=units).exists()


rules.add_perm("registration.invite_person", is_unit_admin_of_person)
rules.add_perm("registration.manage_invitation", is_unit_admin_of_invitation)
rules.add_perm("registration.decide_request", is_unit_admin_of_request & ~is_requester)
rules.add_perm("registration.withdraw_request", is_requester)
rules.add_perm(UNLOCK_USER, is_unit_admin_over_user | is_superuser)
