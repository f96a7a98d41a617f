"""What an auditor may read of the audit trail: the events of their commission's jurisdiction (superusers: all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import audit_jurisdiction_q, user_has_role
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from medtalent.orgs.selectors import organisation_match_q

EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    organisation: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_data(self) -> dict[str, str]:
        """The filters as the export's audit row records them (names and dates, no personal value)."""
        return {name: str(value) for name, value in self.__dict__.items() if value not in ("", None)}


def may_read_audit_trail(*, user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user=user, role=Role.AUDITOR)


def audit_events_for_user(*, user) -> QuerySet[AuditEvent]:
    """The events `user` may read; 404 for anybody who is neither an auditor nor a superuser."""
    if not getattr(user, "is_authenticated", False) or not may_read_audit_trail(user=user):
        raise Http404("No audit trail.")
    events = AuditEvent.objects.all()
    if not user.is_superuser:
        events = events.filter(audit_jurisdiction_q(user=user))
    return events


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def audit_filters_apply(events: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
    """`events` narrowed by `filters`; each filter is served by an index."""
    if filters.actor:
        events = events.filter(actor_username=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.organisation:
        # Events about the organisations found by any of their names, aliases or abbreviations (浙大一院), never
        # by a raw code the auditor would have to know: one subquery.
        found = Organisation.objects.filter(organisation_match_q(filters.organisation))
        events = events.filter(
            object_type=Organisation._meta.label_lower,
            object_id__in=found.annotate(key=Cast("pk", CharField())).values("key"),
        )
    if filters.date_from:
        events = events.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return events


def audit_events_filtered(*, user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Newest first (by id: the order of the chain), filtered."""
    return audit_filters_apply(audit_events_for_user(user=user), filters).order_by("-id")


def object_type_choices() -> list[tuple[str, str]]:
    """The kinds of object the trail may record (the project's models), by their name in the page's language:
    the auditor chooses “Organisation”, not `orgs.organisation`. No query."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
        if model.__module__.startswith("medtalent.")
    ]
    return sorted(choices, key=lambda choice: (choice[1].casefold(), choice[0]))


def object_type_names() -> dict[str, str]:
    return dict(object_type_choices())
