"""Helpers shared by the tests of every app: users with a role, and what a refused request must leave as it was."""

from __future__ import annotations

import io
import re
from html import unescape

from django.db.models import Model
from openpyxl import load_workbook

from medtalent.orgs.models import Organisation
from tests.factories import RoleFactory, UserFactory


def make_user(role=None, organisation: Organisation | str | None = None, **fields):
    """A user (factory `fields`), holding `role` for `organisation` (an Organisation or its code) when given."""
    user = UserFactory(**fields)
    if role:
        if isinstance(organisation, str):
            organisation = Organisation.objects.get(code=organisation)
        RoleFactory(user=user, role=role, organisation=organisation)
    return user


# Logging in, out, or failing to, is recorded in the audit trail (issue 10) but changes no data: `rows` leaves it out.
LOGIN_TRAIL = ("user.login", "user.logout", "user.login_failed", "user.locked_out")


def rows(*models: type[Model]) -> dict[str, list[dict]]:
    """Every row of each model, field by field, in key order: compare before and after a refused request. The
    audit trail's login events are left out (a test logs in between)."""
    found = {}
    for model in models:
        manager = model._default_manager
        queryset = manager.exclude(action__in=LOGIN_TRAIL) if model._meta.label == "core.AuditEvent" else manager.all()
        found[model._meta.label] = list(queryset.order_by("pk").values())
    return found


# ---- The back office's table kit (core/tables.py): a list as the user reads it, and its Excel export.

_KIT_CELL = re.compile(r"<td data-label=\"[^\"]*\"[^>]*>(.*?)</td>", re.S)
_KIT_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_FORM = re.compile(r"<form.*?</form>", re.S)


def kit_page_rows(html: str) -> list[list[str]]:
    """The table's body as the user reads it: each row's cells, buttons (forms) left out, tags stripped, spaces
    collapsed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", " ", _FORM.sub("", c))).split()) for c in _KIT_CELL.findall(row)]
        for row in _KIT_ROW.findall(body)
    ]


def kit_export_rows(response) -> list[list[str]]:
    """The rows of an exported workbook (the header first), each cell as text."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
