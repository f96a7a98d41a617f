"""Reads for people: profiles, consent, and what the caller may see."""

from __future__ import annotations

from django.db.models import QuerySet

from medtalent.people.masking import MASKERS
from medtalent.people.models import Consent, Person, PrivacyNotice


def current_privacy_notice() -> PrivacyNotice | None:
    return PrivacyNotice.objects.order_by("-published_at", "-id").first()


def person_has_current_consent(*, person: Person) -> bool:
    notice = current_privacy_notice()
    return notice is not None and Consent.objects.filter(person=person, notice=notice).exists()


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
    from django.db.models import Q

    from medtalent.accounts.enums import Role
    from medtalent.accounts.selectors import jurisdiction_q, organisation_ids_for_role

    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    visible = Q(user=user) | Q(employer_id__in=organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN))
    visible |= jurisdiction_q(user=user, region_field="employer__region__code")
    return Person.objects.filter(visible)
