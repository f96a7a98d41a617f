"""Writes for people: the profile, language certificates, documents, the unit's incident confirmation,
consent to the privacy notice and logged reveals of masked data."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import TEXT_NOTE, check_length, check_lengths
from medtalent.core.services import audit_log
from medtalent.people.enums import MASKED_FIELDS, DocumentKind
from medtalent.people.models import Consent, Document, LanguageCertificate, Person
from medtalent.people.selectors import current_privacy_notice
from medtalent.people.uploads import check_upload


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
    require_perm(actor, "people.reveal_person", person, _("You may not see this person's full data."))
    audit_log(actor=actor, action="person.reveal", obj=person, data={"field": field})
    return getattr(person, field) or ""


# ---- Profile ---------------------------------------------------------------------------------------------------

# The fields a person edits in their profile (the unit's confirmation of an incident is not one of them).
PROFILE_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "political_status",
    "birth_date",
    "id_number",
    "native_place",
    "education",
    "degree",
    "graduated_from",
    "graduated_on",
    "title",
    "title_obtained_on",
    "residency_completed",
    "specialty",
    "employer",
    "department",
    "phone",
    "email",
    "health_status",
    "admin_years",
    "teaching_experience",
    "teaching_note",
    "language_self_assessment",
    "serious_incident_declared",
    "cv_text",
)


def _default_name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_full_name() or user.get_username())[:50]


@transaction.atomic
@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    """A staff profile made by an administrator or a set-up command (not by the person): checked and audited."""
    person = Person(**fields)
    person.full_clean(exclude=["user"], validate_unique=True)
    person.save()
    audit_log(actor=actor, action="person.create", obj=person, data={"fields": sorted(fields)})
    return person


def person_get_or_create_for_user(*, user) -> Person:
    """The logged-in user's own profile, created (with their display name) on the first visit."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please log in."))
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(user=user, name=_default_name(user))
        audit_log(actor=user, action="person.create", obj=person)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> list[str]:
    """Write the given profile fields (already validated by the form); returns the names that changed.

    `data` maps names of PROFILE_FIELDS (and "designations", a list of codes) to values. The audit row lists
    the changed field names only: personal values never go into the log.
    """
    unknown = set(data) - {*PROFILE_FIELDS, "designations"}
    if unknown:
        raise ApplicationError(_("Unknown profile field."), field=sorted(unknown)[0])
    check_lengths(Person, {name: data[name] for name in PROFILE_FIELDS if name in data})
    # The permission is checked on the stored row: a form may already have changed `person` in memory.
    locked = Person.objects.select_for_update(of=("self",)).select_related("employer").get(pk=person.pk)
    require_perm(actor, "people.change_person", locked, _("You may not change this profile."))
    changed = [name for name in PROFILE_FIELDS if name in data and getattr(locked, name) != data[name]]
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    if "designations" in data:
        wanted = {code.pk for code in data["designations"]}
        if wanted != set(locked.designations.values_list("pk", flat=True)):
            locked.designations.set(wanted)
            changed.append("designations")
    if changed:
        audit_log(actor=actor, action="person.update", obj=locked, data={"fields": changed})
    for name in changed:
        if name != "designations":
            setattr(person, name, getattr(locked, name))
    return changed


@transaction.atomic
def person_save_language_certificates(*, actor, person: Person, rows: list[dict | None]) -> list[int | None]:
    """Apply the rows of the certificate form: update those with an id, create the new, delete the marked.

    Each row is {"id": int | None, "test", "score", "taken_on", "delete": bool}. An id that is not one of
    this person's certificates (already deleted in another tab, or somebody else's) is treated as a new row
    unless marked for deletion. Returns, row by row, the id the row has now (None when deleted or skipped),
    so an autosaving page can update its hidden ids and not create the same row twice.
    """
    if not actor.has_perm("people.change_person", person):
        raise PermissionDenied(_("You may not change this profile."))
    existing = {c.pk: c for c in LanguageCertificate.objects.select_for_update().filter(person=person)}
    result: list[int | None] = []
    created = updated = deleted = 0
    for row in rows:
        if row is None:  # an empty row the person did not fill in
            result.append(None)
            continue
        row_id = row.get("id")
        current = existing.pop(row_id, None) if row_id else None
        if row.get("delete"):
            if current is not None:
                current.delete()
                deleted += 1
            result.append(None)
            continue
        values = {"test": row["test"], "score": row["score"], "taken_on": row.get("taken_on")}
        if current is None:
            current = LanguageCertificate.objects.create(person=person, **values)
            created += 1
        else:
            changed = [name for name, value in values.items() if getattr(current, name) != value]
            if changed:
                for name in changed:
                    setattr(current, name, values[name])
                current.save(update_fields=changed)
                updated += 1
        result.append(current.pk)
    if created or updated or deleted:
        audit_log(
            actor=actor,
            action="person.language_certificates",
            obj=person,
            data={"created": created, "updated": updated, "deleted": deleted},
        )
    return result


@transaction.atomic
def person_confirm_incident(*, actor, person: Person, confirmed: bool, note: str = "") -> Person:
    """The unit records whether a serious medical incident is on record (True) or not (False)."""
    if not actor.has_perm("people.confirm_incident", person):
        raise PermissionDenied(_("Only the administrator of the person's unit can confirm this."))
    # Translators: 中文：备注
    check_length(note, limit=TEXT_NOTE, label=_("note"), field="note")  # the audit row's note
    locked = Person.objects.select_for_update().get(pk=person.pk)
    previous = locked.serious_incident_confirmed
    locked.serious_incident_confirmed = confirmed
    locked.save(update_fields=["serious_incident_confirmed", "updated_at"])
    audit_log(
        actor=actor,
        action="person.confirm_incident",
        obj=locked,
        from_state=_incident_state(previous),
        to_state=_incident_state(confirmed),
        note=note,
    )
    person.serious_incident_confirmed = confirmed
    return locked


def _incident_state(value: bool | None) -> str:
    return {None: "unchecked", True: "confirmed", False: "cleared"}[value]


# ---- Documents -------------------------------------------------------------------------------------------------


def document_add(*, actor, person: Person, kind: str, uploaded_file) -> Document:
    """Store an upload after checking its content; the file gets a random name in the private storage."""
    if not actor.has_perm("people.change_person", person):
        raise PermissionDenied(_("You may not add documents to this profile."))
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Choose what kind of document this is."), field="kind")
    try:
        checked = check_upload(uploaded_file, kind=kind)
    except ValidationError as error:
        raise ApplicationError(error.messages[0], field="file") from error
    original = os.path.basename(getattr(uploaded_file, "name", "") or "")[:200] or f"{kind}.{checked.extension}"
    document = Document(
        person=person,
        kind=kind,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    uploaded_file.seek(0)
    document.file.save(f"{kind}.{checked.extension}", uploaded_file, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_log(
                actor=actor,
                action="document.add",
                obj=document,
                data={"person": person.pk, "kind": kind, "content_type": checked.content_type, "size": checked.size},
            )
    except Exception:
        # No row, no file: a stored file without its row would never be found or served again.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    if not actor.has_perm("people.change_person", document.person):
        raise PermissionDenied(_("You may not delete documents of this profile."))
    name, storage = document.file.name, document.file.storage
    audit_log(
        actor=actor,
        action="document.delete",
        obj=document,
        data={"person": document.person_id, "kind": document.kind},
    )
    document.delete()
    if name:  # a document always has its file; a row without one has nothing to remove
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def person_profile_save(
    *,
    actor,
    person: Person,
    data: dict,
    certificate_rows: list[dict | None] | None = None,
    upload=None,
    upload_kind: str = "",
) -> tuple[list[str], list[int | None], Document | None]:
    """Save the whole profile form at once: fields, language certificates and an upload, all or nothing.

    Returns the changed field names, the certificate ids row by row and the new document (or None).
    """
    changed = person_update(actor=actor, person=person, data=data)
    ids = (
        person_save_language_certificates(actor=actor, person=person, rows=certificate_rows)
        if certificate_rows is not None
        else []
    )
    document = document_add(actor=actor, person=person, kind=upload_kind, uploaded_file=upload) if upload else None
    return changed, ids, document
