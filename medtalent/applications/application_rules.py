"""The rules an application meets however it is made: by its applicant (`services.application_create`) and by
a unit's bulk import (`imports`). One function holds each rule; both callers raise or list its message."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog.models import Category, Round


def application_target_problem(round_: Round, category: Category | None) -> str | None:
    """Why an application may not go to this round and category (a problem of its `category` field), or None:
    the category belongs to the round's programme, and is required when the programme has categories."""
    if category is not None and category.programme_id != round_.programme_id:
        return _("This category does not belong to the programme of this round.")
    if category is None and round_.programme.categories.exists():
        return _("Choose a category: this programme has several.")
    return None


def live_applications(*, round_id: int, category_id: int | None) -> QuerySet[Application]:
    """The applications to a round and category that count: all but the withdrawn. A person has at most one."""
    applications = Application.objects.filter(round_id=round_id).exclude(state=ApplicationState.WITHDRAWN)
    if category_id is None:
        return applications.filter(category__isnull=True)
    return applications.filter(category_id=category_id)
