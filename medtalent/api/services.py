"""Writes of personal access tokens: create (the secret is returned once, only its digest is kept), revoke, and
remember the last use."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.accounts.models import RoleAssignment
from medtalent.api.models import AccessToken
from medtalent.api.selectors import token_digest
from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log

TOKEN_PREFIX = "mt_"
# Last use is written at most this often per token, so a busy client does not cost a write per request.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def _new_secret() -> tuple[str, str]:
    """(the token, its visible prefix): `mt_<8 hex>_<43 characters, 256 random bits>`."""
    prefix = f"{TOKEN_PREFIX}{secrets.token_hex(4)}"
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


@transaction.atomic
def token_create(*, actor, name: str, role: RoleAssignment | None, days: int | None) -> tuple[AccessToken, str]:
    """A new token of `actor`, acting with `role` (one of their role assignments) for `days` days (at most
    `API_TOKEN_MAX_DAYS`). Returns the token and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        # Translators: 中文：请为令牌命名。
        raise ApplicationError(_("Give the token a name."), field="name")
    if len(name) > 100:
        # Translators: 中文：名称不能超过 100 个字符。
        raise ApplicationError(_("The name may have at most 100 characters."), field="name")
    if role is None or role.user_id != actor.pk:
        # Translators: 中文：请选择您自己的一个角色。
        raise ApplicationError(_("Choose one of your own roles."), field="role")
    max_days = settings.API_TOKEN_MAX_DAYS
    if days is None or not 1 <= days <= max_days:
        # Translators: 中文：有效期须在 1 到 %(max)s 天之间。
        raise ApplicationError(_("The token must last between 1 and %(max)s days.") % {"max": max_days}, field="days")
    secret, prefix = _new_secret()
    token = AccessToken.objects.create(
        user=actor,
        role=role,
        name=name,
        prefix=prefix,
        digest=token_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_log(
        actor=actor,
        action="api_token.create",
        obj=token,
        data={
            "name": name,
            "prefix": prefix,
            "role": role.role,
            "organisation": role.organisation.code if role.organisation is not None else None,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: AccessToken) -> bool:
    """Revoke `token` (the caller's own, fetched by `token_for_user`); False, and nothing written, when it was
    revoked already."""
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied  # only the holder revokes a token (the pages fetch it with token_for_user)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="api_token.revoke", obj=token, data={"name": token.name, "prefix": token.prefix})
    return True


def token_touch(*, token: AccessToken, ip: str | None) -> None:
    """Remember the token's last use (time and address), at most once a minute: one UPDATE when due, none
    otherwise. Not audited: it is the token's use, not a change anybody made."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
