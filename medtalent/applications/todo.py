"""What waits for a user in applications (the workspace's to-do list, `core.todo`).

- a unit administrator: the applications of their units waiting for the unit's decision (the states from which
  they may recommend, return or reject), oldest first; their units' imports that failed recently and were not
  followed by another upload;
- an applicant: their applications returned for changes, and their drafts of rounds still open (the states from
  which they may submit).

Each kind costs one query whatever the number of items: the rows of the first `TODO_LIMIT` and the total in the
same query (`COUNT(*) OVER ()`); the applicant's two kinds share one query (numbered per state).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.applications import selectors
from medtalent.applications.enums import ApplicationState
from medtalent.applications.imports import import_jobs_for
from medtalent.applications.models import Application, ImportJob
from medtalent.applications.workflow import APPLICATION, DECIDE, SUBMIT
from medtalent.core.todo import TODO_LIMIT, TodoItem, as_datetime, first_rows, may, todo_lines

S = ApplicationState
# A failed import stays on the list this long, unless the unit uploaded again since.
FAILED_IMPORT_DAYS = 14


def todo_items(*, user) -> list[TodoItem]:
    items: list[TodoItem] = []
    if organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN):
        items += _waiting_for_unit(user)
        items += _failed_imports(user)
    items += _applicant(user)
    return items


def _detail(application: Application) -> str:
    parts = [application.round.programme.name, str(application.round)]
    if application.category_id:
        parts.append(application.category.name)
    return " · ".join(parts)


def _waiting_for_unit(user) -> list[TodoItem]:
    kind = "applications.decide"
    # Translators: 中文：等待本单位审核的申请
    heading = _("Applications waiting for your unit's decision")
    rows, total = first_rows(
        selectors.applications_for_unit(user=user).filter(state__in=APPLICATION.states_with_moves(DECIDE)),
        F("submitted_at").asc(nulls_last=True),
        "id",
    )
    rows = [a for a in rows if may(APPLICATION, a, user, DECIDE)]

    def line(application: Application) -> TodoItem:
        return TodoItem(
            kind=kind,
            heading=heading,
            title=application.person.name,
            detail=_detail(application),
            url=reverse("applications:detail", args=[application.pk]),
            since=application.submitted_at or application.updated_at,
        )

    more_url = f"{reverse('applications:unit_list')}?state={S.SUBMITTED}"
    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=more_url)


def _failed_imports(user) -> list[TodoItem]:
    kind = "applications.import_failed"
    # Translators: 中文：未能导入的文件
    heading = _("Imports that failed")
    since = timezone.now() - dt.timedelta(days=FAILED_IMPORT_DAYS)
    later = ImportJob.objects.filter(unit_id=OuterRef("unit_id"), created_at__gt=OuterRef("created_at"))
    rows, total = first_rows(
        import_jobs_for(user=user).filter(state=ImportJob.State.FAILED, created_at__gte=since).filter(~Exists(later)),
        "-created_at",
        "-id",
    )

    def line(job: ImportJob) -> TodoItem:
        return TodoItem(
            kind=kind,
            heading=heading,
            title=job.original_name,
            detail=f"{job.unit.name} · {job.round.programme.name} · {job.round}",
            url=reverse("imports:job", args=[job.pk]),
            since=job.finished_at or job.created_at,
        )

    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=reverse("imports:index"))


def _applicant(user) -> list[TodoItem]:
    """Returned applications, then drafts of rounds still open: one query for both."""
    states = APPLICATION.states_with_moves(SUBMIT)  # draft, returned
    today = timezone.localdate()
    open_round = Q(round__application_closes__isnull=True) | Q(round__application_closes__gte=today)
    rows = list(
        selectors.applications_for_person(user=user)
        .select_related("person")  # what the permission (the applicant's own) reads
        .filter(state__in=states)
        .filter(Q(state=S.RETURNED) | open_round)
        .annotate(
            todo_row=Window(RowNumber(), partition_by=[F("state")], order_by=[F("updated_at").desc(), F("id").desc()]),
            todo_total=Window(Count("id"), partition_by=[F("state")]),
        )
        .filter(todo_row__lte=TODO_LIMIT)
        .order_by("state", "todo_row")
    )
    rows = [a for a in rows if may(APPLICATION, a, user, SUBMIT)]
    more_url = reverse("applications:mine")
    items: list[TodoItem] = []
    # Translators: 中文：退回修改的申请
    returned = ("applications.returned", _("Applications returned to you for changes"), S.RETURNED)
    # Translators: 中文：尚未提交的申请草稿
    drafts = ("applications.draft", _("Drafts to finish and submit"), S.DRAFT)
    for kind, heading, state in (returned, drafts):
        of_state = [a for a in rows if a.state == state]

        def line(application: Application, kind=kind, heading=heading) -> TodoItem:
            return TodoItem(
                kind=kind,
                heading=heading,
                title=application.round.programme.name,
                detail=_detail(application) if application.state == S.DRAFT else (application.unit_opinion or "")[:200],
                url=reverse("applications:edit", args=[application.pk]),
                since=as_datetime(application.decided_at or application.updated_at),
            )

        total = of_state[0].todo_total if of_state else 0
        items += todo_lines(kind=kind, heading=heading, rows=of_state, total=total, line=line, more_url=more_url)
    return items
