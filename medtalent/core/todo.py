"""The to-do list's line: what a workflow app tells the workspace is waiting for a user.

Each workflow app has a `todo.py` with `todo_items(*, user) -> list[TodoItem]`, named in its AppConfig
(`todo_providers = ("medtalent.applications.todo.todo_items",)`); the workspace (`/me/`) collects them through the
app registry, so core and the workflow apps never import the workspace. A provider costs a fixed number of
queries whatever the number of items: it counts in the database and lists at most `TODO_LIMIT` objects of a kind,
then one summary line (`more`) that links to the app's list page, filtered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window
from django.utils import timezone
from django.utils.translation import ngettext

from medtalent.core.workflow import Machine, allowed_transitions

# How many objects of one kind the to-do list names before it says "and n more".
TODO_LIMIT = 5


@dataclass(frozen=True)
class TodoItem:
    kind: str  # what is to be done, as a key: "applications.recommend"
    heading: str  # the kind, as the user reads it: "Applications waiting for your recommendation"
    title: str  # the object ("张三 · 2025 round"), or for a summary line "3 more"
    url: str  # the object's page, or for a summary line the list page, filtered
    since: dt.datetime | None = None  # waiting since: the page shows its age ("3 days")
    detail: str = ""  # one line under the title
    count: int = 1  # how many objects the line stands for
    more: bool = False  # the summary line of a kind: "3 more", linking to the list page


def first_rows(queryset: QuerySet, *ordering) -> tuple[list, int]:
    """The first TODO_LIMIT rows in `ordering` and how many there are in all, in one query (a window count)."""
    rows = list(queryset.annotate(todo_total=Window(Count("pk"))).order_by(*ordering)[:TODO_LIMIT])
    return rows, (rows[0].todo_total if rows else 0)


def may(machine: Machine, obj: object, user, permission: str) -> bool:
    """Whether `user` may now make a move of `machine` that needs `permission` on `obj`."""
    return any(move.permission == permission for move in allowed_transitions(machine, obj, user))


def todo_lines(
    *,
    kind: str,
    heading: str,
    rows: Sequence,
    total: int,
    line: Callable[[object], TodoItem],
    more_url: str,
) -> list[TodoItem]:
    """The items of one kind: one per row (at most TODO_LIMIT rows, `line(row)` → TodoItem), then a summary line
    standing for the rest when `total` (counted in the database) is larger."""
    items = [line(row) for row in rows[:TODO_LIMIT]]
    rest = total - len(items)
    if rest > 0:
        # Translators: 中文：另有 %(count)s 项
        title = ngettext("%(count)s more", "%(count)s more", rest) % {"count": rest}
        items.append(TodoItem(kind=kind, heading=heading, title=title, url=more_url, count=rest, more=True))
    return items


def as_datetime(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """A date shown as an age ("3 days") is its midnight, in the current time zone."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))
