"""The state machines of applications: an application (draft → submitted → recommended / returned / rejected,
withdrawn by the applicant) and a unit's import job (pending → running → done / failed, moved by the worker).

Both are applied by `core.workflow`; `services.application_transition` and the import (`imports.py`) call it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.accounts.enums import Role
from medtalent.accounts.models import User
from medtalent.accounts.selectors import commission_admins_covering, users_with_role
from medtalent.applications.application_rules import duration_problem
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application, ImportJob
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import check_lengths
from medtalent.core.workflow import Machine, Step, Transition
from medtalent.eligibility.facts import INELIGIBLE
from medtalent.eligibility.selectors import eligibility_for_application
from medtalent.people.selectors import person_has_current_consent, person_has_sensitive_consent

S = ApplicationState
SUBMIT = "applications.submit_application"
DECIDE = "applications.decide_application"
WITHDRAW = "applications.withdraw_application"

# Fields that must be filled in before the application goes to the unit (the official form prints them).
REQUIRED_TO_SUBMIT = ("requested_duration", "reason", "plan_purpose", "plan_content", "plan_goals")
DECISIONS = (S.RECOMMENDED, S.RETURNED, S.REJECTED)


def application_missing_fields(*, application: Application) -> list[str]:
    """The form fields still empty that a submission needs, in the order of the form."""
    missing = []
    for name in REQUIRED_TO_SUBMIT:
        value = getattr(application, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


def _application_recipients(application: Application, audience: str):
    """applicant: the person's account; unit: the sending unit's administrators; commission: the commission
    administrators who manage the programme (its owner inside their jurisdiction)."""
    if audience == "applicant":
        return User.objects.filter(pk=application.person.user_id, is_active=True)
    if audience == "unit":
        return users_with_role(role=Role.UNIT_ADMIN, organisations=[application.unit_id])
    if audience == "commission":
        return commission_admins_covering(organisations=[application.round.programme.owner])
    raise ValueError(f"application: unknown audience {audience!r}")


def _application_check(step: Step) -> None:
    """A decision's opinion fits the form; a submission needs an open round, a complete form, the person's consent
    to the current privacy notice, and every blocking eligibility rule passed unless a justified exception is
    recorded. The eligibility found is kept with the application (`apply`)."""
    application = step.obj
    # The note becomes the unit's opinion (a decision) or the audit row's note (a withdrawal).
    check_lengths(Application, {"unit_opinion": step.note}, fields={"unit_opinion": "opinion"})
    if step.move.target == S.RECOMMENDED:
        _check_nothing_pending(application)
    if step.move.target != S.SUBMITTED:
        return
    if not application.round.is_open_on(timezone.localdate()):
        raise ApplicationError(_("Applications for this round are not open."), field="round")
    missing = application_missing_fields(application=application)
    if missing:
        raise ApplicationError(
            _("Please fill in this field before submitting."), field=missing[0], extra={"missing": missing}
        )
    if not person_has_current_consent(person=application.person):
        raise ApplicationError(_("Please read and agree to the privacy notice first."), field="consent")
    if not person_has_sensitive_consent(person=application.person):
        raise ApplicationError(
            # Translators: 中文：请先单独同意敏感个人信息（身份证号码、健康状况）的处理。
            _("Please agree separately to the processing of your sensitive personal information first."),
            field="consent",
        )
    result = eligibility_for_application(application=application)
    # A rule the facts cannot decide (pending) does not stop a submission: the unit confirms it afterwards.
    if result.status == INELIGIBLE and not application.exception_note:
        raise ApplicationError(
            _("You do not meet every condition of this category: %(reasons)s")
            % {"reasons": "；".join(r.message for r in result.failed)},
            field="eligibility",
        )
    problem = duration_problem(
        application.round, application.category, application.requested_duration, application.requested_duration_unit
    )
    if problem:
        raise ApplicationError(problem, field="requested_duration")
    application.eligibility_snapshot = result.as_dict()  # saved by `apply` with the move


def _pending_messages(outcomes: list) -> list[str]:
    """The messages of the pending rules in a stored verdict's outcomes, groups' members included."""
    found = []
    for outcome in outcomes:
        if outcome.get("pending") and not outcome.get("children"):
            found.append(outcome.get("message", ""))
        found.extend(_pending_messages(outcome.get("children") or []))
    return found


def _check_nothing_pending(application: Application) -> None:
    """A recommendation vouches for every condition: the rules the unit checks (pending in the verdict stored at
    submission) are confirmed first, on the application's page."""
    stored = application.eligibility_snapshot or {}
    if stored.get("status") != "pending":
        return
    pending = _pending_messages(stored.get("rules") or [])
    raise ApplicationError(
        # Translators: 中文：推荐前请先确认由单位审核的条件：%(rules)s
        _("Confirm the conditions the unit checks before recommending: %(rules)s")
        % {"rules": "；".join(m for m in pending if m) or "—"},
        field="eligibility",
    )


def _application_apply(step: Step) -> list[str]:
    application, target = step.obj, step.move.target
    if target == S.SUBMITTED:
        application.submitted_at = step.now
        return ["submitted_at", "eligibility_snapshot"]
    if target in DECISIONS:
        application.decided_at = step.now
        if step.note:
            application.unit_opinion = step.note
            return ["decided_at", "unit_opinion"]
        return ["decided_at"]
    return []


# The buttons, in the words the pages have always used.
# Translators: 中文：提交至本单位
SUBMIT_LABEL = gettext_lazy("Submit to my unit")
# Translators: 中文：撤回此申请
WITHDRAW_LABEL = gettext_lazy("Withdraw this application")

APPLICATION = Machine(
    name="application",
    model=Application,
    transitions=(
        Transition(S.DRAFT, S.SUBMITTED, SUBMIT, label=SUBMIT_LABEL, notify=("unit",), style="primary"),
        Transition(S.RETURNED, S.SUBMITTED, SUBMIT, label=SUBMIT_LABEL, notify=("unit",), style="primary"),
        Transition(
            S.SUBMITTED,
            S.RECOMMENDED,
            DECIDE,
            # Translators: 中文：推荐
            label=gettext_lazy("Recommend"),
            notify=("applicant", "commission"),
            style="primary",
        ),
        Transition(
            S.SUBMITTED,
            S.RETURNED,
            DECIDE,
            # Translators: 中文：退回申请人修改
            label=gettext_lazy("Return to the applicant"),
            notify=("applicant",),
            note_required=True,
            note_message=gettext_lazy("Say what the applicant should change when returning an application."),
        ),
        Transition(
            S.SUBMITTED,
            S.REJECTED,
            DECIDE,
            # Translators: 中文：不予推荐
            label=gettext_lazy("Reject"),
            notify=("applicant",),
            style="danger",
        ),
        Transition(S.DRAFT, S.WITHDRAWN, WITHDRAW, label=WITHDRAW_LABEL, style="danger"),
        Transition(S.SUBMITTED, S.WITHDRAWN, WITHDRAW, label=WITHDRAW_LABEL, notify=("unit",), style="danger"),
        Transition(S.RETURNED, S.WITHDRAWN, WITHDRAW, label=WITHDRAW_LABEL, notify=("unit",), style="danger"),
    ),
    recipients=_application_recipients,
    # What the rules (applicant, unit, commission over the unit or the programme), the checks and a notice read.
    lock=lambda qs: qs.select_related("person", "unit__region", "round__programme__owner__region", "category"),
    check=_application_check,
    apply=_application_apply,
    link=lambda application: reverse("applications:detail", args=[application.pk]),
    cannot_message=gettext_lazy("An application cannot go from “%(from)s” to “%(to)s”."),
    denied_message=gettext_lazy("You may not do this with this application."),
)


# ---- the import job: moved by the background worker only (system moves, `core.workflow.advance`) ----------------

J = ImportJob.State


def _import_job_recipients(job: ImportJob, audience: str):
    """uploader: whoever uploaded the file."""
    if audience == "uploader":
        return User.objects.filter(pk=job.uploaded_by_id, is_active=True)
    raise ValueError(f"import_job: unknown audience {audience!r}")


IMPORT_JOB = Machine(
    name="import_job",
    model=ImportJob,
    transitions=(
        Transition(J.PENDING, J.RUNNING, ""),  # a worker claims the job
        Transition(J.RUNNING, J.DONE, "", notify=("uploader",)),  # every row written
        Transition(J.RUNNING, J.FAILED, "", notify=("uploader",)),  # a problem: nothing written
        Transition(J.PENDING, J.FAILED, "", notify=("uploader",)),  # no worker ran it (core.workers reaps it)
    ),
    recipients=_import_job_recipients,
    link=lambda job: reverse("imports:job", args=[job.pk]),
)
