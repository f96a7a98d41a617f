"""Writes for people: consent to the privacy notice and logged reveals of masked data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log
from medtalent.people.enums import MASKED_FIELDS
from medtalent.people.models import Consent, Person
from medtalent.people.selectors import current_privacy_notice


@transaction.atomic
def consent_give(*, actor, person: Person) -> Consent:
    """Record that the person agrees to the current privacy notice (time and version are kept)."""
    if person.user_id != actor.pk:
        raise PermissionDenied(_("Only the person themself can agree to the privacy notice."))
    notice = current_privacy_notice()
    if notice is None:
        raise ApplicationError(_("There is no privacy notice to agree to yet."), field="consent")
    consent, created = Consent.objects.get_or_create(person=person, notice=notice)
    if created:
        audit_log(actor=actor, action="person.consent", obj=person, data={"notice": notice.version})
    return consent


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The unmasked value of a masked field, for those allowed; every reveal leaves an audit row."""
    if field not in MASKED_FIELDS:
        raise ApplicationError(_("This field is not masked."), field=field)
    if not actor.has_perm("people.reveal_person", person):
        raise PermissionDenied(_("You may not see this person's full data."))
    audit_log(actor=actor, action="person.reveal", obj=person, data={"field": field})
    return getattr(person, field) or ""
