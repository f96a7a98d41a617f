"""Reads for people: profiles, consent, and what the caller may see."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Field, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import jurisdiction_q, organisation_ids_for_role
from medtalent.codes.idnumber import normalise_id_number
from medtalent.codes.models import Code
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation
from medtalent.orgs.selectors import organisations_search
from medtalent.people.enums import NoticeKind, ProposalState, VerifiedFact
from medtalent.people.fields import keyed_hash
from medtalent.people.masking import MASKERS
from medtalent.people.models import (
    Consent,
    Document,
    FactVerification,
    LanguageCertificate,
    Person,
    PrivacyNotice,
    ProfileChangeProposal,
    TitleRecord,
)


def current_privacy_notice(*, kind: str = NoticeKind.GENERAL) -> PrivacyNotice | None:
    """The newest version of the general notice, or of the sensitive-information notice (`kind`)."""
    return PrivacyNotice.objects.filter(kind=kind).order_by("-published_at", "-id").first()


def _has_live_consent(*, person: Person, kind: str) -> bool:
    notice = current_privacy_notice(kind=kind)
    return (
        notice is not None
        and person.pk is not None
        and Consent.objects.filter(person=person, notice=notice, withdrawn_at__isnull=True).exists()
    )


def person_has_current_consent(*, person: Person) -> bool:
    """The person agrees to the current general privacy notice (and has not withdrawn)."""
    return _has_live_consent(person=person, kind=NoticeKind.GENERAL)


def person_has_sensitive_consent(*, person: Person) -> bool:
    """The person agrees separately to the processing of their sensitive personal information (ID number, health
    status) under the current sensitive-information notice, and has not withdrawn. Needed before they enter those
    fields and before an application is submitted."""
    return _has_live_consent(person=person, kind=NoticeKind.SENSITIVE)


def consent_for(*, person: Person, notice: PrivacyNotice) -> Consent | None:
    """The person's live (not withdrawn) consent to this notice version."""
    return Consent.objects.filter(person=person, notice=notice, withdrawn_at__isnull=True).first()


def consents_of_person(*, person: Person) -> list[Consent]:
    """Every consent the person gave, live or withdrawn, with its notice; newest first."""
    return list(Consent.objects.filter(person=person).select_related("notice").order_by("-agreed_at", "-id"))


def person_for_user(*, user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Person.objects.select_related("employer", "employer__region", "title", "education", "sex")
        .filter(user=user)
        .first()
    )


def masked_value(*, person: Person, field: str) -> str:
    """The masked form of a personal field (3303**********123X, 138****5678)."""
    return MASKERS[field](getattr(person, field) or "")


def people_visible_to(*, user) -> QuerySet[Person]:
    """The user themself, their unit's staff, and people employed inside a commission's jurisdiction."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    visible = Q(user=user) | Q(employer_id__in=organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN))
    visible |= jurisdiction_q(user=user, region_field="employer__region__code")
    return Person.objects.filter(visible)


# ---- Pages -----------------------------------------------------------------------------------------------------

PERSON_RELATED = (
    "user",
    "sex",
    "ethnicity",
    "political_status",
    "education",
    "degree",
    "title",
    "specialty",
    "employer",
    "employer__region",
)


def person_profile(*, user) -> Person | None:
    """The logged-in person's profile with what the profile page shows, or None before the first visit."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _with_details(Person.objects.filter(user=user)).first()


def _with_details(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.select_related(*PERSON_RELATED).prefetch_related(
        Prefetch("designations", queryset=Code.objects.order_by("sort", "code")),
        Prefetch("language_certificates", queryset=LanguageCertificate.objects.order_by("-taken_on", "id")),
        Prefetch("title_records", queryset=TitleRecord.objects.select_related("title").order_by("obtained_on", "id")),
        Prefetch("documents", queryset=Document.objects.order_by("kind", "-uploaded_at", "-id")),
    )


def person_detail(*, user, pk: int) -> Person:
    """A person the user may see, with everything the detail page shows; 404 otherwise (existence hidden)."""
    person = _with_details(people_visible_to(user=user)).filter(pk=pk).first()
    if person is None or not user.has_perm("people.view_person", person):
        raise Http404("No such person.")
    return person


def unit_ids_for_admin(*, user) -> list[int]:
    return organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)


def people_for_unit_admin(*, user) -> QuerySet[Person]:
    """The people employed by the unit(s) the user administers, with what their list shows, by name."""
    units = unit_ids_for_admin(user=user)
    if not units:
        return Person.objects.none()
    return (
        Person.objects.filter(employer_id__in=units)
        .select_related("sex", "title", "education", "employer")
        .order_by("name", "id")
    )


def unit_departments(*, user) -> list[str]:
    """The departments named in the profiles of the user's unit(s), for the filter's suggestions."""
    units = unit_ids_for_admin(user=user)
    if not units:
        return []
    return list(
        Person.objects.filter(employer_id__in=units)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def person_documents_for_user(*, user, person: Person) -> list[Document] | None:
    """The documents of `person` as the person page lists them, for a user who may see the person, the same check as
    the download (`document_for_user`); None for anybody else (the page then says nothing about documents)."""
    if not user.has_perm("people.view_person", person):
        return None
    if not people_visible_to(user=user).filter(pk=person.pk).exists():
        return None
    return list(Document.objects.filter(person=person).order_by("kind", "-uploaded_at", "-id"))


def document_for_user(*, user, pk: int):
    """A document whose person the user may see, or None (the caller answers 404 and reveals nothing)."""
    document = (
        Document.objects.select_related("person", "person__employer", "person__employer__region")
        .filter(pk=pk, person__in=people_visible_to(user=user))
        .first()
    )
    if document is None or not user.has_perm("people.view_person", document.person):
        return None
    return document


# ---- Choices for the profile form ------------------------------------------------------------------------------


def profile_codes(*, table: str) -> QuerySet[Code]:
    """The codes of a national table for a select, current ones only, in the standard's order."""
    return Code.objects.filter(table__slug=table, valid_to__isnull=True).order_by("sort", "code")


def employer_choices(*, q: str = "", include_pk: int | None = None) -> QuerySet:
    """Chinese hospitals (kind hospital with a GB/T 2260 region), searchable by any name or alias; plus the
    organisation `include_pk` (a person's current employer) whatever it is."""
    hospitals = organisations_search(q=q, kind=OrganisationKind.HOSPITAL).filter(region__isnull=False)
    wanted = Q(pk__in=hospitals.values("pk"))
    if include_pk:
        wanted |= Q(pk=include_pk)
    return Organisation.objects.filter(wanted).select_related("region").order_by("region__code", "name_zh")


def person_by_id_number(*, id_number: str) -> Person | None:
    """The profile holding citizen ID number `id_number` (normalised: upper-case X), or None.

    The one look-up by ID number: callers never filter on the field themselves (it is encrypted at rest, and
    found through its keyed hash)."""
    digest = keyed_hash(id_number)
    if digest is None:
        return None
    return Person.objects.filter(id_number_hash=digest).first()


def people_by_id_numbers(*, id_numbers) -> dict[str, Person]:
    """The profiles holding these ID numbers, by normalised number (one query, through the keyed hash)."""
    by_hash = {digest: normalise_id_number(n) for n in id_numbers if (digest := keyed_hash(n))}
    return {by_hash[p.id_number_hash or ""]: p for p in Person.objects.filter(id_number_hash__in=list(by_hash))}


# ---- Change proposals ------------------------------------------------------------------------------------------


def pending_proposals(*, person: Person) -> list[ProfileChangeProposal]:
    """The changes proposed to the person's profile (by their unit's import) that wait for their answer."""
    if person is None or not person.pk:
        return []
    return list(
        ProfileChangeProposal.objects.filter(person=person, state=ProposalState.PENDING)
        .select_related("proposed_by")
        .order_by("created_at", "id")
    )


def person_field(name: str) -> Field:
    """A concrete field of Person by name (for the proposals, which name their field)."""
    return cast(Field, Person._meta.get_field(name))


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field in MASKERS:
        return MASKERS[field](str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(getattr(value, "name", value))


def pending_proposal_rows(*, person: Person) -> list[dict]:
    """The pending proposals as the profile page shows them: the field, the value now and the value proposed (the
    ID number and phone masked), who proposed and when. One query per kind of code shown."""
    proposals = pending_proposals(person=person)
    wanted: dict[Any, set[int]] = {}
    for p in proposals:
        model_field = person_field(p.field)
        if model_field.is_relation and p.proposed_value:
            wanted.setdefault(model_field.related_model, set()).add(int(p.proposed_value))
    objects = {model: model._default_manager.in_bulk(list(pks)) for model, pks in wanted.items()}
    rows = []
    for p in proposals:
        model_field = person_field(p.field)
        if model_field.is_relation:
            proposed = objects[model_field.related_model].get(int(p.proposed_value)) if p.proposed_value else None
        else:
            proposed = model_field.to_python(p.proposed_value) if p.proposed_value else None
        rows.append(
            {
                "proposal": p,
                "label": capfirst(model_field.verbose_name),
                "current": _display(p.field, getattr(person, p.field)),
                "proposed": _display(p.field, proposed),
            }
        )
    return rows


def proposals_count_for_import(*, import_job_id: int) -> int:
    return ProfileChangeProposal.objects.filter(import_job_id=import_job_id).count()


# ---- Verified facts --------------------------------------------------------------------------------------------


def fact_value(person: Person, fact: str) -> str:
    """The current value of a fact the unit verifies (people.enums.VerifiedFact): the title's code, the education's
    code, or the licence as "<obtained on>|<number>". "" when the profile does not state it. A verification holds
    while it was made of this same value."""
    if fact == VerifiedFact.TITLE:
        return person.title.code if person.title_id and person.title else ""
    if fact == VerifiedFact.EDUCATION:
        return person.education.code if person.education_id and person.education else ""
    if fact == VerifiedFact.LICENCE:
        if person.licence_obtained_on is None and not person.licence_number:
            return ""
        obtained = person.licence_obtained_on.isoformat() if person.licence_obtained_on else ""
        return f"{obtained}|{person.licence_number}"
    raise ValueError(f"Unknown verified fact: {fact!r}")


def verified_facts(*, person: Person) -> frozenset[str]:
    """The facts whose verification still holds: made of the value the profile states now (and not empty)."""
    verified = set()
    for fact, value in FactVerification.objects.filter(person=person).values_list("fact", "value"):
        current = fact_value(person, fact)
        if current and current == value:
            verified.add(fact)
    return frozenset(verified)


def fact_verifications(*, person: Person) -> list[dict]:
    """Each verifiable fact of the profile as the profile page shows it: the fact, its label, its current value,
    whether it is verified (the verification made of this value), by whom and when."""
    by_fact = {v.fact: v for v in FactVerification.objects.filter(person=person).select_related("verified_by")}
    rows = []
    for fact in VerifiedFact:
        current = fact_value(person, fact)
        verification = by_fact.get(fact)
        holds = bool(current) and verification is not None and verification.value == current
        rows.append(
            {
                "fact": fact.value,
                "label": fact.label,
                "value": current,
                "stated": bool(current),
                "verified": holds,
                "verification": verification if holds else None,
            }
        )
    return rows
