"""Who may see and reveal a person's data (django-rules)."""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_covers, organisation_ids_for_role


@rules.predicate
def is_the_person(user, person) -> bool:
    return person is not None and person.user_id is not None and person.user_id == user.pk


@rules.predicate
def is_unit_admin_of_person(user, person) -> bool:
    return (
        person is not None
        and person.employer_id is not None
        and person.employer_id in organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    )


@rules.predicate
def is_commission_over_person(user, person) -> bool:
    return person is not None and commission_covers(user=user, organisation=person.employer)


can_manage_person = is_unit_admin_of_person | is_commission_over_person
rules.add_perm("people.view_person", is_the_person | can_manage_person)
rules.add_perm("people.change_person", is_the_person | is_unit_admin_of_person)
rules.add_perm("people.reveal_person", is_the_person | can_manage_person)
rules.add_perm("people.confirm_incident", is_unit_admin_of_person)
