"""What waits for a commission administrator in the catalogue (the workspace's to-do list, `core.todo`): the
programmes they manage that are still drafts (the state from which they publish). One query whatever the number."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import user_has_role
from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Programme
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.catalog.workflow import PROGRAMME
from medtalent.core.todo import TodoItem, first_rows, may, todo_lines

PUBLISH = "catalog.publish_programme"


def todo_items(*, user) -> list[TodoItem]:
    if not user_has_role(user=user, role=Role.COMMISSION_ADMIN):
        return []
    kind = "catalog.publish"
    # Translators: 中文：尚未发布的项目草稿
    heading = _("Draft programmes to publish")
    drafts = [s for s in PROGRAMME.states_with_moves(PUBLISH) if s == ProgrammeStatus.DRAFT]
    rows, total = first_rows(
        programmes_manageable_by(user=user).filter(status__in=drafts).select_related("owner__region"),
        "updated_at",
        "id",
    )
    rows = [p for p in rows if may(PROGRAMME, p, user, PUBLISH)]

    def line(programme: Programme) -> TodoItem:
        return TodoItem(
            kind=kind,
            heading=heading,
            title=programme.name,
            detail=f"{programme.code} · {programme.owner.name}",
            url=reverse("catalog:programme", args=[programme.code]),
            since=programme.updated_at,
        )

    # The administration's list of drafts for staff; else the workspace's own table of managed programmes.
    more_url = f"{reverse('admin:catalog_programme_changelist')}?status__exact={ProgrammeStatus.DRAFT}"
    if not user.is_staff:
        more_url = f"{reverse('workspace:home')}#managed-programmes"
    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=more_url)
