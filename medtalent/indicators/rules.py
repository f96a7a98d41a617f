"""Who may see and enter a hospital's yearly indicators (django-rules; the object is the organisation).

- the hospital's own unit administrator: view and change;
- a commission administrator whose jurisdiction covers the hospital (`commission_covers`): view and change;
- the unit administrators of the hospitals supporting it in a pairing (any programme): view only;
- nobody else.

The trend over a programme's supported hospitals (`indicators.view_trend`, the object is the programme) is
for the commission administrators who manage the programme, like the pairing checks.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_covers, organisation_ids_for_role
from medtalent.catalog.rules import manages_programme
from medtalent.partnerships.models import Pairing


@rules.predicate
def is_hospital_admin(user, organisation) -> bool:
    return organisation is not None and organisation.pk in organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)


@rules.predicate
def commission_covers_hospital(user, organisation) -> bool:
    return organisation is not None and commission_covers(user=user, organisation=organisation)


@rules.predicate
def supports_hospital(user, organisation) -> bool:
    """The user administers a hospital that supports this one in a pairing (one query, only for unit admins)."""
    if organisation is None:
        return False
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if not units:
        return False
    return Pairing.objects.filter(supported_id=organisation.pk, supporting_id__in=units).exists()


rules.add_perm("indicators.view_indicators", is_hospital_admin | commission_covers_hospital | supports_hospital)
rules.add_perm("indicators.change_indicators", is_hospital_admin | commission_covers_hospital)
rules.add_perm("indicators.view_trend", manages_programme)
