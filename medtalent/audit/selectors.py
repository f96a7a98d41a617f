"""What an auditor may read of the audit trail: the events of their commission's jurisdiction (superusers: all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import audit_jurisdiction_q, user_has_role
from medtalent.core.models import AuditEvent

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
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


def audit_events_filtered(*, user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Newest first (by id: the order of the chain), filtered; each filter is served by an index."""
    events = audit_events_for_user(user=user)
    if filters.actor:
        events = events.filter(actor_username=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return events.order_by("-id")


def audit_events_page(*, user, filters: AuditFilters, before: int | None = None) -> tuple[list[AuditEvent], int | None]:
    """One page of events older than the event `before` (keyset pagination: no COUNT over a million rows),
    and the id to ask the next page with (None on the last page). One query."""
    events = audit_events_filtered(user=user, filters=filters)
    if before is not None:
        events = events.filter(id__lt=before)
    page = list(events[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return page, (page[-1].pk if more else None)
