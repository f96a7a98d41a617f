"""Writes for people: the profile, language certificates, documents, the unit's incident confirmation,
consent to the privacy notice and logged reveals of masked data."""

from __future__ import annotations

import os
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import TEXT_NOTE, check_length, check_lengths
from medtalent.core.services import audit_log
from medtalent.people.enums import MASKED_FIELDS, DocumentKind, NoticeKind, ProposalState, VerifiedFact
from medtalent.people.facts_check import date_problem, language_result_problems
from medtalent.people.fields import encrypted_fields_of, hash_fields_of
from medtalent.people.models import (
    Consent,
    Document,
    FactVerification,
    LanguageCertificate,
    Person,
    ProfileChangeProposal,
    TitleRecord,
)
from medtalent.people.selectors import (
    current_privacy_notice,
    fact_value,
    person_by_id_number,
    person_field,
    person_has_sensitive_consent,
)
from medtalent.people.uploads import check_upload


@transaction.atomic
def consent_give(*, actor, person: Person, kind: str = NoticeKind.GENERAL) -> Consent:
    """Record that the person agrees to the current notice of `kind` (time and version are kept)."""
    if person.user_id != actor.pk:
        raise PermissionDenied(_("Only the person themself can agree to the privacy notice."))
    notice = current_privacy_notice(kind=kind)
    if notice is None:
        raise ApplicationError(_("There is no privacy notice to agree to yet."), field="consent")
    consent = Consent.objects.filter(person=person, notice=notice, withdrawn_at__isnull=True).first()
    if consent is None:
        consent = Consent.objects.create(person=person, notice=notice)
        audit_log(actor=actor, action="person.consent", obj=person, data={"notice": notice.version, "kind": kind})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, person: Person, kind: str) -> int:
    """The person withdraws their consent of `kind` (every live version); returns how many rows were withdrawn.

    The consent rows stay as the record of what was agreed when. What the withdrawal means for the person's
    applications is the privacy app's business (`privacy.services.consent_withdraw`), which calls this."""
    if person.user_id != actor.pk:
        # Translators: 中文：只有本人可以撤回同意。
        raise PermissionDenied(_("Only the person themself can withdraw their consent."))
    if kind not in NoticeKind.values:
        # Translators: 中文：未知的同意类型。
        raise ApplicationError(_("Unknown kind of consent."), field="kind")
    live = list(
        Consent.objects.select_for_update()
        .filter(person=person, notice__kind=kind, withdrawn_at__isnull=True)
        .select_related("notice")
    )
    if not live:
        # Translators: 中文：您没有可撤回的同意。
        raise ApplicationError(_("You have no consent of this kind to withdraw."), field="kind")
    now = timezone.now()
    Consent.objects.filter(pk__in=[c.pk for c in live]).update(withdrawn_at=now)
    audit_log(
        actor=actor,
        action="person.consent_withdraw",
        obj=person,
        data={"kind": kind, "notices": sorted(c.notice.version for c in live)},
    )
    return len(live)


# The fields that are sensitive personal information (PIPL art. 28): entered by the person only after their
# separate consent (`person_has_sensitive_consent`).
SENSITIVE_FIELDS = ("id_number", "health_status")


def _check_sensitive_consent(*, actor, person: Person, changed: list[str], data: dict) -> None:
    """The person themself may not enter an ID number or health status without the separate consent."""
    entered = [name for name in SENSITIVE_FIELDS if name in changed and data.get(name)]
    if entered and person.user_id == actor.pk and not person_has_sensitive_consent(person=person):
        raise ApplicationError(
            # Translators: 中文：填写身份证号码或健康状况前，请先单独同意敏感个人信息的处理。
            _(
                "Before you enter your ID number or health status, please agree separately to the processing of your sensitive personal information."
            ),
            field=entered[0],
        )


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The unmasked value of a masked field, for those allowed; every reveal leaves an audit row."""
    if field not in MASKED_FIELDS:
        raise ApplicationError(_("This field is not masked."), field=field)
    require_perm(actor, "people.reveal_person", person, _("You may not see this person's full data."))
    audit_log(actor=actor, action="person.reveal", obj=person, data={"field": field})
    return getattr(person, field) or ""


# ---- The ID number: one profile per number, looked up through its keyed hash ----------------------------------

# An ID number held by another profile. The message neither says that the number is on file nor where or whose it
# is: the refusal itself cannot be avoided (one profile per ID number), but whoever types somebody else's number
# learns no name, no unit and not whether that profile has an account, and the message is the same whatever the
# other profile is; the person whose number it is (a profile their unit imported) is sent to the one who can link
# it, their unit.
# Translators: 中文：此身份证号码无法使用。如果这是您本人的号码，请联系您所在单位的管理员。
ID_NUMBER_UNAVAILABLE = _lazy("This ID number cannot be used. If it is yours, ask your unit's administrator.")


def _check_id_number_free(*, id_number: str | None, person_pk: int | None) -> None:
    holder = person_by_id_number(id_number=id_number or "")
    if holder is not None and holder.pk != person_pk:
        raise ApplicationError(str(ID_NUMBER_UNAVAILABLE), field="id_number")


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
    "licence_number",
    "licence_obtained_on",
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
    _check_id_number_free(id_number=person.id_number, person_pk=None)
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
    _check_sensitive_consent(actor=actor, person=locked, changed=changed, data=data)
    if "id_number" in changed:
        _check_id_number_free(id_number=data["id_number"], person_pk=locked.pk)
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


def _row_write(model, person: Person, values: dict, current):
    """One row of a profile formset written: created when new, else only its changed fields saved. Returns the row
    and "created", "updated" or "" (unchanged)."""
    if current is None:
        return model.objects.create(person=person, **values), "created"
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current, ""
    for name in changed:
        setattr(current, name, values[name])
    current.save(update_fields=changed)
    return current, "updated"


@transaction.atomic
def person_save_language_certificates(*, actor, person: Person, rows: list[dict | None]) -> list[int | None]:
    """Apply the rows of the certificate form: update those with an id, create the new, delete the marked.

    Each row is {"id": int | None, "test", "score", "level", "taken_on", "delete": bool}. An id that is not one of
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
        values = {
            "test": row["test"],
            "score": (row.get("score") or "").strip(),
            "level": (row.get("level") or "").strip().upper(),
            "taken_on": row.get("taken_on"),
        }
        problems = language_result_problems(**values)
        if problems:
            field, message = next(iter(problems.items()))
            raise ApplicationError(message, field=field)
        current, change = _row_write(LanguageCertificate, person, values, current)
        created += change == "created"
        updated += change == "updated"
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
def person_save_title_records(*, actor, person: Person, rows: list[dict | None]) -> list[int | None]:
    """Apply the rows of the earlier-titles form as `person_save_language_certificates` does its rows: each row is
    {"id": int | None, "title": Code, "obtained_on": date, "delete": bool}. Returns the ids row by row."""
    if not actor.has_perm("people.change_person", person):
        raise PermissionDenied(_("You may not change this profile."))
    existing = {r.pk: r for r in TitleRecord.objects.select_for_update().filter(person=person)}
    result: list[int | None] = []
    created = updated = deleted = 0
    pending: list[tuple[int, dict, TitleRecord | None]] = []
    for row in rows:
        if row is None:
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
        problem = date_problem(row.get("obtained_on"))
        if problem:
            raise ApplicationError(problem, field="obtained_on")
        pending.append((len(result), {"title": row["title"], "obtained_on": row["obtained_on"]}, current))
        result.append(None)
    titles = [values["title"].pk for _index, values, _current in pending]
    if len(titles) != len(set(titles)):
        # Translators: 中文：同一职称只能填写一次。
        raise ApplicationError(_("This title is listed twice."), field="title")
    # Rows not sent keep their titles: a new row may not repeat one of them either.
    kept = {r.title_id for r in existing.values()}
    if kept & set(titles):
        # Translators: 中文：同一职称只能填写一次。
        raise ApplicationError(_("This title is listed twice."), field="title")
    for index, values, current in pending:
        current, change = _row_write(TitleRecord, person, values, current)
        created += change == "created"
        updated += change == "updated"
        result[index] = current.pk
    if created or updated or deleted:
        audit_log(
            actor=actor,
            action="person.title_records",
            obj=person,
            data={"created": created, "updated": updated, "deleted": deleted},
        )
    return result


# ---- Facts the unit verified -----------------------------------------------------------------------------------


@transaction.atomic
def fact_verify(*, actor, person: Person, fact: str) -> FactVerification:
    """The unit that employs the person verified a fact of the profile (title, education, licence) against the
    original: the verification holds while the fact keeps the value it has now."""
    if fact not in VerifiedFact.values:
        # Translators: 中文：未知的核验项目。
        raise ApplicationError(_("Unknown fact to verify."), field="fact")
    locked = Person.objects.select_for_update(of=("self",)).select_related("title", "education").get(pk=person.pk)
    # Translators: 中文：只有此人所在单位的管理员可以核验。
    require_perm(actor, "people.verify_fact", locked, _("Only the administrator of the person's unit can verify."))
    value = fact_value(locked, fact)
    if not value:
        # Translators: 中文：档案中尚未填写此项，无法核验。
        raise ApplicationError(_("The profile does not state this yet: there is nothing to verify."), field="fact")
    verification, _created = FactVerification.objects.update_or_create(
        person=locked, fact=fact, defaults={"value": value, "verified_by": actor}
    )
    audit_log(actor=actor, action="person.verify_fact", obj=locked, data={"fact": fact})
    return verification


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
    if not actor.has_perm("people.delete_document", document):
        raise PermissionDenied(document_delete_refusal(actor=actor, document=document))
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


def document_delete_refusal(*, actor, document: Document) -> str:
    """Why `actor` may not delete `document` (the view and the service say the same)."""
    if actor.has_perm("people.change_person", document.person):
        # Translators: 中文：本人上传的文件只能由本人删除。
        return _("A document the person uploaded themself can only be deleted by them.")
    return _("You may not delete documents of this profile.")


# ---- Changes proposed to a person who keeps their own profile --------------------------------------------------

# What an import may propose: the profile fields except the ID number (the key of the row).
PROPOSABLE_FIELDS = tuple(name for name in PROFILE_FIELDS if name != "id_number")


def _is_empty(value) -> bool:
    return value is None or value == ""


def proposal_text(field: str, value) -> str:
    """A field's value as the text a proposal keeps: a code's pk, an ISO date, "1"/"0", a number, a text."""
    model_field = person_field(field)
    if value is None:
        return ""
    if model_field.is_relation:
        return str(getattr(value, "pk", value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def proposal_value(field: str, text: str):
    """The value a proposal's text stands for, as `person_update` takes it (a Code for a code field)."""
    model_field = person_field(field)
    if text == "":
        return None if model_field.null else ""
    if model_field.is_relation:
        related: Any = model_field.related_model
        value = related._default_manager.filter(pk=int(text)).first()
        if value is None:
            # Translators: 中文：建议的值已不存在，无法接受。
            raise ApplicationError(_("The proposed value no longer exists and cannot be accepted."), field=field)
        return value
    return model_field.to_python(text)


def profile_changes_split(
    *, person: Person, values: dict, actor, import_job_id: int | None = None
) -> tuple[dict, list[ProfileChangeProposal]]:
    """What an import may write into `person` (field name → value) and what it may only propose (unsaved rows).

    A profile without an account is the unit's to keep: everything is written. Once the person has an account
    they keep their own profile: an empty field is filled, a field they filled in is never overwritten; a
    different value becomes a proposal the person accepts or rejects on their profile page. `values` uses model
    field names (a code field as a Code or its pk)."""
    unknown = set(values) - set(PROPOSABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown profile field."), field=sorted(unknown)[0])
    if person.user_id is None:
        return dict(values), []
    write: dict = {}
    proposals: list[ProfileChangeProposal] = []
    for name, value in values.items():
        attname = person_field(name).attname
        current = getattr(person, attname)
        new = getattr(value, "pk", value) if attname != name else value
        if current == new:
            continue
        if _is_empty(current):
            write[name] = value
        else:
            proposals.append(
                ProfileChangeProposal(
                    person=person,
                    field=name,
                    proposed_value=proposal_text(name, new),
                    proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
                    import_job_id=import_job_id,
                )
            )
    return write, proposals


@transaction.atomic
def proposals_save(*, actor, proposals: list[ProfileChangeProposal], import_job_id: int | None = None) -> int:
    """Store the proposals of `profile_changes_split` (one INSERT per 500) with an audit row per person, naming
    the fields, never the values. Returns how many."""
    if not proposals:
        return 0
    ProfileChangeProposal.objects.bulk_create(proposals, batch_size=500)
    by_person: dict[int, tuple[Person, set[str]]] = {}
    for proposal in proposals:
        by_person.setdefault(proposal.person_id, (proposal.person, set()))[1].add(proposal.field)
    for person, fields in by_person.values():
        audit_log(
            actor=actor,
            action="person.proposals_made",
            obj=person,
            data={"fields": sorted(fields), "import_job": import_job_id},
        )
    return len(proposals)


@transaction.atomic
def proposals_decide(*, actor, person: Person, proposal_ids: list[int] | None, accept: bool) -> list[str]:
    """The person accepts or rejects pending proposals (these ids, or all when None). Accepted values are written
    through `person_update` (its checks and audit row); each decision leaves an audit row naming the fields, never
    the values. Returns the fields decided."""
    if person.user_id is None or person.user_id != actor.pk:
        # Translators: 中文：只有本人可以处理对其档案的修改建议。
        raise PermissionDenied(_("Only the person themself can decide on changes proposed to their profile."))
    pending = ProfileChangeProposal.objects.select_for_update().filter(person=person, state=ProposalState.PENDING)
    if proposal_ids is not None:
        pending = pending.filter(pk__in=proposal_ids)
    proposals = list(pending.order_by("created_at", "id"))
    if not proposals:
        # Translators: 中文：没有待处理的修改建议。
        raise ApplicationError(_("There is no pending proposed change to decide."), field="proposal")
    if accept:
        data = {p.field: proposal_value(p.field, p.proposed_value) for p in proposals}  # the newest wins
        person_update(actor=actor, person=person, data=data)
    ProfileChangeProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        state=ProposalState.ACCEPTED if accept else ProposalState.REJECTED, decided_at=timezone.now()
    )
    fields = sorted({p.field for p in proposals})
    audit_log(
        actor=actor,
        action="person.proposals_accept" if accept else "person.proposals_reject",
        obj=person,
        data={"fields": fields, "proposals": [p.pk for p in proposals]},
    )
    return fields


@transaction.atomic
def person_profile_save(
    *,
    actor,
    person: Person,
    data: dict,
    certificate_rows: list[dict | None] | None = None,
    title_rows: list[dict | None] | None = None,
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
    if title_rows is not None:
        person_save_title_records(actor=actor, person=person, rows=title_rows)
    document = document_add(actor=actor, person=person, kind=upload_kind, uploaded_file=upload) if upload else None
    return changed, ids, document


# ---- Key rotation of the encrypted fields ----------------------------------------------------------------------


def field_keys_rotate(*, chunk: int = 500) -> dict[str, int]:
    """Write every row of every model with encrypted fields again: each value is encrypted with the newest key
    (the first salt of FIELD_ENCRYPTION_SALTS with SECRET_KEY) and each keyed hash computed with FIELD_HASH_KEY.
    Rows are read with any key the settings still hold; one transaction per `chunk` rows, so a rotation that stops
    can simply be run again. Returns the rows written per model (app_label.Model)."""
    written: dict[str, int] = {}
    for model in apps.get_models():
        encrypted = encrypted_fields_of(model)
        if not encrypted:
            continue
        hashed = hash_fields_of(model)
        names = [f.name for f in encrypted] + [f.name for f in hashed]
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), chunk):
            with transaction.atomic():
                rows = list(model._default_manager.select_for_update().filter(pk__in=pks[start : start + chunk]))
                for row in rows:
                    for field in hashed:
                        setattr(row, field.attname, field.pre_save(row, False))
                model._default_manager.bulk_update(rows, names)
        written[model._meta.label] = len(pks)
    return written
