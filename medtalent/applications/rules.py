"""Who may do what with an application (django-rules). The transition table names these permissions."""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_covers, organisation_ids_for_role
from medtalent.catalog.rules import manages_programme


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and application.person.user_id is not None and application.person.user_id == user.pk


@rules.predicate
def is_unit_admin(user, application) -> bool:
    return application is not None and application.unit_id in organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)


@rules.predicate
def is_commission_over_unit(user, application) -> bool:
    return application is not None and commission_covers(user=user, organisation=application.unit)


@rules.predicate
def is_programme_commission(user, application) -> bool:
    return application is not None and manages_programme(user, application.round.programme)


is_commission = is_commission_over_unit | is_programme_commission

rules.add_perm("applications.view_application", is_applicant | is_unit_admin | is_commission)
rules.add_perm("applications.edit_application", is_applicant)
rules.add_perm("applications.submit_application", is_applicant)
rules.add_perm("applications.withdraw_application", is_applicant)
rules.add_perm("applications.decide_application", is_unit_admin)
rules.add_perm("applications.record_exception", is_unit_admin | is_commission)
# The sending unit confirms a rule the facts cannot decide (health, conduct, language ability without a score).
rules.add_perm("applications.confirm_rule", is_unit_admin)
