"""What this app does when core.workflow says a transition committed (`transitioned`, connected in `ready()`)."""

from __future__ import annotations

from medtalent.notifications.services import notices_for_transition


def transition_notify(sender, *, machine, obj, transition, actor, note="", **kwargs) -> None:
    notices_for_transition(machine=machine, obj=obj, move=transition, actor=actor, note=note)
