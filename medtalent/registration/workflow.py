"""The state machines of registration, applied by `core.workflow`:

- `ACCOUNT_REQUEST`: pending → confirmed | refused (the unit's administrator; a refusal says why) | withdrawn (the
  person who asked). The service (`services.account_request_decide`) makes what a confirmation means (the
  profile's account or employer) in the same transaction; the person is told of the decision.
- `INVITATION`: pending → accepted (a system move: the person chose a username and password through the link) |
  revoked (the unit's administrator).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from medtalent.accounts.models import User
from medtalent.core.limits import TEXT_NOTE, check_length
from medtalent.core.workflow import Machine, Step, Transition
from medtalent.registration.enums import InvitationState, RequestState
from medtalent.registration.models import AccountRequest, Invitation

R = RequestState
I = InvitationState  # noqa: E741

DECIDE = "registration.decide_request"
WITHDRAW = "registration.withdraw_request"
MANAGE_INVITATION = "registration.manage_invitation"


def _request_recipients(request: AccountRequest, audience: str):
    if audience == "requester":
        return User.objects.filter(pk=request.user_id)
    raise ValueError(f"account request: unknown audience {audience!r}")


def _request_check(step: Step) -> None:
    check_length(step.note, limit=TEXT_NOTE, label=AccountRequest._meta.get_field("reason").verbose_name, field="note")


def _request_apply(step: Step) -> list[str]:
    request = step.obj
    if step.move.target in (R.CONFIRMED, R.REFUSED):
        request.decided_by = step.actor
        request.decided_at = step.now
        request.reason = step.note
        return ["decided_by", "decided_at", "reason"]
    return []


ACCOUNT_REQUEST = Machine(
    name="account_request",
    model=AccountRequest,
    transitions=(
        Transition(
            R.PENDING,
            R.CONFIRMED,
            DECIDE,
            # Translators: 中文：确认
            label=gettext_lazy("Confirm"),
            notify=("requester",),
            style="primary",
        ),
        Transition(
            R.PENDING,
            R.REFUSED,
            DECIDE,
            # Translators: 中文：拒绝
            label=gettext_lazy("Refuse"),
            notify=("requester",),
            note_required=True,
            # Translators: 中文：请说明拒绝的原因。
            note_message=gettext_lazy("Say why you refuse."),
            style="danger",
        ),
        # Translators: 中文：撤回
        Transition(R.PENDING, R.WITHDRAWN, WITHDRAW, label=gettext_lazy("Withdraw")),
    ),
    recipients=_request_recipients,
    lock=lambda qs: qs.select_related("person", "unit"),
    check=_request_check,
    apply=_request_apply,
    link=lambda request: reverse("registration:claim"),
    # Translators: 中文：账户申请不能从“%(from)s”变为“%(to)s”。
    cannot_message=gettext_lazy("An account request cannot go from “%(from)s” to “%(to)s”."),
    # Translators: 中文：您无权处理此账户申请。
    denied_message=gettext_lazy("You may not do this with this account request."),
)


INVITATION = Machine(
    name="invitation",
    model=Invitation,
    transitions=(
        Transition(I.PENDING, I.ACCEPTED, ""),  # the person accepted through the link: a system move
        # Translators: 中文：撤回邀请
        Transition(I.PENDING, I.REVOKED, MANAGE_INVITATION, label=gettext_lazy("Revoke")),
    ),
    lock=lambda qs: qs.select_related("person", "unit"),
    link=lambda invitation: reverse("registration:unit_accounts"),
    # Translators: 中文：邀请不能从“%(from)s”变为“%(to)s”。
    cannot_message=gettext_lazy("An invitation cannot go from “%(from)s” to “%(to)s”."),
    # Translators: 中文：您无权处理此邀请。
    denied_message=gettext_lazy("You may not do this with this invitation."),
)
