"""Reads of the privacy app: the retention rules and what they keep of a person, the person's requests, what a
withdrawal of consent means for their applications, and everything we hold about a person (the download)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.applications.selectors import EDIT_ACTIONS
from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from medtalent.people.selectors import consents_of_person, person_profile
from medtalent.privacy.enums import OPEN_REQUEST_STATES, DeletionRequestState
from medtalent.privacy.models import DeletionRequest, RetentionRule
from medtalent.privacy.retention import (
    OPEN_APPLICATION_STATES,
    Answer,
    Hold,
    answer_for,
    expiry_for,
    holds_for,
)
from medtalent.stints.models import Stint


def retention_years() -> dict[str, int]:
    """Each scope's period in years, from the rules in the database."""
    return dict(RetentionRule.objects.values_list("scope", "years"))


def retention_rules() -> list[RetentionRule]:
    return list(RetentionRule.objects.order_by("scope"))


def _applications_qs() -> QuerySet[Application]:
    return Application.objects.select_related("round", "round__programme").only(
        "id",
        "person_id",
        "state",
        "submitted_at",
        "decided_at",
        "updated_at",
        "round__name_zh",
        "round__name_en",
        "round__programme__name_zh",
        "round__programme__name_en",
    )


def _stints_qs() -> QuerySet[Stint]:
    return Stint.objects.select_related("host").only(
        "id", "person_id", "state", "ends_on", "updated_at", "host__name_zh", "host__name_en"
    )


def person_holds(*, person: Person, years: dict[str, int] | None = None) -> list[Hold]:
    """The records that keep the person's data (2 queries, 3 without `years`)."""
    return holds_for(
        person=person,
        applications=_applications_qs().filter(person=person).order_by("id"),
        stints=_stints_qs().filter(person=person).order_by("id"),
        years=retention_years() if years is None else years,
    )


def deletion_answer(*, person: Person, today: dt.date) -> Answer:
    """What a deletion request of the person gets today."""
    return answer_for(holds=person_holds(person=person), today=today)


def deletion_requests_of_person(*, person: Person) -> list[DeletionRequest]:
    return list(DeletionRequest.objects.filter(person=person).order_by("-created_at", "-id"))


def open_deletion_request(*, person: Person) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(person=person, state__in=OPEN_REQUEST_STATES).first()


@dataclass(frozen=True)
class Expired:
    person: Person
    scope: str


def people_expired(*, today: dt.date, chunk_size: int = 500) -> Iterator[Expired]:
    """The people not yet anonymised whose every record's retention period has ended (never staff accounts).

    Reads in chunks: each chunk of people costs three queries (people, applications, stints)."""
    years = retention_years()
    people = (
        Person.objects.filter(anonymisation__isnull=True)
        .exclude(Q(user__is_staff=True) | Q(user__is_superuser=True))
        .select_related("user")
        .only("id", "name", "updated_at", "user__last_login", "user__is_staff", "user__is_superuser")
        .prefetch_related(
            Prefetch("applications", queryset=_applications_qs()), Prefetch("stints", queryset=_stints_qs())
        )
        .order_by("id")
    )
    for person in people.iterator(chunk_size=chunk_size):
        holds = holds_for(
            person=person, applications=person.applications.all(), stints=person.stints.all(), years=years
        )
        scope = expiry_for(holds=holds, today=today)
        if scope is not None:
            yield Expired(person=person, scope=scope)


def kept_requests_due(*, person: Person) -> list[DeletionRequest]:
    return list(DeletionRequest.objects.filter(person=person, state=DeletionRequestState.KEPT))


# ---- Withdrawal of consent --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WithdrawalEffect:
    """What withdrawing a consent does to the person's applications."""

    withdrawn: list[Application]  # submitted or returned: still in selection, withdrawn with the consent
    blocked: list[Application]  # drafts: kept, but cannot be submitted until the person agrees again
    decided: list[Application]  # recommended: the unit's decision stands (no move leaves it)


def withdrawal_effect(*, person: Person) -> WithdrawalEffect:
    applications = list(
        Application.objects.filter(person=person)
        .exclude(state__in=(ApplicationState.WITHDRAWN, ApplicationState.REJECTED))
        .select_related("round", "round__programme", "category")
        .order_by("-updated_at", "-id")
    )
    return WithdrawalEffect(
        withdrawn=[a for a in applications if a.state in OPEN_APPLICATION_STATES],
        blocked=[a for a in applications if a.state == ApplicationState.DRAFT],
        decided=[a for a in applications if a.state == ApplicationState.RECOMMENDED],
    )


# ---- The download: everything we hold about the person ----------------------------------------------------------


def _name(obj) -> str:
    return str(obj.name) if obj is not None else ""


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(*, user) -> dict | None:
    """Everything the platform holds about the logged-in person, in clear (it is their own), as plain data:
    profile, certificates, documents (the list), applications with their history, stints, consents, deletion
    requests. None when the user has no profile. A fixed number of queries whatever the rows."""
    person = person_profile(user=user)
    if person is None:
        return None
    applications = list(
        Application.objects.filter(person=person)
        .select_related("round", "round__programme", "category", "unit")
        .prefetch_related("preferences__offering__host")
        .order_by("created_at", "id")
    )
    history: dict[str, list[dict]] = {}
    events = (
        AuditEvent.objects.filter(
            object_type=Application._meta.label_lower, object_id__in=[str(a.pk) for a in applications]
        )
        .exclude(action__in=EDIT_ACTIONS)
        .order_by("created_at", "id")
    )
    for event in events:
        history.setdefault(event.object_id, []).append(
            {
                "at": event.created_at.isoformat(),
                "action": event.action,
                "from": event.from_state,
                "to": event.to_state,
                "note": event.note,
            }
        )
    stints = list(
        Stint.objects.filter(person=person).select_related("host", "home", "programme").order_by("starts_on", "id")
    )
    return {
        "profile": {
            "name": person.name,
            "sex": _name(person.sex),
            "ethnicity": _name(person.ethnicity),
            "political_status": _name(person.political_status),
            "birth_date": _date(person.birth_date),
            "id_number": person.id_number or "",
            "native_place": person.native_place,
            "education": _name(person.education),
            "degree": _name(person.degree),
            "graduated_from": person.graduated_from,
            "graduated_on": _date(person.graduated_on),
            "title": _name(person.title),
            "title_obtained_on": _date(person.title_obtained_on),
            "residency_completed": person.residency_completed,
            "specialty": _name(person.specialty),
            "employer": _name(person.employer),
            "department": person.department,
            "phone": person.phone or "",
            "email": person.email,
            "health_status": person.health_status or "",
            "designations": [_name(code) for code in person.designations.all()],
            "admin_years": person.admin_years,
            "teaching_experience": person.teaching_experience,
            "teaching_note": person.teaching_note,
            "language_self_assessment": person.language_self_assessment,
            "serious_incident_declared": person.serious_incident_declared,
            "serious_incident_confirmed": person.serious_incident_confirmed,
            "cv_text": person.cv_text or "",
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "language_certificates": [
            {"test": c.get_test_display(), "score": c.score, "taken_on": _date(c.taken_on)}
            for c in person.language_certificates.all()
        ],
        "documents": [
            {
                "kind": d.get_kind_display(),
                "file_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": d.uploaded_at.isoformat(),
            }
            for d in person.documents.all()
        ],
        "applications": [
            {
                "id": a.pk,
                "programme": _name(a.round.programme),
                "round": _name(a.round),
                "category": _name(a.category),
                "unit": _name(a.unit),
                "state": a.get_state_display(),
                "requested_duration": a.requested_duration,
                "requested_department": a.requested_department,
                "intended_host": a.intended_host,
                "reason": a.reason,
                "plan_purpose": a.plan_purpose,
                "plan_content": a.plan_content,
                "plan_goals": a.plan_goals,
                "unit_opinion": a.unit_opinion,
                "preferences": [_name(p.offering.host) for p in sorted(a.preferences.all(), key=lambda p: p.rank)],
                "created_at": a.created_at.isoformat(),
                "submitted_at": _date(a.submitted_at),
                "decided_at": _date(a.decided_at),
                "history": history.get(str(a.pk), []),
            }
            for a in applications
        ],
        "stints": [
            {
                "kind": s.get_kind_display(),
                "state": s.get_state_display(),
                "home": _name(s.home),
                "host": _name(s.host),
                "programme": _name(s.programme),
                "starts_on": _date(s.starts_on),
                "ends_on": _date(s.ends_on),
            }
            for s in stints
        ],
        "consents": [
            {
                "notice": c.notice.get_kind_display(),
                "version": c.notice.version,
                "agreed_at": c.agreed_at.isoformat(),
                "withdrawn_at": _date(c.withdrawn_at),
            }
            for c in consents_of_person(person=person)
        ],
        "deletion_requests": [
            {
                "state": r.get_state_display(),
                "requested_at": r.created_at.isoformat(),
                "kept_until": _date(r.kept_until),
                "refusal": r.refusal,
            }
            for r in deletion_requests_of_person(person=person)
        ],
    }
