"""The state machine of a stint: planned → active (the host confirms the person arrived) → completed (the host or
the home); planned / active → cancelled (the home side or the commission; ended early: a note says why).

Applied by `core.workflow`; `services.stint_transition` calls it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from medtalent.accounts.enums import Role
from medtalent.accounts.models import User
from medtalent.accounts.selectors import users_with_role
from medtalent.core.limits import TEXT_MEDIUM, check_length
from medtalent.core.workflow import Machine, Step, Transition
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint
from medtalent.stints.selectors import STINT_RELATED

S = StintState


def _stint_recipients(stint: Stint, audience: str):
    """host: the host's unit administrators; home: the home hospital's (for an inbound trainee, whose home is
    abroad, the secretariat of the alliance of the committee it came through)."""
    if audience == "host":
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[stint.host_id])
    if audience == "home":
        if stint.kind == StintKind.INBOUND:
            if stint.committee_id is None:
                return User.objects.none()
            return users_with_role(role=Role.ALLIANCE_SECRETARIAT, organisations=[stint.committee.alliance_id])
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[stint.home_id])
    raise ValueError(f"stint: unknown audience {audience!r}")


def _stint_check(step: Step) -> None:
    """The note goes into the audit row: bounded like the stint's own note."""
    check_length(step.note, limit=TEXT_MEDIUM, label=Stint._meta.get_field("note").verbose_name, field="note")


# Translators: 中文：取消
CANCEL_LABEL = gettext_lazy("Cancel this stint")

STINT = Machine(
    name="stint",
    model=Stint,
    transitions=(
        Transition(
            S.PLANNED,
            S.ACTIVE,
            "stints.confirm_arrival",  # the host confirms the person arrived
            # Translators: 中文：确认已报到
            label=gettext_lazy("Confirm arrival"),
            notify=("home",),
            style="primary",
        ),
        Transition(
            S.ACTIVE,
            S.COMPLETED,
            "stints.complete_stint",  # the host or the home
            # Translators: 中文：确认已结束
            label=gettext_lazy("Mark as completed"),
            notify=("home", "host"),
            style="primary",
        ),
        Transition(S.PLANNED, S.CANCELLED, "stints.cancel_stint", label=CANCEL_LABEL, notify=("home", "host")),
        Transition(
            S.ACTIVE,
            S.CANCELLED,
            "stints.cancel_stint",  # ended early: a note says why
            label=CANCEL_LABEL,
            notify=("home", "host"),
            note_required=True,
            # Translators: 中文：提前结束须说明原因。
            note_message=gettext_lazy("Say why the stint ended early."),
        ),
    ),
    recipients=_stint_recipients,
    lock=lambda qs: qs.select_related(*STINT_RELATED),
    check=_stint_check,
    link=lambda stint: reverse("stints:detail", args=[stint.pk]),
    # Translators: 中文：人员记录不能从“%(from)s”变为“%(to)s”。
    cannot_message=gettext_lazy("A stint cannot go from “%(from)s” to “%(to)s”."),
    # Translators: 中文：您无权进行此操作。
    denied_message=gettext_lazy("You may not do this with this stint."),
)
