"""Role predicates (django-rules): whether a user holds a role, whatever the object.

Every app's permission rules combine these with its own objects (a programme's owner, a pairing's hospitals);
the role itself is asked here and nowhere else. The permissions core names (`core.rules`) are granted here too.
"""

from __future__ import annotations

import rules

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import (
    editor_covers,
    editor_has_national_scope,
    editor_jurisdiction_q,
    editor_region_covered,
    jurisdiction_q,
    user_has_role,
)
from medtalent.core.rules import (
    CODE_TABLES_EDIT_PERMISSION,
    ORGANISATION_EDIT_PERMISSION,
    ORGANISATION_REGION_PERMISSION,
    ORGANISATIONS_VIEW_ALL_PERMISSION,
    REFERENCE_DATA_SCOPE,
    REFERENCE_DATA_VIEW_PERMISSION,
    add_scope,
)
from medtalent.orgs.rules import TAG_SCOPE, TAGS_EDIT_PERMISSION
from medtalent.workdays.rules import CALENDAR_EDIT_PERMISSION


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_commission_admin(user) -> bool:
    return user_has_role(user=user, role=Role.COMMISSION_ADMIN)


@rules.predicate
def is_unit_admin(user) -> bool:
    return user_has_role(user=user, role=Role.UNIT_ADMIN)


@rules.predicate
def is_reference_data_editor(user) -> bool:
    return user_has_role(user=user, role=Role.REFERENCE_DATA_EDITOR)


@rules.predicate
def is_national_reference_data_editor(user) -> bool:
    return editor_has_national_scope(user=user)


@rules.predicate
def edits_organisation(user, organisation) -> bool:
    """Without an organisation: whether the user edits any (adds one, opens the list); with one: that one."""
    if organisation is None:
        return is_reference_data_editor(user)
    return editor_covers(user=user, organisation=organisation)


@rules.predicate
def sets_region(user, region) -> bool:
    """Whether an organisation the user edits may be given `region` (a region code row, or None): it must stay
    inside the user's jurisdiction, so that nobody moves a hospital into their own reach."""
    return editor_region_covered(user=user, region_code=region.code if region is not None else "")


# Code tables, specialties and organisations are shared reference data. Commission staff see them (their admin
# pages point at them: hosts, employers, specialties); reference-data editors change organisations inside their
# jurisdiction, and the national code tables when their commission is national. Superusers always may.
rules.add_perm(REFERENCE_DATA_VIEW_PERMISSION, is_superuser | is_commission_admin | is_reference_data_editor)
rules.add_perm(
    ORGANISATIONS_VIEW_ALL_PERMISSION, is_superuser | is_commission_admin | is_national_reference_data_editor
)
rules.add_perm(ORGANISATION_EDIT_PERMISSION, is_superuser | edits_organisation)
rules.add_perm(ORGANISATION_REGION_PERMISSION, is_superuser | sets_region)
rules.add_perm(CODE_TABLES_EDIT_PERMISSION, is_superuser | is_national_reference_data_editor)
# The working-day calendar (public holidays of later years, local days off): commission administrators.
rules.add_perm(CALENDAR_EDIT_PERMISSION, is_superuser | is_commission_admin)
add_scope(REFERENCE_DATA_SCOPE, editor_jurisdiction_q)
# The organisation tags rules and quotas name: commission staff, for the organisations and regions of their
# jurisdiction (orgs.admin.TagAdmin asks by these names).
rules.add_perm(TAGS_EDIT_PERMISSION, is_superuser | is_commission_admin)
add_scope(TAG_SCOPE, jurisdiction_q)
