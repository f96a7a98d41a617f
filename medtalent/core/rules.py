"""Permissions that core's shared pieces ask for by name. core knows no role: the app that knows the roles
(`accounts.rules`) grants them with `rules.add_perm`, and registers the jurisdiction of the reference-data
editors with `add_scope` (the admin of `orgs` filters by it without importing `accounts`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

# See the shared reference data in the admin (code tables, specialties, organisations): the `ReferenceDataAdmin`
# of `core.admin` and the autocompletes of other admins that point at it. Superusers always may.
REFERENCE_DATA_VIEW_PERMISSION = "core.view_reference_data"
# Add and change organisations (and their departments and aliases); with an organisation, that organisation.
# Superusers always may; nobody but a superuser deletes.
ORGANISATION_EDIT_PERMISSION = "core.change_organisation_data"
# See every organisation (and department) in the admin, not only those of the user's jurisdiction: commission
# staff pick hosts, partners and employers anywhere.
ORGANISATIONS_VIEW_ALL_PERMISSION = "core.view_all_organisations"
# Give an organisation this region (a GB/T 2260 `codes.Code`, or None for none): only inside the jurisdiction.
ORGANISATION_REGION_PERMISSION = "core.set_organisation_region"
# Add and change the national code tables and the specialty taxonomy (one list for the whole country).
CODE_TABLES_EDIT_PERMISSION = "core.change_code_tables"

# The organisations whose reference data the user edits: a function (user, region_field, organisation_field) → Q.
REFERENCE_DATA_SCOPE = "core.reference_data_scope"

ScopeFunction = Callable[..., Q]
_scopes: dict[str, ScopeFunction] = {}


def add_scope(name: str, function: ScopeFunction) -> None:
    """Register the function giving the rows of scope `name` for a user (called by the app that knows roles)."""
    _scopes[name] = function


def scope_q(name: str, *, user, region_field: str = "region__code", organisation_field: str = "") -> Q:
    """The filter of scope `name` for `user`: `region_field` is the lookup path to the GB/T 2260 code of the
    row's region, `organisation_field` (optional) the path to the organisation itself. Matches nothing when no app
    registered the scope."""
    function = _scopes.get(name)
    if function is None:
        return Q(pk__in=[])
    return function(user=user, region_field=region_field, organisation_field=organisation_field)
