"""Writes for the catalogue. Every change of a programme's status goes through `programme_set_status`, which
applies the machine `workflow.PROGRAMME` with `core.workflow.transition`."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from medtalent.catalog.models import Category, EligibilityRule, Programme, Round
from medtalent.catalog.workflow import PROGRAMME
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition


def programme_set_status(*, actor, programme: Programme, status: str, note: str = "") -> Programme:
    """Move a programme to `status` if the transition table allows it and the actor holds its permission (on the
    locked row); audited as "programme.status"."""
    return transition(PROGRAMME, programme, to=status, actor=actor, note=note)


@transaction.atomic
def catalogue_object_save(*, actor, obj, created: bool, changed_fields: list[str]) -> None:
    """Save an object edited in the administration pages (a programme, a round, a category, a quota …) and audit
    it with the fields the form changed (their names)."""
    obj.save()
    catalogue_object_saved(actor=actor, obj=obj, created=created, changed_fields=changed_fields)


@transaction.atomic
def catalogue_object_delete(*, actor, obj) -> None:
    """Delete an object in the administration pages; the audit row keeps what it was."""
    catalogue_object_deleted(actor=actor, obj=obj)
    obj.delete()


@transaction.atomic
def round_get_or_create(*, actor, code: str, defaults: dict) -> tuple[Round, bool]:
    """The round `code`, created from `defaults` (and audited) when it does not exist yet."""
    round_, created = Round.objects.get_or_create(code=code, defaults=defaults)
    if created:
        catalogue_object_saved(actor=actor, obj=round_, created=True, changed_fields=sorted(defaults))
    return round_, created


def catalogue_object_saved(*, actor, obj, created: bool, changed_fields: list[str]) -> None:
    """Audit an edit made in the administration pages (programme, round, offering, category …)."""
    audit_log(
        actor=actor,
        action=f"{obj._meta.model_name}.{'create' if created else 'change'}",
        obj=obj,
        data={"fields": changed_fields},
    )
    rules_changed_during_rounds(actor=actor, obj=obj, change="create" if created else "change", fields=changed_fields)


def catalogue_object_deleted(*, actor, obj) -> None:
    audit_log(actor=actor, action=f"{obj._meta.model_name}.delete", obj=obj, data={"repr": str(obj)})
    rules_changed_during_rounds(actor=actor, obj=obj, change="delete", fields=[])


# A category's fields that are part of the rule set a round keeps (eligibility.selectors.rule_snapshot_for).
CATEGORY_RULE_FIELDS = frozenset({"duration_min", "duration_max", "duration_unit"})


def rules_changed_during_rounds(*, actor, obj, change: str, fields: list[str]) -> None:
    """A change of the rule set (an eligibility rule saved or deleted, a category added, deleted or given another
    duration) while a round of the programme has frozen rules (`Round.rules_frozen_at`) and its application window
    is not over: one audit row per such round, "round.rule_changed_during_round", naming what changed. The round
    keeps judging with its frozen rules and stored verdicts do not change; the row says the rules now differ."""
    if isinstance(obj, EligibilityRule):
        programme_id = obj.category.programme_id if obj.category is not None else obj.programme_id
    elif isinstance(obj, Category) and (change != "change" or CATEGORY_RULE_FIELDS.intersection(fields)):
        programme_id = obj.programme_id
    else:
        return
    if programme_id is None:
        return
    rounds = (
        Round.objects.filter(programme_id=programme_id, rules_frozen_at__isnull=False)
        .filter(Q(application_closes__isnull=True) | Q(application_closes__gte=timezone.localdate()))
        .select_related("programme__owner")
        .order_by("pk")
    )
    for round_ in rounds:
        audit_log(
            actor=actor,
            action="round.rule_changed_during_round",
            obj=round_,
            data={
                "round": round_.code,
                "object": obj._meta.label_lower,
                "id": obj.pk,
                "change": change,
                "fields": sorted(fields),
            },
        )
