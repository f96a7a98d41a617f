"""Writes for eligibility: freezing the rule set a round opened with."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from medtalent.catalog.models import Round
from medtalent.core.services import audit_log
from medtalent.eligibility.selectors import rule_snapshot_for


@transaction.atomic
def round_freeze_rules(*, round_: Round, actor=None) -> Round:
    """Keep the programme's and every category's rules as they are now in `round_.rule_snapshot` (see
    `selectors.rule_snapshot_for`): from then on every application of the round is judged on them, whatever the
    rules become. Called when the round's first application is submitted; nothing happens (and nothing is
    logged) when the round's rules are already frozen. Audited as "round.rules_frozen"."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.rules_frozen_at is None:
        locked.rule_snapshot = rule_snapshot_for(programme=locked.programme_id)
        locked.rules_frozen_at = timezone.now()
        locked.save(update_fields=["rule_snapshot", "rules_frozen_at"])
        snapshot = locked.rule_snapshot
        audit_log(
            actor=actor,
            action="round.rules_frozen",
            obj=locked,
            data={
                "rules": len(snapshot["programme"]["rules"]) + sum(len(c["rules"]) for c in snapshot["categories"]),
                "categories": [c["code"] for c in snapshot["categories"]],
            },
        )
    round_.rule_snapshot, round_.rules_frozen_at = locked.rule_snapshot, locked.rules_frozen_at
    return round_
