"""What waits for a unit administrator in registration (the workspace's to-do list, `core.todo`): the
self-registrations and claims addressed to their units, oldest first. One query whatever their number."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from medtalent.core.todo import TodoItem, first_rows, may, todo_lines
from medtalent.registration.enums import RequestKind
from medtalent.registration.models import AccountRequest
from medtalent.registration.rules import unit_ids
from medtalent.registration.selectors import requests_for_unit
from medtalent.registration.workflow import ACCOUNT_REQUEST, DECIDE


def todo_items(*, user) -> list[TodoItem]:
    if not unit_ids(user):
        return []
    kind = "registration.decide"
    # Translators: 中文：等待您确认的注册与档案认领
    heading = _("Registrations and profile claims waiting for your confirmation")
    rows, total = first_rows(requests_for_unit(user=user), "created_at", "id")
    rows = [r for r in rows if may(ACCOUNT_REQUEST, r, user, DECIDE)]
    url = reverse("registration:unit_accounts")

    def line(request: AccountRequest) -> TodoItem:
        what = request.get_kind_display()
        account = request.user.get_username()
        detail = f"{what} · {account} · {request.unit.name}"
        if request.kind == RequestKind.CLAIM:
            detail = f"{what} · {account} → {request.person.name} · {request.unit.name}"
        return TodoItem(
            kind=kind,
            heading=heading,
            title=request.user.display_name or request.person.name,
            detail=detail,
            url=f"{url}#request-{request.pk}",
            since=request.created_at,
        )

    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=url)
