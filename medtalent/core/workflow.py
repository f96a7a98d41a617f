"""The one workflow core: every state machine of MedTalent is a `Machine` (a transition table) applied by ONE
function, `transition`, and asked by ONE function, `allowed_transitions`.

    APPLICATION = Machine(
        name="application",
        model=Application,
        transitions=(
            Transition(S.DRAFT, S.SUBMITTED, "applications.submit_application", label=_("Submit"), notify=("unit",)),
            …
        ),
        recipients=_application_recipients,     # (obj, audience) → users to tell
        lock=lambda qs: qs.select_related(…),   # what the checks and the audit need, locked with the row
        apply=_application_apply,               # (obj, transition, note, now) → extra fields it set
    )

    application = transition(APPLICATION, application, to=S.SUBMITTED, actor=user, note="")
    buttons = allowed_transitions(APPLICATION, application, user)   # views and the API decide what to show

`transition` locks the row (`SELECT … FOR UPDATE OF` the machine's table), checks that the move is in the table
and that the actor holds its permission on the locked object (django-rules), runs the machine's `check` (a
service's extra conditions, raising `ApplicationError`) and `apply`, saves with `update_fields`, writes one audit
row (from, to, actor, note), and after the transaction commits sends `transitioned`, which the notifications app
turns into notices and emails for the transition's audiences. Nothing is sent when the transaction rolls back.

core knows no domain app: machines are declared by the apps, the signal is received by whoever listens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log

logger = logging.getLogger(__name__)

# Sent after commit: machine, obj (the saved object), transition, actor, note.
transitioned = Signal()


@dataclass(frozen=True)
class Transition:
    """One allowed move: from `source` to `target` for whoever holds `permission` on the object."""

    source: str
    target: str
    permission: str
    label: str | Promise = ""  # the button ("Submit", "Recommend"); the target state's label when empty
    notify: tuple[str, ...] = ()  # audiences told after commit, resolved by the machine's `recipients`
    note_required: bool = False  # the actor must say why (a return, an early end)
    style: str = ""  # "primary" | "danger" | "": how the button looks

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)


def _no_recipients(obj: Any, audience: str) -> Iterable[Any]:
    return ()


def _no_extra_fields(obj: Any, move: Transition, note: str, now: Any) -> Sequence[str]:
    return ()


def _no_check(obj: Any, move: Transition, actor: Any, note: str) -> None:
    return None


@dataclass(frozen=True)
class Machine:
    """A state machine: a model, its state field, its transition table and what a move does besides the state."""

    name: str  # "application": audit action "application.transition", notice kind "application.submitted"
    model: type[models.Model]
    transitions: tuple[Transition, ...]
    state_field: str = "state"
    recipients: Callable[[Any, str], Iterable[Any]] = _no_recipients
    lock: Callable[[models.QuerySet], models.QuerySet] = lambda queryset: queryset
    check: Callable[[Any, Transition, Any, str], None] = _no_check  # raises ApplicationError
    apply: Callable[[Any, Transition, str, Any], Sequence[str]] = _no_extra_fields
    # The refusals the users read, in the machine's own words ("An application cannot go from … to …").
    cannot_message: str | Promise = ""  # with %(from)s and %(to)s
    denied_message: str | Promise = ""
    table: dict[tuple[str, str], Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = {}
        for move in self.transitions:
            if move.key in table:
                raise ValueError(f"{self.name}: {move.source} → {move.target} is declared twice")
            table[move.key] = move
        object.__setattr__(self, "table", table)

    def state_of(self, obj: Any) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(state, state))

    def moves_from(self, state: str) -> list[Transition]:
        return [move for move in self.transitions if move.source == state]

    def states_with_moves(self, permission: str | None = None) -> list[str]:
        """The states some transition (with that permission) leaves: what a to-do list looks for."""
        return sorted({m.source for m in self.transitions if permission is None or m.permission == permission})


def allowed_transitions(machine: Machine, obj: Any, user: Any) -> list[Transition]:
    """The moves `user` may make on `obj` now, in the table's order: the buttons a page or the API offers."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [move for move in machine.moves_from(machine.state_of(obj)) if user.has_perm(move.permission, obj)]


def transition_label(machine: Machine, move: Transition) -> str:
    return str(move.label) if move.label else machine.state_label(move.target)


@transaction.atomic
def transition(machine: Machine, obj: Any, *, to: str, actor: Any, note: str = "") -> Any:
    """Move `obj` to state `to` for `actor`, or raise: ApplicationError (not a move of the table, or the machine's
    conditions) or PermissionDenied (not the actor's to make). Returns the locked, saved object; `obj` gets the
    new state too."""
    model = machine.model
    locked = machine.lock(model._default_manager.select_for_update(of=("self",))).get(pk=obj.pk)
    source = machine.state_of(locked)
    move = machine.table.get((source, to))
    if move is None:
        # Translators: 中文：不能从“%(from)s”变为“%(to)s”。
        cannot = str(machine.cannot_message or _("This cannot go from “%(from)s” to “%(to)s”."))
        raise ApplicationError(
            cannot % {"from": machine.state_label(source), "to": machine.state_label(to)}, field="state"
        )
    if not actor.has_perm(move.permission, locked):
        # Translators: 中文：您无权进行此操作。
        raise PermissionDenied(str(machine.denied_message or _("You may not do this.")))
    note = (note or "").strip()
    if move.note_required and not note:
        # Translators: 中文：请说明原因。
        raise ApplicationError(_("Say why."), field="note")
    machine.check(locked, move, actor, note)
    now = timezone.now()
    setattr(locked, machine.state_field, to)
    fields = [machine.state_field, *machine.apply(locked, move, note, now)]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    locked.save(update_fields=list(dict.fromkeys(fields)))
    audit_log(actor=actor, action=f"{machine.name}.transition", obj=locked, from_state=source, to_state=to, note=note)
    setattr(obj, machine.state_field, to)
    transaction.on_commit(lambda: _announce(machine, locked, move, actor, note))
    return locked


def _announce(machine: Machine, obj: Any, move: Transition, actor: Any, note: str) -> None:
    """After commit: tell the listeners. A listener that fails (a mail server down) is logged, never undoes or
    breaks the user's action, which is already saved."""
    for receiver, result in transitioned.send_robust(
        sender=machine.model, machine=machine, obj=obj, transition=move, actor=actor, note=note
    ):
        if isinstance(result, Exception):
            logger.error(
                "After %s %s → %s of #%s: %r failed",
                machine.name,
                move.source,
                move.target,
                obj.pk,
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )
