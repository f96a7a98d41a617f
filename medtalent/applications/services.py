"""Writes for applications. Every change of state goes through `application_transition`, which applies the
machine `workflow.APPLICATION` with `core.workflow.transition`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.applications.application_rules import (
    application_target_problem,
    duration_problem,
    live_applications,
    sending_unit_problem,
)
from medtalent.applications.enums import EDITABLE_STATES, ApplicationState
from medtalent.applications.models import Application, Preference, RuleConfirmation
from medtalent.applications.workflow import APPLICATION, application_missing_fields  # noqa: F401 (the API of services)
from medtalent.catalog.models import Category, Offering, Round
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.eligibility.selectors import eligibility_shown_for_application
from medtalent.eligibility.services import round_freeze_rules
from medtalent.people.models import Person

S = ApplicationState

# Fields the applicant edits on the form (autosaved as they type).
FORM_FIELDS = (
    "requested_duration",
    "requested_duration_unit",
    "requested_department",
    "intended_host",
    "reason",
    "plan_purpose",
    "plan_content",
    "plan_goals",
)


def application_transition(*, actor, application: Application, to: str, comment: str = "") -> Application:
    """Apply one transition of `APPLICATION`: the table and the actor's permission, the step's conditions (a
    submission's, see `workflow._application_check`), on the locked row; save, audit, notify after commit. The
    comment becomes the unit's opinion (a decision) or the audit row's note (a withdrawal)."""
    return transition(APPLICATION, application, to=to, actor=actor, note=comment)


@transaction.atomic
def application_create(*, actor, person: Person, round_: Round, category: Category | None = None) -> Application:
    """A draft application of `person` to a round (and category) of a programme."""
    if person.user_id != actor.pk and not actor.has_perm("people.change_person", person):
        raise PermissionDenied(_("You may not apply for this person."))
    if person.employer_id is None:
        raise ApplicationError(
            _("Fill in your employer in your profile first: applications go through your unit."), field="employer"
        )
    problem = application_target_problem(round_, category)
    if problem is not None:
        raise ApplicationError(problem, field="category")
    refusal = sending_unit_problem(programme=round_.programme, organisation=person.employer)
    if refusal:
        raise ApplicationError(refusal, field="employer")
    live = live_applications(round_id=round_.pk, category_id=category.pk if category else None)
    if live.filter(person=person).exists():
        raise ApplicationError(_("There is already an application for this round and category."), field="round")
    application = Application.objects.create(person=person, round=round_, category=category, unit_id=person.employer_id)
    audit_log(actor=actor, action="application.create", obj=application, to_state=S.DRAFT)
    return application


def _locked_for_edit(*, actor, application: Application) -> Application:
    """The application's row, locked, while the applicant may still edit it: an autosave racing the submission
    (another request) waits for it and then finds it submitted, so a submitted application never changes."""
    locked = Application.objects.select_for_update(of=("self",)).select_related("person").get(pk=application.pk)
    require_perm(actor, "applications.edit_application", locked, _("You may not edit this application."))
    if locked.state not in EDITABLE_STATES:
        application.state = locked.state
        raise ApplicationError(_("This application has been submitted and can no longer be edited."), field="state")
    return locked


@transaction.atomic
def application_update(*, actor, application: Application, data: dict) -> Application:
    """Save what the applicant typed (autosave): only form fields, only while the form is editable, checked on the
    locked row. One audit row per save that changed something, naming the fields (not their values)."""
    locked = _locked_for_edit(actor=actor, application=application)
    changed = [name for name in FORM_FIELDS if name in data and getattr(locked, name) != data[name]]
    check_lengths(Application, {name: data[name] for name in changed})
    if {"requested_duration", "requested_duration_unit"} & set(changed):
        problem = duration_problem(
            locked.round,
            locked.category,
            data.get("requested_duration", locked.requested_duration),
            data.get("requested_duration_unit", locked.requested_duration_unit),
        )
        if problem:
            raise ApplicationError(problem, field="requested_duration")
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="application.update", obj=locked, data={"fields": changed})
    for name in [*changed, "updated_at"]:
        setattr(application, name, getattr(locked, name))
    return application


@transaction.atomic
def application_set_preferences(*, actor, application: Application, offerings: Iterable[Offering]) -> None:
    """Replace the ordered list of preferred offerings (first = first choice), on the locked row while the form is
    editable. Nothing is written (nor logged) when the list is the same; a change is logged with both lists."""
    locked = _locked_for_edit(actor=actor, application=application)
    offerings = list(offerings)
    wrong = [o for o in offerings if o.round_id != locked.round_id]
    if wrong:
        raise ApplicationError(_("A preferred offering does not belong to this round."), field="preferences")
    if len({o.pk for o in offerings}) != len(offerings):
        raise ApplicationError(_("The same offering is chosen twice."), field="preferences")
    before = list(locked.preferences.order_by("rank").values_list("offering_id", flat=True))
    after = [o.pk for o in offerings]
    if before == after:
        return
    locked.preferences.all().delete()
    Preference.objects.bulk_create(
        [Preference(application=locked, offering=o, rank=rank) for rank, o in enumerate(offerings, start=1)]
    )
    audit_log(actor=actor, action="application.preferences", obj=locked, data={"before": before, "offerings": after})


def application_submit(*, actor, application: Application) -> Application:
    """Submit to the unit: the round must be open, the form complete, the person must have agreed to the
    privacy notice, and every blocking eligibility rule must pass unless a justified exception is recorded
    (`workflow._application_check`, on the locked row; the eligibility found is kept with the application).

    The permission first, then the state and the conditions; all before anything is written, so a refused
    submission changes nothing (not even the eligibility snapshot)."""
    require_perm(actor, "applications.submit_application", application, _("You may not do this with this application."))
    application = application_transition(actor=actor, application=application, to=S.SUBMITTED)
    round_freeze_rules(round_=application.round, actor=actor)  # the round keeps the rules it opened with
    return application


def application_withdraw(*, actor, application: Application, comment: str = "") -> Application:
    return application_transition(actor=actor, application=application, to=S.WITHDRAWN, comment=comment)


@transaction.atomic
def applications_decide(*, actor, applications: Iterable[Application], to: str, opinion: str) -> list[Application]:
    """The unit recommends, returns or rejects one or many applications with one opinion text.

    All or nothing: if any application may not be decided, none is changed.
    """
    if to not in (S.RECOMMENDED, S.RETURNED, S.REJECTED):
        raise ApplicationError(_("Choose recommend, return or reject."), field="decision")
    if to == S.RETURNED and not opinion.strip():
        raise ApplicationError(
            _("Say what the applicant should change when returning an application."), field="opinion"
        )
    return [application_transition(actor=actor, application=a, to=to, comment=opinion) for a in applications]


@transaction.atomic
def application_record_exception(*, actor, application: Application, note: str) -> Application:
    """The unit or the commission accepts an applicant who fails a rule, with the reason (logged)."""
    require_perm(
        actor, "applications.record_exception", application, _("You may not record an exception for this application.")
    )
    if not application.round.programme.equivalent_level_allowed:
        raise ApplicationError(
            # Translators: 中文：本项目不允许“同等学术、技术水平”例外。
            _("This programme does not allow exceptions for an equivalent academic or technical level."),
            field="exception_note",
        )
    if not note.strip():
        raise ApplicationError(_("Give the reason for the exception."), field="exception_note")
    check_lengths(Application, {"exception_note": note.strip()})
    application.exception_note = note.strip()
    application.exception_by = actor
    application.exception_at = timezone.now()
    application.save(update_fields=["exception_note", "exception_by", "exception_at", "updated_at"])
    audit_log(actor=actor, action="application.exception", obj=application, note=application.exception_note)
    return application


# ---- Rules the unit confirms ----------------------------------------------------------------------------------

# The rule kinds the facts cannot decide: pending until the sending unit confirms them for the application.
CONFIRMABLE_KINDS = frozenset({"language", "health", "other"})


def _outcomes(result) -> list:
    """The blocking outcomes of a result (an engine Result or its stored dict), groups' children included."""
    top = result.get("rules", []) if isinstance(result, dict) else result.rules
    found: list = []

    def walk(outcomes) -> None:
        for outcome in outcomes:
            found.append(outcome)
            walk(outcome.get("children", []) if isinstance(outcome, dict) else outcome.children)

    walk(top)
    return found


def confirmable_rule_ids(result) -> list[str]:
    """The ids of the pending rules in `result` that the unit may confirm (kinds the facts cannot decide)."""
    ids = []
    for outcome in _outcomes(result):
        if isinstance(outcome, dict):
            rule_id, kind, pending = outcome.get("rule"), outcome.get("kind"), outcome.get("pending")
        else:
            rule_id, kind, pending = outcome.rule_id, outcome.kind, outcome.pending
        if pending and kind in CONFIRMABLE_KINDS and rule_id:
            ids.append(rule_id)
    return ids


def _combine(kind: str, children: list[dict]) -> str:
    """A group's state from its children's (as eligibility.checks does)."""
    passed = any(c.get("passed") for c in children)
    pending = any(c.get("pending") for c in children)
    if kind == "all_of":
        failed = any(not c.get("passed") and not c.get("pending") for c in children)
        return "failed" if failed else "pending" if pending else "passed"
    if kind == "any_of":
        return "passed" if passed else "pending" if pending else "failed"
    return "failed" if passed else "pending" if pending else "passed"


def snapshot_with_confirmation(snapshot: dict, rule: str, message: str) -> dict:
    """The stored verdict with `rule` confirmed by the unit: that rule passed, the groups holding it and the
    verdict worked out again from their rules; nothing else of the stored verdict changes."""

    def visit(outcome: dict) -> dict:
        outcome = dict(outcome)
        if outcome.get("rule") == rule and outcome.get("pending"):
            outcome.update(passed=True, pending=False, confirmed=True, message=message)
        if "children" in outcome:
            outcome["children"] = [visit(child) for child in outcome["children"]]
            if outcome["children"]:
                state = _combine(outcome.get("kind", ""), outcome["children"])
                outcome.update(passed=state == "passed", pending=state == "pending")
        return outcome

    updated = dict(snapshot)
    updated["rules"] = [visit(o) for o in snapshot.get("rules", [])]
    failed = any(not o.get("passed") and not o.get("pending") for o in updated["rules"])
    pending = any(o.get("pending") for o in updated["rules"])
    updated["status"] = "ineligible" if failed else "pending" if pending else "eligible"
    updated["eligible"] = updated["status"] == "eligible"
    return updated


@transaction.atomic
def application_confirm_rule(*, actor, application: Application, rule: str, note: str = "") -> RuleConfirmation:
    """The sending unit confirms a rule the facts cannot decide (pending) for this application: it then shows as
    passed, "confirmed by the unit". Logged. A submitted application's stored verdict takes the confirmation."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "person", "unit")
        .get(pk=application.pk)
    )
    # Translators: 中文：只有申请人所在单位可以确认此条件。
    require_perm(actor, "applications.confirm_rule", locked, _("Only the applicant's unit can confirm this."))
    if locked.state == S.WITHDRAWN:
        # Translators: 中文：此申请已撤回。
        raise ApplicationError(_("This application has been withdrawn."), field="state")
    check_lengths(RuleConfirmation, {"note": note.strip()})
    result = eligibility_shown_for_application(application=locked)
    if rule not in confirmable_rule_ids(result):
        # Translators: 中文：此条件不在等待单位确认的条件之中。
        raise ApplicationError(_("This condition is not waiting for the unit's confirmation."), field="rule")
    confirmation, _created = RuleConfirmation.objects.get_or_create(
        application=locked, rule=rule, defaults={"note": note.strip(), "confirmed_by": actor}
    )
    if isinstance(result, dict):
        # Translators: 中文：单位已确认
        locked.eligibility_snapshot = snapshot_with_confirmation(result, rule, _("Confirmed by the unit"))
        locked.save(update_fields=["eligibility_snapshot", "updated_at"])
        application.eligibility_snapshot = locked.eligibility_snapshot
    audit_log(actor=actor, action="application.confirm_rule", obj=locked, data={"rule": rule}, note=note.strip())
    return confirmation
