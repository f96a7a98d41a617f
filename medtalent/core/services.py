from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, router, transaction
from django.utils import timezone

from medtalent.core import auditchain
from medtalent.core.models import AuditEvent


def audit_region_code(obj: models.Model) -> str:
    """The GB/T 2260 code of the region whose auditors may read events about `obj`: the object's
    `audit_region_code()` when its model has one (the protocol: the region of the organisation the object
    belongs to, "" when none), else ""."""
    method = getattr(obj, "audit_region_code", None)
    return (method() or "") if callable(method) else ""


def _event(
    *, actor, action: str, obj: models.Model, from_state: str, to_state: str, note: str, data, now, region=True
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        created_at=now,
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=auditchain.normalise_data(data),
        region_code=audit_region_code(obj) if region else "",
    )


def _chain(events: list[AuditEvent]) -> list[AuditEvent]:
    """Link `events` onto the trail's head and insert them: one query for the head (and, on PostgreSQL, the
    writers' lock), one INSERT. Runs in the caller's transaction, or its own."""
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using, savepoint=False):
        previous = auditchain.chain_head(using=using)
        for event in events:
            fields = {name: getattr(event, name) for name in auditchain.HASHED_FIELDS}
            event.prev_hash = previous
            event.hash = previous = auditchain.event_hash(previous, fields)
        if len(events) == 1:
            events[0].save(force_insert=True, using=using)
        else:
            AuditEvent.objects.using(using).bulk_create(events, batch_size=500)
    return events


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change. Called by every service that changes an important object.

    `data` holds names and ids, never personal values (an ID number, a phone, what a form field says)."""
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data,
        now=timezone.now(),
    )
    return _chain([event])[0]


def audit_log_many(
    *,
    actor,
    entries: Iterable[tuple[str, models.Model, dict[str, Any] | None]],
    note: str = "",
    region_code: str | None = None,
) -> list[AuditEvent]:
    """Record many changes at once (an import's people), each `(action, obj, data)`, in one chained batch: one
    query for the head, one INSERT per 500 events, nothing when there is none. `region_code`, when given, is
    every event's (a batch of one unit's people then costs no query per object)."""
    now = timezone.now()
    events = [
        _event(
            actor=actor,
            action=action,
            obj=obj,
            from_state="",
            to_state="",
            note=note,
            data=data,
            now=now,
            region=region_code is None,
        )
        for action, obj, data in entries
    ]
    if region_code is not None:
        for event in events:
            event.region_code = region_code
    return _chain(events) if events else []
