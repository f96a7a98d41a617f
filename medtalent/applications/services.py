"""Writes for applications. Every change of state goes through `application_transition`, which applies the
machine `workflow.APPLICATION` with `core.workflow.transition`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.applications.application_rules import application_target_problem, live_applications
from medtalent.applications.enums import EDITABLE_STATES, ApplicationState
from medtalent.applications.models import Application, Preference
from medtalent.applications.workflow import APPLICATION, application_missing_fields  # noqa: F401 (the API of services)
from medtalent.catalog.models import Category, Offering, Round
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
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
    return application_transition(actor=actor, application=application, to=S.SUBMITTED)


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
    if not note.strip():
        raise ApplicationError(_("Give the reason for the exception."), field="exception_note")
    check_lengths(Application, {"exception_note": note.strip()})
    application.exception_note = note.strip()
    application.exception_by = actor
    application.exception_at = timezone.now()
    application.save(update_fields=["exception_note", "exception_by", "exception_at", "updated_at"])
    audit_log(actor=actor, action="application.exception", obj=application, note=application.exception_note)
    return application
