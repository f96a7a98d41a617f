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
        check=_application_check,               # (step) → None, or raise ApplicationError
        apply=_application_apply,               # (step) → the extra fields it set on step.obj
    )

    application = transition(APPLICATION, application, to=S.SUBMITTED, actor=user, note="")
    buttons = allowed_transitions(APPLICATION, application, user)   # views and the API decide what to show

`transition` locks the row (`SELECT … FOR UPDATE OF` the machine's table), checks that the move is in the table
and that the actor holds its permission on the locked object (django-rules), runs the machine's `check` (a
service's extra conditions, raising `ApplicationError`) and `apply`, saves with `update_fields`, writes one audit
row (from, to, actor, note), and after the transaction commits sends `transitioned`, which the notifications app
turns into notices and emails for the transition's audiences. Nothing is sent when the transaction rolls back.
`check` and `apply` get one `Step`: the locked object, the move, the actor, the note, the time, and the `context`
the calling service passed (e.g. `today` for a date window); a service may also pass `changes`, values of other
fields it sets with the move (an approval: who and when), set on the locked object before `check` runs.

A transition with `permission=""` is a system move: only a service makes it (a background job, the consequence
of another move), no permission is checked, the actor may be None, and `allowed_transitions` never offers it.
`advance` makes a system move as one conditional UPDATE (`… WHERE state IN (…)`) for work that must not wait for
a lock: two workers never both claim the same job.

core knows no domain app: machines are declared by the apps, the signal is received by whoever listens.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    note_message: str | Promise = ""  # the refusal when that note is missing ("Say why the stint ended early.")
    style: str = ""  # "primary" | "danger" | "": how the button looks

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)

    @property
    def system(self) -> bool:
        """A move only a service makes (no permission: a background job, the consequence of another move)."""
        return not self.permission


@dataclass(frozen=True)
class Step:
    """One move being made, as the machine's `check` and `apply` see it."""

    obj: Any  # the locked object, with the service's `changes` set; its state is still the source
    move: Transition
    actor: Any  # the user, or None for a system move
    note: str  # stripped
    now: dt.datetime
    context: Mapping[str, Any]  # what the calling service passed: `today` for a window, …


def _no_recipients(obj: Any, audience: str) -> Iterable[Any]:
    return ()


def _no_extra_fields(step: Step) -> Sequence[str]:
    return ()


def _no_check(step: Step) -> None:
    return None


def _describe(obj: Any) -> str:
    return str(obj)


def _link(obj: Any) -> str:
    get_absolute_url = getattr(obj, "get_absolute_url", None)
    return get_absolute_url() if callable(get_absolute_url) else ""


@dataclass(frozen=True)
class Machine:
    """A state machine: a model, its state field, its transition table and what a move does besides the state."""

    name: str  # "application": audit action "application.transition", notice kind "application.submitted"
    model: type[models.Model]
    transitions: tuple[Transition, ...]
    state_field: str = "state"
    recipients: Callable[[Any, str], Iterable[Any]] = _no_recipients
    lock: Callable[[models.QuerySet], models.QuerySet] = lambda queryset: queryset
    check: Callable[[Step], None] = _no_check  # the service's extra conditions: raises ApplicationError
    apply: Callable[[Step], Sequence[str]] = _no_extra_fields  # sets other fields of step.obj, names them
    # What a notice names and links to (in the recipient's language, which is active when they are called):
    # describe(obj) → "张三 · 2025 round", link(obj) → the object's page as a path ("/applications/7/").
    describe: Callable[[Any], str] = _describe
    link: Callable[[Any], str] = _link
    # The refusals the users read, in the machine's own words ("An application cannot go from … to …").
    cannot_message: str | Promise = ""  # with %(from)s and %(to)s
    denied_message: str | Promise = ""
    # The audit row's action when it is not "<name>.transition" (kept from before the core: "programme.status").
    audit_action: str = ""
    table: dict[tuple[str, str], Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = {}
        for move in self.transitions:
            if move.key in table:
                raise ValueError(f"{self.name}: {move.source} → {move.target} is declared twice")
            table[move.key] = move
        object.__setattr__(self, "table", table)

    @property
    def action(self) -> str:
        return self.audit_action or f"{self.name}.transition"

    def state_of(self, obj: Any) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, state: str) -> str:
        choices = dict(getattr(self.model._meta.get_field(self.state_field), "flatchoices", ()))
        return str(choices.get(state, state))

    def moves_from(self, state: str) -> list[Transition]:
        return [move for move in self.transitions if move.source == state]

    def states_with_moves(self, permission: str | None = None) -> list[str]:
        """The states some user's transition (with that permission) leaves: what a to-do list looks for. System
        moves are nobody's to-do."""
        return sorted(
            {m.source for m in self.transitions if not m.system and (permission is None or m.permission == permission)}
        )


def allowed_transitions(machine: Machine, obj: Any, user: Any) -> list[Transition]:
    """The moves `user` may make on `obj` now, in the table's order: the buttons a page or the API offers. System
    moves are never offered."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        move
        for move in machine.moves_from(machine.state_of(obj))
        if not move.system and user.has_perm(move.permission, obj)
    ]


def transition_label(machine: Machine, move: Transition) -> str:
    return str(move.label) if move.label else machine.state_label(move.target)


def _cannot(machine: Machine, source: str, to: str) -> ApplicationError:
    # Translators: 中文：不能从“%(from)s”变为“%(to)s”。
    cannot = str(machine.cannot_message or _("This cannot go from “%(from)s” to “%(to)s”."))
    return ApplicationError(
        cannot % {"from": machine.state_label(source), "to": machine.state_label(to)}, field=machine.state_field
    )


@transaction.atomic
def transition(
    machine: Machine,
    obj: Any,
    *,
    to: str,
    actor: Any,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> Any:
    """Move `obj` to state `to` for `actor`, or raise: ApplicationError (not a move of the table, or the machine's
    conditions) or PermissionDenied (not the actor's to make). Returns the locked, saved object; `obj` gets the
    new state (and every other field the move saved) too.

    `changes`: values of other fields the calling service sets with the move (checked by the service), set on the
    locked object before the machine's `check`. `context`: what the machine's `check` and `apply` may read
    (`step.context`). A system move (`permission=""`) checks no permission: the service making it answers for
    it, and `actor` may be None; any other move refuses an actor without the permission, and None."""
    model = machine.model
    locked = machine.lock(model._default_manager.select_for_update(of=("self",))).get(pk=obj.pk)
    source = machine.state_of(locked)
    move = machine.table.get((source, to))
    if move is None:
        raise _cannot(machine, source, to)
    if not move.system and (actor is None or not actor.has_perm(move.permission, locked)):
        # Translators: 中文：您无权进行此操作。
        raise PermissionDenied(str(machine.denied_message or _("You may not do this.")))
    note = (note or "").strip()
    if move.note_required and not note:
        # Translators: 中文：请说明原因。
        raise ApplicationError(str(move.note_message or _("Say why.")), field="note")
    changes = dict(changes or {})
    for name, value in changes.items():
        setattr(locked, name, value)
    step = Step(obj=locked, move=move, actor=actor, note=note, now=timezone.now(), context=dict(context or {}))
    machine.check(step)
    fields = [*changes, *machine.apply(step)]
    setattr(locked, machine.state_field, to)
    fields = [machine.state_field, *fields]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    fields = list(dict.fromkeys(fields))
    locked.save(update_fields=fields)
    audit_log(actor=actor, action=machine.action, obj=locked, from_state=source, to_state=to, note=note)
    if obj is not locked:
        for name in fields:
            setattr(obj, name, getattr(locked, name))
    transaction.on_commit(lambda: _announce(machine, locked, move, actor, note))
    return locked


@transaction.atomic
def advance(
    machine: Machine,
    obj: Any,
    *,
    to: str,
    values: Mapping[str, Any] | None = None,
    actor: Any = None,
    note: str = "",
) -> bool:
    """Make a system move as ONE conditional UPDATE, without waiting for a lock: `obj` goes to `to` (with
    `values` for other fields) only if its row is still in a state from which the table has a system move to
    `to` (`UPDATE … SET state = 'running' WHERE pk = 7 AND state = 'pending'`). So two workers never both claim
    a job, and a job that another process finished is not finished again. No `check` or `apply` runs.

    True if the row moved: `obj` then holds the new values, the audit row is written (in the same transaction) and
    `transitioned` is sent after commit. False if the row was in no such state (another process moved it first):
    nothing is written."""
    sources = [m.source for m in machine.transitions if m.target == to and m.system]
    if not sources:
        raise ValueError(f"{machine.name}: no system move to {to}")
    values = dict(values or {})
    if "updated_at" not in values and any(f.name == "updated_at" for f in machine.model._meta.concrete_fields):
        values["updated_at"] = timezone.now()  # what `save()` would set; UPDATE does not
    manager = machine.model._default_manager
    # The state the object was read in first (the usual case), then the others: one UPDATE per source state,
    # each atomic, so the audit row names the state the row really left.
    current = machine.state_of(obj)
    for source in sorted(sources, key=lambda state: state != current):
        moved = manager.filter(pk=obj.pk, **{machine.state_field: source}).update(**{machine.state_field: to}, **values)
        if moved:
            break
    else:
        return False
    setattr(obj, machine.state_field, to)
    for name, value in values.items():
        setattr(obj, name, value)
    move = machine.table[(source, to)]
    note = (note or "").strip()
    audit_log(actor=actor, action=machine.action, obj=obj, from_state=source, to_state=to, note=note)
    transaction.on_commit(lambda: _announce(machine, obj, move, actor, note))
    return True


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
