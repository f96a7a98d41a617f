"""Permissions of the workdays app, asked for by name. workdays sits below the app that knows the roles: that app
(`accounts.rules`) grants them with `rules.add_perm` (commission administrators; superusers always may)."""

from __future__ import annotations

# See, add, change and delete the days of the working-day calendar in the admin (public holidays of later years,
# local days off).
CALENDAR_EDIT_PERMISSION = "workdays.edit_calendar"
