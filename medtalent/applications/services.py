"""Writes for applications. Every change of state goes through `application_transition`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.applications.enums import EDITABLE_STATES, ApplicationState
from medtalent.applications.models import Application, Preference
from medtalent.catalog.models import Category, Offering, Round
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.people.models import Person

S = ApplicationState

# The application state machine: (from, to) → the permission the actor needs on the application.
APPLICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "applications.submit_application",
    (S.RETURNED, S.SUBMITTED): "applications.submit_application",
    (S.SUBMITTED, S.RECOMMENDED): "applications.decide_application",
    (S.SUBMITTED, S.RETURNED): "applications.decide_application",
    (S.SUBMITTED, S.REJECTED): "applications.decide_application",
    (S.DRAFT, S.WITHDRAWN): "applications.withdraw_application",
    (S.SUBMITTED, S.WITHDRAWN): "applications.withdraw_application",
    (S.RETURNED, S.WITHDRAWN): "applications.withdraw_application",
}

# Fields the applicant edits on the form (autosaved as they type).
FORM_FIELDS = (
    "requested_duration",
    "requested_duration_unit",
    "requested_department",
    "reason",
    "plan_purpose",
    "plan_content",
    "plan_goals",
)


@transaction.atomic
def application_transition(*, actor, application: Application, to: str, comment: str = "") -> Application:
    """Apply one transition: check the table and the actor's permission, lock, save, audit."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("person", "unit__region", "round__programme__owner")
        .get(pk=application.pk)
    )
    permission = APPLICATION_TRANSITIONS.get((locked.state, to))
    if permission is None:
        raise ApplicationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": locked.get_state_display(), "to": ApplicationState(to).label},
            field="state",
        )
    if not actor.has_perm(permission, locked):
        raise PermissionDenied(_("You may not do this with this application."))
    # The comment becomes the unit's opinion (a decision) or the audit row's note (a withdrawal).
    check_lengths(Application, {"unit_opinion": comment}, fields={"unit_opinion": "opinion"})
    previous = locked.state
    locked.state = to
    fields = ["state", "updated_at"]
    now = timezone.now()
    if to == S.SUBMITTED:
        locked.submitted_at = now
        fields.append("submitted_at")
    if to in (S.RECOMMENDED, S.RETURNED, S.REJECTED):
        locked.decided_at = now
        fields.append("decided_at")
        if comment:
            locked.unit_opinion = comment
            fields.append("unit_opinion")
    locked.save(update_fields=fields)
    audit_log(actor=actor, action="application.transition", obj=locked, from_state=previous, to_state=to, note=comment)
    application.state = to
    return locked


@transaction.atomic
def application_create(*, actor, person: Person, round_: Round, category: Category | None = None) -> Application:
    """A draft application of `person` to a round (and category) of a programme."""
    if person.user_id != actor.pk and not actor.has_perm("people.change_person", person):
        raise PermissionDenied(_("You may not apply for this person."))
    if person.employer_id is None:
        raise ApplicationError(
            _("Fill in your employer in your profile first: applications go through your unit."), field="employer"
        )
    if category is not None and category.programme_id != round_.programme_id:
        raise ApplicationError(_("This category does not belong to the programme of this round."), field="category")
    if category is None and round_.programme.categories.exists():
        raise ApplicationError(_("Choose a category: this programme has several."), field="category")
    live = Application.objects.filter(person=person, round=round_, category=category).exclude(state=S.WITHDRAWN)
    if live.exists():
        raise ApplicationError(_("There is already an application for this round and category."), field="round")
    application = Application.objects.create(person=person, round=round_, category=category, unit_id=person.employer_id)
    audit_log(actor=actor, action="application.create", obj=application, to_state=S.DRAFT)
    return application


@transaction.atomic
def application_update(*, actor, application: Application, data: dict) -> Application:
    """Save what the applicant typed (autosave): only form fields, only while the form is editable."""
    if not actor.has_perm("applications.edit_application", application):
        raise PermissionDenied(_("You may not edit this application."))
    if application.state not in EDITABLE_STATES:
        raise ApplicationError(_("This application has been submitted and can no longer be edited."), field="state")
    changed = [name for name in FORM_FIELDS if name in data and getattr(application, name) != data[name]]
    check_lengths(Application, {name: data[name] for name in changed})
    for name in changed:
        setattr(application, name, data[name])
    if changed:
        application.save(update_fields=[*changed, "updated_at"])
    return application


@transaction.atomic
def application_set_preferences(*, actor, application: Application, offerings: Iterable[Offering]) -> None:
    """Replace the ordered list of preferred offerings (first = first choice)."""
    if not actor.has_perm("applications.edit_application", application):
        raise PermissionDenied(_("You may not edit this application."))
    if application.state not in EDITABLE_STATES:
        raise ApplicationError(_("This application has been submitted and can no longer be edited."), field="state")
    offerings = list(offerings)
    wrong = [o for o in offerings if o.round_id != application.round_id]
    if wrong:
        raise ApplicationError(_("A preferred offering does not belong to this round."), field="preferences")
    if len({o.pk for o in offerings}) != len(offerings):
        raise ApplicationError(_("The same offering is chosen twice."), field="preferences")
    application.preferences.all().delete()
    Preference.objects.bulk_create(
        [Preference(application=application, offering=o, rank=rank) for rank, o in enumerate(offerings, start=1)]
    )


# Fields that must be filled in before the application goes to the unit (the official form prints them).
REQUIRED_TO_SUBMIT = ("requested_duration", "reason", "plan_purpose", "plan_content", "plan_goals")


def application_missing_fields(*, application: Application) -> list[str]:
    """The form fields still empty that a submission needs, in the order of the form."""
    missing = []
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit to the unit: the round must be open, the form complete, the person must have agreed to the
    privacy notice, and every blocking eligibility rule must pass unless a justified exception is recorded.

    Atomic, and the permission and the state are checked before anything is written, so a refused
    submission changes nothing (not even the eligibility snapshot)."""
    from medtalent.eligibility.selectors import eligibility_for_application
    from medtalent.people.selectors import person_has_current_consent

    if not actor.has_perm("applications.submit_application", application):
        raise PermissionDenied(_("You may not do this with this application."))
    if (application.state, S.SUBMITTED) not in APPLICATION_TRANSITIONS:
        raise ApplicationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": application.get_state_display(), "to": S.SUBMITTED.label},
            field="state",
        )
    today = timezone.localdate()
    if not application.round.is_open_on(today):
        raise ApplicationError(_("Applications for this round are not open."), field="round")
    missing = application_missing_fields(application=application)
    if missing:
        raise ApplicationError(
            _("Please fill in this field before submitting."), field=missing[0], extra={"missing": missing}
        )
    if not person_has_current_consent(person=application.person):
        raise ApplicationError(_("Please read and agree to the privacy notice first."), field="consent")
    result = eligibility_for_application(application=application)
    if not result.eligible and not application.exception_note:
        raise ApplicationError(
            _("You do not meet every condition of this category: %(reasons)s")
            % {"reasons": "；".join(r.message for r in result.rules if not r.passed)},
            field="eligibility",
        )
    Application.objects.filter(pk=application.pk).update(eligibility_snapshot=result.as_dict())
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
    if not actor.has_perm("applications.record_exception", application):
        raise PermissionDenied(_("You may not record an exception for this application."))
    if not note.strip():
        raise ApplicationError(_("Give the reason for the exception."), field="exception_note")
    check_lengths(Application, {"exception_note": note.strip()})
    application.exception_note = note.strip()
    application.exception_by = actor
    application.exception_at = timezone.now()
    application.save(update_fields=["exception_note", "exception_by", "exception_at", "updated_at"])
    audit_log(actor=actor, action="application.exception", obj=application, note=application.exception_note)
    return application
