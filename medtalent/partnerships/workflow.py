"""The state machine of a pairing agreement's version: draft → awaiting approval (the first side approves) →
approved (the second side); awaiting approval → draft (reopened for changes: the approvals are cleared);
approved → superseded (a newer version was approved: a system move, made by `agreement_approve`).

Applied by `core.workflow`; `services.agreement_transition` calls it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import commission_admins_covering, users_with_role
from medtalent.core.errors import ApplicationError
from medtalent.core.workflow import Machine, Step, Transition
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Agreement

S = AgreementState
SIDES = ("supporting", "supported")
APPROVAL_FIELDS = (
    "approved_by_supporting",
    "approved_by_supporting_at",
    "approved_by_supported",
    "approved_by_supported_at",
)


def _hospital(agreement: Agreement, side: str) -> int:
    return getattr(agreement.pairing, f"{side}_id")


def _agreement_recipients(agreement: Agreement, audience: str):
    """parties: both hospitals' unit administrators; other_party: those of the side that has not approved yet;
    commission: the commission administrators who manage the pairing's programme."""
    if audience == "parties":
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[_hospital(agreement, side) for side in SIDES])
    if audience == "other_party":
        waiting = [side for side in SIDES if getattr(agreement, f"approved_by_{side}_id") is None]
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[_hospital(agreement, side) for side in waiting])
    if audience == "commission":
        return commission_admins_covering(organisations=[agreement.pairing.programme.owner])
    raise ValueError(f"agreement: unknown audience {audience!r}")


def _agreement_check(step: Step) -> None:
    """Approved only once both hospitals have (the service sets the approval of the actor's side as `changes`)."""
    agreement = step.obj
    if step.move.target == S.APPROVED and (
        agreement.approved_by_supporting_id is None or agreement.approved_by_supported_id is None
    ):
        raise ApplicationError(_("Both hospitals must approve the agreement."), field="state")


def _agreement_apply(step: Step) -> list[str]:
    """Reopened for changes: the approval given is cleared."""
    if step.move.target == S.DRAFT:
        for name in APPROVAL_FIELDS:
            setattr(step.obj, name, None)
        return list(APPROVAL_FIELDS)
    return []


# Translators: 中文：批准（本方）
APPROVE_LABEL = gettext_lazy("Approve for my hospital")

AGREEMENT = Machine(
    name="agreement",
    model=Agreement,
    transitions=(
        Transition(
            S.DRAFT,
            S.AWAITING_APPROVAL,
            "partnerships.approve_agreement",  # the first side approves
            label=APPROVE_LABEL,
            notify=("other_party",),
            style="primary",
        ),
        Transition(
            S.AWAITING_APPROVAL,
            S.APPROVED,
            "partnerships.approve_agreement",  # the second side approves
            label=APPROVE_LABEL,
            notify=("parties", "commission"),
            style="primary",
        ),
        Transition(
            S.AWAITING_APPROVAL,
            S.DRAFT,
            "partnerships.change_agreement",  # reopened for changes: approvals cleared
            # Translators: 中文：退回修改（清除已有批准）
            label=gettext_lazy("Reopen for changes"),
            notify=("parties",),
        ),
        Transition(S.APPROVED, S.SUPERSEDED, ""),  # a newer version was approved (agreement_approve)
    ),
    recipients=_agreement_recipients,
    lock=lambda qs: qs.select_related("pairing__supporting", "pairing__supported", "pairing__programme__owner__region"),
    check=_agreement_check,
    apply=_agreement_apply,
    link=lambda agreement: reverse("partnerships:agreement", args=[agreement.pk]),
    cannot_message=gettext_lazy("An agreement cannot go from “%(from)s” to “%(to)s”."),
    denied_message=gettext_lazy("You may not do this with this agreement."),
)
