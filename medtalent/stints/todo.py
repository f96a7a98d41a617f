"""What waits for a user in stints (the workspace's to-do list, `core.todo`), for a hospital's unit administrator:

- arrivals to confirm: people planned at their hospital (the host) whose stint has started (the state from which
  the host confirms the arrival);
- stints to close: people at the host past the stint's last day, at their hospital or sent by it (the state
  from which the host or the home completes it).

One query per kind whatever the number of items (rows and total together).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.core.todo import TodoItem, as_datetime, first_rows, may, todo_lines
from medtalent.stints.models import Stint
from medtalent.stints.selectors import stints_visible_to
from medtalent.stints.workflow import STINT

CONFIRM = "stints.confirm_arrival"
COMPLETE = "stints.complete_stint"


def todo_items(*, user) -> list[TodoItem]:
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if not units:
        return []
    today = timezone.localdate()
    # Translators: 中文：待确认到岗的人员
    arrivals = ("stints.confirm_arrival", _("Arrivals to confirm"), CONFIRM, Q(host_id__in=units, starts_on__lte=today))
    # Translators: 中文：已到期、待结束的派驻与进修
    ends = ("stints.complete", _("Stints past their end, to close"), COMPLETE, Q(ends_on__lt=today))
    items: list[TodoItem] = []
    for kind, heading, permission, condition in (arrivals, ends):
        items += _kind(user, units, kind=kind, heading=heading, permission=permission, condition=condition)
    return items


def _kind(user, units: list[int], *, kind: str, heading: str, permission: str, condition: Q) -> list[TodoItem]:
    rows, total = first_rows(
        stints_visible_to(user=user)
        .filter(Q(host_id__in=units) | Q(home_id__in=units))
        .filter(condition, state__in=STINT.states_with_moves(permission)),
        "starts_on" if permission == CONFIRM else "ends_on",
        "id",
    )
    rows = [s for s in rows if may(STINT, s, user, permission)]

    def line(stint: Stint) -> TodoItem:
        return TodoItem(
            kind=kind,
            heading=heading,
            title=stint.person.name,
            detail=f"{stint.get_kind_display()} · {stint.home.name} → {stint.host.name} · {stint.starts_on} – {stint.ends_on}",
            url=reverse("stints:detail", args=[stint.pk]),
            since=as_datetime(stint.starts_on if permission == CONFIRM else stint.ends_on),
        )

    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=reverse("stints:roster"))
