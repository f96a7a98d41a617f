"""Writes of the privacy app: withdrawing a consent (with what it means for the person's applications), the data
download's audit row, deletion requests answered by the retention rules, and anonymisation."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.applications.models import Application
from medtalent.applications.services import application_withdraw
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.people import services as people_services
from medtalent.people.models import Document, Person
from medtalent.privacy.enums import DeletionRequestState as D
from medtalent.privacy.models import Anonymisation, DeletionRequest
from medtalent.privacy.retention import Hold
from medtalent.privacy.selectors import (
    deletion_answer,
    kept_requests_due,
    open_deletion_request,
    withdrawal_effect,
)
from medtalent.privacy.workflow import DELETION_REQUEST

# What anonymisation clears on the profile (through the model: encrypted fields included); the name is replaced.
CLEARED = {"id_number": None, "phone": "", "email": "", "health_status": "", "cv_text": "", "birth_date": None}
ANONYMISED_FIELDS = ("name", *CLEARED)


def anonymous_name(person: Person) -> str:
    return f"已匿名 #{person.pk}"


# ---- Consent ------------------------------------------------------------------------------------------------------


@transaction.atomic
def consent_withdraw(*, actor, person: Person, kind: str) -> list[Application]:
    """The person withdraws their general or sensitive-information consent. Applications still in selection
    (submitted, or returned to them) are withdrawn through the application workflow; drafts stay but cannot be
    submitted until they agree again (the submission checks both consents). Returns the withdrawn applications."""
    require_perm(actor, "privacy.exercise_rights", person, _("Only the person themself can withdraw their consent."))
    effect = withdrawal_effect(person=person)
    people_services.consent_withdraw(actor=actor, person=person, kind=kind)
    # Translators: 中文：申请人撤回了对个人信息处理的同意。
    note = _("The applicant withdrew their consent to the processing of their personal information.")
    for application in effect.withdrawn:
        application_withdraw(actor=actor, application=application, comment=note)
    return effect.withdrawn


# ---- Download ----------------------------------------------------------------------------------------------------


def data_download_log(*, actor, person: Person, fmt: str) -> None:
    """Every download of a person's data leaves an audit row (the format, never the data)."""
    require_perm(actor, "privacy.exercise_rights", person, _("You may download only your own data."))
    audit_log(actor=actor, action="person.data_download", obj=person, data={"format": fmt})


# ---- Deletion ----------------------------------------------------------------------------------------------------


def _refusal(holds: list[Hold]) -> str:
    labels = "；".join(h.label for h in holds if h.label) or "—"
    # Translators: 中文：您有正在进行的报名或进修（%(records)s）。请先撤回报名或待进修结束后再申请删除。
    return _(
        "You have applications in selection or stints planned or under way (%(records)s). Withdraw the "
        "applications or wait until the stints end, then ask again."
    ) % {"records": labels}


@transaction.atomic
def deletion_request_create(
    *, actor, person: Person, reason: str = "", today: dt.date | None = None
) -> DeletionRequest:
    """The person asks to delete their data; the retention rules answer at once (`deletion_request_answer`)."""
    require_perm(actor, "privacy.exercise_rights", person, _("Only the person themself can ask to delete their data."))
    check_lengths(DeletionRequest, {"reason": reason})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one request at a time per person
    if open_deletion_request(person=person) is not None:
        # Translators: 中文：您已有一项未办结的删除申请。
        raise ApplicationError(_("You already have an open deletion request."), field="reason")
    if Anonymisation.objects.filter(person=person).exists():
        # Translators: 中文：您的数据已匿名化。
        raise ApplicationError(_("Your data has already been anonymised."), field="reason")
    request = DeletionRequest.objects.create(person=person, reason=reason.strip())
    audit_log(actor=actor, action="deletion_request.create", obj=request, data={"person": person.pk})
    return deletion_request_answer(actor=actor, request=request, today=today or timezone.localdate())


@transaction.atomic
def deletion_request_answer(*, actor, request: DeletionRequest, today: dt.date) -> DeletionRequest:
    """Answer a request from the rules: refused while a record is in progress; kept until the latest end of the
    periods of the records kept; completed (the person anonymised now) when nothing is kept."""
    person = request.person
    answer = deletion_answer(person=person, today=today)
    changes = {"holds": [h.as_dict() for h in answer.holds], "answered_at": timezone.now()}
    if answer.state == D.REFUSED:
        reason = _refusal(answer.holds)
        return transition(
            DELETION_REQUEST, request, to=D.REFUSED, actor=actor, note=reason, changes={**changes, "refusal": reason}
        )
    if answer.state == D.KEPT:
        return transition(
            DELETION_REQUEST, request, to=D.KEPT, actor=actor, changes={**changes, "kept_until": answer.kept_until}
        )
    person_anonymise(actor=actor, person=person, scope="request")
    return transition(DELETION_REQUEST, request, to=D.COMPLETED, actor=actor, changes=changes)


@transaction.atomic
def person_anonymise(*, actor, person: Person, scope: str) -> bool:
    """Anonymise a person: name → 已匿名 #id; ID number, phone, email, health status, CV and date of birth cleared
    (through the model, so encrypted fields are written as such); their documents' files deleted; their account
    deactivated and emptied. The audit row names the fields, never their values. False when already done."""
    locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if Anonymisation.objects.filter(person=locked).exists():
        return False
    cleared = {**CLEARED, "name": anonymous_name(locked)}
    for name, value in cleared.items():
        setattr(locked, name, value)  # through the model: an encrypted field is written encrypted
    locked.save(update_fields=[*ANONYMISED_FIELDS, "updated_at"])
    documents = list(Document.objects.filter(person=locked))
    names = [(d.file.storage, d.file.name) for d in documents if d.file.name]
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    for storage, name in names:
        transaction.on_commit(partial(storage.delete, name))
    account = False
    if locked.user_id:
        user = get_user_model().objects.select_for_update().get(pk=locked.user_id)
        user.is_active = False
        user.set_unusable_password()
        user.username = f"anonymised-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.display_name = ""
        user.save(
            update_fields=["is_active", "password", "username", "email", "first_name", "last_name", "display_name"]
        )
        account = True
    Anonymisation.objects.create(
        person=locked, scope=scope, actor=actor if getattr(actor, "is_authenticated", False) else None
    )
    audit_log(
        actor=actor,
        action="person.anonymise",
        obj=locked,
        data={"scope": scope, "fields": list(ANONYMISED_FIELDS), "documents": len(documents), "account": account},
    )
    person.name = locked.name
    return True


@transaction.atomic
def person_anonymise_expired(*, actor, person: Person, scope: str) -> bool:
    """`anonymise_expired`: anonymise one person whose retention ended, and complete their kept request."""
    done = person_anonymise(actor=actor, person=person, scope=scope)
    for request in kept_requests_due(person=person):
        transition(DELETION_REQUEST, request, to=D.COMPLETED, actor=actor)
    return done
