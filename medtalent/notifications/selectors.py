"""Reads for notices, always of the asking user: another user's notice is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from medtalent.notifications.kinds import notice_kinds
from medtalent.notifications.models import EmailPreference, Notice


def unread_count(*, user) -> int:
    """The header's figure: one COUNT over the partial index of unread notices."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notices_for_user(*, user) -> QuerySet[Notice]:
    """The user's notices, newest first, with who did it."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")


def notice_for_user(*, user, pk: int) -> Notice:
    return get_object_or_404(notices_for_user(user=user), pk=pk)


@dataclass(frozen=True)
class KindSetting:
    kind: str
    label: str
    email: bool


def email_settings_for(*, user) -> list[KindSetting]:
    """Every kind of notice with whether the user gets its email: the kinds the machines declare, then any other
    kind the user has had a notice or a preference of. Three queries at most."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    kinds = dict(notice_kinds())
    known = set(kinds)
    others = set(chosen) | set(Notice.objects.filter(recipient=user).values_list("kind", flat=True).distinct())
    for kind in sorted(others - known):
        kinds[kind] = kind
    return [KindSetting(kind=kind, label=label, email=chosen.get(kind, True)) for kind, label in kinds.items()]


def muted_user_ids(*, user_ids, kind: str) -> set[int]:
    """Of these users, those who turned off the email of `kind`."""
    return set(
        EmailPreference.objects.filter(user_id__in=list(user_ids), kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
