"""Writes of the money, service and grading policy, made in the administration pages: every save and delete of a
rule, a share, a service period, a clawback rule, a grading scale or a level leaves an audit row (action
"<model>.create" / ".change" / ".delete", with the names of the fields changed), in the region of the
programme the row belongs to."""

from __future__ import annotations

from django.db import models, transaction

from medtalent.core.services import audit_log_many
from medtalent.policy.models import CostShare, GradeLevel


def _region_of(obj: models.Model) -> str:
    """The audit region of a policy row: its programme's (a share's or a level's through its parent)."""
    if isinstance(obj, CostShare):
        return obj.rule.audit_region_code()
    if isinstance(obj, GradeLevel):
        return obj.scale.audit_region_code()
    return obj.audit_region_code()  # type: ignore[attr-defined]


def _audit(*, actor, obj: models.Model, action: str, data: dict) -> None:
    audit_log_many(actor=actor, entries=[(f"{obj._meta.model_name}.{action}", obj, data)], region_code=_region_of(obj))


@transaction.atomic
def policy_object_save(*, actor, obj: models.Model, created: bool, changed_fields: list[str]) -> models.Model:
    """Save a policy row edited in the administration pages and audit it with the fields the form changed."""
    obj.save()
    _audit(actor=actor, obj=obj, action="create" if created else "change", data={"fields": sorted(changed_fields)})
    return obj


@transaction.atomic
def policy_object_delete(*, actor, obj: models.Model) -> None:
    """Delete a policy row; the audit row keeps what it was."""
    _audit(actor=actor, obj=obj, action="delete", data={"repr": str(obj)})
    obj.delete()
