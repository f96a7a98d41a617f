"""Who may do what in the privacy app (django-rules). A person exercises their rights on their own profile only
(the views read the profile of the logged-in user, so nobody can name another's); retention rules are edited by
superusers only."""

from __future__ import annotations

import rules

from medtalent.accounts.rules import is_superuser


@rules.predicate
def is_the_person(user, person) -> bool:
    return person is not None and person.user_id is not None and person.user_id == user.pk


rules.add_perm("privacy.exercise_rights", is_the_person)
rules.add_perm("privacy.manage_retention", is_superuser)
