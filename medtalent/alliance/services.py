"""Writes for the alliance: the secretariat's edits in the administration pages, each with an audit row."""

from __future__ import annotations

from django.db import models

from medtalent.core.services import audit_log


def alliance_object_saved(*, actor, obj: models.Model, created: bool, changed_fields: list[str]) -> None:
    audit_log(
        actor=actor,
        action=f"{obj._meta.model_name}.{'create' if created else 'change'}",
        obj=obj,
        data={"fields": changed_fields},
    )


def alliance_object_deleted(*, actor, obj: models.Model) -> None:
    audit_log(actor=actor, action=f"{obj._meta.model_name}.delete", obj=obj, data={"repr": str(obj)})
