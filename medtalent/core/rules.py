"""Permissions that core's shared pieces ask for by name. core knows no role: the app that knows the roles
(`accounts.rules`) grants them with `rules.add_perm`."""

from __future__ import annotations

# View and edit the shared reference data in the admin (code tables, specialties, organisations): the
# `ReferenceDataAdmin` of `core.admin`. Superusers always may.
REFERENCE_DATA_PERMISSION = "core.manage_reference_data"
