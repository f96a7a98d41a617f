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
rules.add_perm("people.verify_fact", is_unit_admin_of_person)


# Documents: the person deletes any of theirs; their unit's administrator only those the person did not upload
# themself (a unit may not take away what the person put in their own profile).
@rules.predicate
def is_the_person_of_document(user, document) -> bool:
    return document is not None and is_the_person(user, document.person)


@rules.predicate
def is_unit_admin_of_document_person(user, document) -> bool:
    return document is not None and is_unit_admin_of_person(user, document.person)


@rules.predicate
def uploaded_by_the_person(user, document) -> bool:
    person = document.person if document is not None else None
    return person is not None and person.user_id is not None and document.uploaded_by_id == person.user_id


rules.add_perm(
    "people.delete_document",
    is_the_person_of_document | (is_unit_admin_of_document_person & ~uploaded_by_the_person),
)
