"""Permission predicates for pairing support (django-rules).

The pairing network of a programme (its relationships and the checks) is for the commission
administrators in whose jurisdiction the programme lies (`catalog.rules.manages_programme`).
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.rules import is_commission_admin, is_unit_admin
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.catalog.rules import manages_programme

rules.add_perm("partnerships.view_pairings", manages_programme)


# Agreements (对口支援协议): the two hospitals' unit administrators and the commission over the programme,
# nobody else. A hospital's administrator sees and edits only the agreements its hospital is a party to.


def agreement_sides(user, pairing) -> list[str]:
    """Every side the user administers (normally one; both only if they administer both hospitals)."""
    organisations = set(organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN))
    sides = []
    if pairing is not None and pairing.supporting_id in organisations:
        sides.append("supporting")
    if pairing is not None and pairing.supported_id in organisations:
        sides.append("supported")
    return sides


@rules.predicate
def is_pairing_party_admin(user, pairing) -> bool:
    return bool(agreement_sides(user, pairing))


@rules.predicate
def manages_pairing(user, pairing) -> bool:
    return pairing is not None and manages_programme(user, pairing.programme)


@rules.predicate
def is_agreement_party_admin(user, agreement) -> bool:
    return agreement is not None and is_pairing_party_admin(user, agreement.pairing)


@rules.predicate
def manages_agreement(user, agreement) -> bool:
    return agreement is not None and manages_pairing(user, agreement.pairing)


@rules.predicate
def may_approve_agreement(user, agreement) -> bool:
    """A party's administrator whose side has not approved yet."""
    if agreement is None:
        return False
    pairing = agreement.pairing
    sides = agreement_sides(user, pairing)
    return ("supporting" in sides and agreement.approved_by_supporting_id is None) or (
        "supported" in sides and agreement.approved_by_supported_id is None
    )


# On a pairing: start its agreement. On an agreement: see it (page, PDF), edit its clauses, start a new version.
rules.add_perm("partnerships.add_agreement", is_pairing_party_admin | manages_pairing)
rules.add_perm("partnerships.view_agreement", is_agreement_party_admin | manages_agreement)
rules.add_perm("partnerships.change_agreement", is_agreement_party_admin | manages_agreement)
rules.add_perm("partnerships.approve_agreement", may_approve_agreement)


# The agreements list (/agreements/): unit and commission administrators, each seeing only the pairings in
# their scope (`selectors.agreement_list_pairings`); anybody else is refused.
rules.add_perm("partnerships.view_agreement_list", is_unit_admin | is_commission_admin)
