"""Permissions of the orgs app, asked for by name: orgs knows no role, so `accounts.rules` grants them (as it does
the reference-data permissions of core.rules)."""

from __future__ import annotations

# Edit the organisation tags (山区海岛县 …) and which organisations and regions carry them: commission staff.
TAGS_EDIT_PERMISSION = "orgs.change_tags"
# The organisations and regions a tag editor may give a tag: the commission's jurisdiction.
TAG_SCOPE = "orgs.tag_scope"
