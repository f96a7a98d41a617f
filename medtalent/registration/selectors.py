"""Reads for registration: an invitation by its link, the requests and staff of a unit administrator's units
(404 outside them), a person's own requests, the count of failed claims, the staff accounts locked out."""

from __future__ import annotations

import datetime as dt
import hashlib

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from medtalent.accounts.models import User
from medtalent.core.search import text_match_q
from medtalent.orgs.models import Organisation
from medtalent.people.models import Person
from medtalent.registration.enums import InvitationState, RequestKind, RequestState
from medtalent.registration.models import AccountRequest, ClaimAttempt, Invitation
from medtalent.registration.rules import unit_ids


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256 (the token has 256 random bits: no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation whose link carries `token` (whatever its state), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("person", "unit", "unit__region").filter(token_hash=token_hash(token)).first()
    )


# ---- A unit administrator's page --------------------------------------------------------------------------------


def _units_or_404(user) -> list[int]:
    units = sorted(unit_ids(user))
    if not units:
        raise Http404("Not a unit administrator.")
    return units


def unit_ids_or_404(*, user) -> list[int]:
    """The user's units as a unit administrator; 404 for anyone else."""
    return _units_or_404(user)


def units_of_admin(*, user) -> QuerySet[Organisation]:
    """The user's units, by name (the staff list's unit filter shows names, never codes)."""
    return Organisation.objects.filter(pk__in=_units_or_404(user)).order_by("name_zh", "code")


def requests_for_unit(*, user) -> QuerySet[AccountRequest]:
    """The requests waiting for one of the user's units, oldest first (404 for anyone but a unit administrator)."""
    units = _units_or_404(user)
    return (
        AccountRequest.objects.filter(unit_id__in=units, state=RequestState.PENDING)
        .select_related("user", "person", "unit")
        .order_by("created_at", "id")
    )


def account_request_for_unit_admin(*, user, pk: int) -> AccountRequest:
    request = requests_for_unit(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such request.")
    return request


def staff_without_account(*, user, q: str = "") -> QuerySet[Person]:
    """The staff of the user's units who have no account, by name, each with its pending invitation (if any)."""
    units = _units_or_404(user)
    people = Person.objects.filter(employer_id__in=units, user__isnull=True)
    for term in q.split()[:5]:
        people = people.filter(text_match_q(term, "name"))
    pending = Invitation.objects.filter(state=InvitationState.PENDING)
    return (
        people.select_related("employer")
        .prefetch_related(Prefetch("invitations", queryset=pending, to_attr="pending_invitations"))
        .order_by("name", "id")
    )


def person_to_invite(*, user, pk: int) -> Person:
    """A person of the user's units (404 otherwise, and for a unit administrator of another unit)."""
    units = _units_or_404(user)
    person = Person.objects.select_related("employer").filter(pk=pk, employer_id__in=units).first()
    if person is None:
        raise Http404("No such person.")
    return person


def invitations_for_unit(*, user) -> QuerySet[Invitation]:
    """The invitations of the user's units still waiting to be accepted (expired ones too: they may be resent)."""
    units = _units_or_404(user)
    return (
        Invitation.objects.filter(unit_id__in=units, state=InvitationState.PENDING)
        .select_related("person", "unit", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitation_for_unit_admin(*, user, pk: int) -> Invitation:
    invitation = invitations_for_unit(user=user).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def _failure_limit() -> int:
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    return limit if isinstance(limit, int) else 3


def _cool_off() -> dt.timedelta | None:
    try:
        return get_cool_off(None)
    except (TypeError, AttributeError):  # a cool-off computed from the request: count every attempt
        return None


def locked_usernames(*, usernames: list[str]) -> set[str]:
    """Of `usernames`, those locked out now by django-axes (failed logins at or above AXES_FAILURE_LIMIT within
    the cool-off), in one query."""
    if not usernames:
        return set()
    attempts = AccessAttempt.objects.filter(username__in=usernames)
    cool_off = _cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    totals = attempts.values("username").annotate(failures=Sum("failures_since_start"))
    limit = _failure_limit()
    return {row["username"] for row in totals if (row["failures"] or 0) >= limit}


def locked_staff_accounts(*, user) -> list[User]:
    """The accounts of the user's staff that are locked out after failed logins: two queries."""
    units = _units_or_404(user)
    cool_off = _cool_off()
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    staff = User.objects.filter(
        person__employer_id__in=units, is_superuser=False, username__in=attempts.values("username")
    ).exclude(pk=user.pk)
    accounts = list(staff.select_related("person").order_by("username"))
    locked = locked_usernames(usernames=[a.username for a in accounts])
    return [a for a in accounts if a.username in locked]


def staff_account_for_unit_admin(*, user, pk: int) -> User:
    """An account whose profile is employed by one of the user's units (404 otherwise)."""
    units = _units_or_404(user)
    account = User.objects.filter(pk=pk, person__employer_id__in=units).first()
    if account is None:
        raise Http404("No such account.")
    return account


def pending_registrations_count(*, user) -> int:
    units = sorted(unit_ids(user))
    if not units:
        return 0
    return AccountRequest.objects.filter(unit_id__in=units, state=RequestState.PENDING).count()


# ---- The person ---------------------------------------------------------------------------------------------------


def requests_of_user(*, user) -> QuerySet[AccountRequest]:
    """The user's own requests, newest first."""
    if not getattr(user, "is_authenticated", False):
        return AccountRequest.objects.none()
    return AccountRequest.objects.filter(user=user).select_related("unit", "person").order_by("-created_at", "-id")


def pending_request_of_user(*, user) -> AccountRequest | None:
    return requests_of_user(user=user).filter(state=RequestState.PENDING).first()


def claim_failures(*, user=None, ip_address: str | None = None) -> int:
    """Failed claims in the window (REGISTRATION_CLAIM_WINDOW_HOURS) by the account, or from the address."""
    since = timezone.now() - dt.timedelta(hours=settings.REGISTRATION_CLAIM_WINDOW_HOURS)
    attempts = ClaimAttempt.objects.filter(at__gte=since, succeeded=False)
    if user is not None:
        return attempts.filter(user=user).count()
    if ip_address:
        return attempts.filter(ip_address=ip_address).count()
    return 0


def registrations_from(*, ip_address: str | None) -> int:
    """Self-registrations from the address in the window."""
    if not ip_address:
        return 0
    since = timezone.now() - dt.timedelta(hours=settings.REGISTRATION_CLAIM_WINDOW_HOURS)
    return AccountRequest.objects.filter(
        kind=RequestKind.REGISTRATION, ip_address=ip_address, created_at__gte=since
    ).count()


def profile_of(*, user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def profile_is_replaceable(*, person: Person) -> bool:
    """Whether the account's profile may give way to a claimed one: an empty profile (made by self-registration
    or on a first visit of the profile page) with no ID number, to which nothing points but consents and account
    requests (no application, document, certificate, stint …)."""
    if person.id_number:
        return False
    allowed = {"people.consent", "registration.accountrequest", "registration.invitation"}
    for relation in person._meta.related_objects:
        if relation.related_model._meta.label_lower in allowed or relation.many_to_many:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: person}).exists():
            return False
    return True
