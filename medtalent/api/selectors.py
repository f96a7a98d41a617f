"""Reads of personal access tokens."""

from __future__ import annotations

import hashlib

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from medtalent.accounts.models import RoleAssignment
from medtalent.accounts.selectors import roles_for_user
from medtalent.api.models import AccessToken


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_for_user(*, user) -> QuerySet[AccessToken]:
    """The user's own tokens, newest first, with their roles: one query."""
    return AccessToken.objects.filter(user=user).select_related("role", "role__organisation")


def token_for_user(*, user, pk: int) -> AccessToken:
    """One of the user's own tokens; 404 for anybody else's."""
    token = tokens_for_user(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def token_roles_for_user(*, user) -> list[RoleAssignment]:
    """The role assignments a token of the user may act with: each of theirs."""
    return list(roles_for_user(user=user))


def token_find(*, secret: str) -> AccessToken | None:
    """The usable token (not revoked, not expired, its role still held, its holder active) of `secret`, with its
    holder and role; None otherwise. One query; the secret is compared by its digest."""
    if not secret or len(secret) > 200:
        return None
    return (
        AccessToken.objects.filter(
            digest=token_digest(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            role__isnull=False,
            role__user=F("user"),
            user__is_active=True,
        )
        .select_related("user", "role", "role__organisation", "role__organisation__region")
        .first()
    )
