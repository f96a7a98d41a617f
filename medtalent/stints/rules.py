"""Who may see, record, schedule and move stints (django-rules).

- see a stint: the unit administrators of its home and its host, a commission managing the pairing's
  programme or covering the home or the host, the alliance secretariat for the inbound trainees of its
  alliance (a committee of the alliance, or a host that is a member), and the person themself;
- record a dispatch (on a pairing): the supporting hospital's unit administrator or the commission managing
  the programme; an upward trainee: the supported hospital's unit administrator or that commission; an
  inbound trainee (on a committee or a host organisation): the alliance secretariat or the host's unit
  administrator;
- schedule the person at the host: the host's unit administrator only;
- change dates and departments while planned, cancel: the home side (for an inbound trainee, who has no
  home administrator here, the alliance secretariat) or the commission over the stint;
- confirm arrival: the host; complete: the host or the home.

Every predicate reads the user's roles once (`roles_for_user` caches them on the user); a stint must come
with its home, host and pairing programme owner (and their regions) loaded, as `selectors.stint_for_user` does.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_covers, organisation_ids_for_role
from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.models import Committee, Membership
from medtalent.orgs.models import Organisation
from medtalent.partnerships.models import Pairing
from medtalent.partnerships.rules import manages_pairing
from medtalent.stints.enums import StintKind


def _unit_ids(user) -> set[int]:
    return set(organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN))


def _secretariat_ids(user) -> set[int]:
    return set(organisation_ids_for_role(user=user, role=Role.ALLIANCE_SECRETARIAT))


def _is_member(*, alliance_ids: set[int], organisation_id: int | None) -> bool:
    if not alliance_ids or organisation_id is None:
        return False
    return Membership.objects.filter(
        alliance_id__in=alliance_ids, organisation_id=organisation_id, kind=MembershipKind.MEMBER
    ).exists()


# On a stint -------------------------------------------------------------------------------------------------


@rules.predicate
def is_home_admin(user, stint) -> bool:
    return stint is not None and stint.home_id in _unit_ids(user)


@rules.predicate
def is_host_admin(user, stint) -> bool:
    return stint is not None and stint.host_id in _unit_ids(user)


@rules.predicate
def is_the_person(user, stint) -> bool:
    if stint is None or not user.is_authenticated:
        return False
    return stint.person.user_id is not None and stint.person.user_id == user.pk


@rules.predicate
def is_commission_over_stint(user, stint) -> bool:
    if stint is None:
        return False
    if stint.pairing_id is not None and manages_pairing(user, stint.pairing):
        return True
    return commission_covers(user=user, organisation=stint.home) or commission_covers(
        user=user, organisation=stint.host
    )


@rules.predicate
def is_alliance_secretariat_of_stint(user, stint) -> bool:
    """The secretariat of the alliance an inbound trainee came through (its committee, or its host's membership)."""
    if stint is None or stint.kind != StintKind.INBOUND:
        return False
    alliances = _secretariat_ids(user)
    if not alliances:
        return False
    if stint.committee_id is not None and stint.committee.alliance_id in alliances:
        return True
    return _is_member(alliance_ids=alliances, organisation_id=stint.host_id)


@rules.predicate
def is_home_side(user, stint) -> bool:
    """Who acts for the sending side: its unit administrator, or for an inbound trainee the secretariat."""
    return is_home_admin(user, stint) or is_alliance_secretariat_of_stint(user, stint)


# On a pairing, a committee or a host organisation (recording a stint) -------------------------------------


@rules.predicate
def may_add_dispatch(user, pairing) -> bool:
    if not isinstance(pairing, Pairing):
        return False
    return pairing.supporting_id in _unit_ids(user) or manages_pairing(user, pairing)


@rules.predicate
def may_add_upward(user, pairing) -> bool:
    if not isinstance(pairing, Pairing):
        return False
    return pairing.supported_id in _unit_ids(user) or manages_pairing(user, pairing)


@rules.predicate
def may_add_inbound(user, target) -> bool:
    """`target` is an alliance committee (its alliance's secretariat) or the host organisation (its unit
    administrator, or the secretariat of an alliance it is a member of)."""
    if isinstance(target, Committee):
        return target.alliance_id in _secretariat_ids(user)
    if isinstance(target, Organisation):
        if target.pk in _unit_ids(user):
            return True
        return _is_member(alliance_ids=_secretariat_ids(user), organisation_id=target.pk)
    return False


@rules.predicate
def may_view_pairing_stints(user, pairing) -> bool:
    if not isinstance(pairing, Pairing):
        return False
    units = _unit_ids(user)
    return pairing.supporting_id in units or pairing.supported_id in units or manages_pairing(user, pairing)


rules.add_perm(
    "stints.view_stint",
    is_home_admin | is_host_admin | is_the_person | is_commission_over_stint | is_alliance_secretariat_of_stint,
)
rules.add_perm("stints.add_stint", may_add_dispatch | may_add_upward | may_add_inbound)
rules.add_perm("stints.add_dispatch", may_add_dispatch)
rules.add_perm("stints.add_upward", may_add_upward)
rules.add_perm("stints.add_inbound", may_add_inbound)
rules.add_perm("stints.view_pairing_stints", may_view_pairing_stints)
rules.add_perm("stints.schedule_stint", is_host_admin)
rules.add_perm("stints.change_stint", is_home_side | is_commission_over_stint)
# The transitions (see workflow.STINT).
rules.add_perm("stints.confirm_arrival", is_host_admin)
rules.add_perm("stints.complete_stint", is_host_admin | is_home_admin)
rules.add_perm("stints.cancel_stint", is_home_side | is_commission_over_stint)
