"""Writes for the catalogue. Every change of a programme's status goes through `programme_set_status`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Programme
from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log

# The programme state machine: (from, to) → the permission the actor needs.
PROGRAMME_TRANSITIONS: dict[tuple[str, str], str] = {
    (ProgrammeStatus.DRAFT, ProgrammeStatus.PUBLISHED): "catalog.publish_programme",
    (ProgrammeStatus.PUBLISHED, ProgrammeStatus.DRAFT): "catalog.publish_programme",
    (ProgrammeStatus.PUBLISHED, ProgrammeStatus.ARCHIVED): "catalog.publish_programme",
    (ProgrammeStatus.ARCHIVED, ProgrammeStatus.PUBLISHED): "catalog.publish_programme",
}


@transaction.atomic
def programme_set_status(*, actor, programme: Programme, status: str, note: str = "") -> Programme:
    """Move a programme to `status` if the transition table allows it and the actor holds its permission."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    permission = PROGRAMME_TRANSITIONS.get((locked.status, status))
    if permission is None:
        raise ApplicationError(
            _("A programme cannot go from %(from)s to %(to)s.")
            % {"from": locked.get_status_display(), "to": ProgrammeStatus(status).label},
            field="status",
        )
    if not actor.has_perm(permission, locked):
        raise PermissionDenied(_("You may not change the status of this programme."))
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="programme.status", obj=locked, from_state=previous, to_state=status, note=note)
    programme.status = status
    return locked


def catalogue_object_saved(*, actor, obj, created: bool, changed_fields: list[str]) -> None:
    """Audit an edit made in the administration pages (programme, round, offering, category …)."""
    audit_log(
        actor=actor,
        action=f"{obj._meta.model_name}.{'create' if created else 'change'}",
        obj=obj,
        data={"fields": changed_fields},
    )


def catalogue_object_deleted(*, actor, obj) -> None:
    audit_log(actor=actor, action=f"{obj._meta.model_name}.delete", obj=obj, data={"repr": str(obj)})
