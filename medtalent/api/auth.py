"""What the API app registers with `medtalent.core.api_auth` (see there): the token look-up, and whether a
logged-in session may use the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError

from medtalent.accounts.selectors import two_factor_required
from medtalent.api.selectors import token_find
from medtalent.api.services import token_touch


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or from X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies (the
    right-most entries are theirs), as the login lockout reads it."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR") or None


def token_user(request: HttpRequest, secret: str):
    """The holder of the token `secret`, acting with the token's one role only (and no superuser or staff power),
    or 401 for an unknown, expired or revoked token."""
    token = token_find(secret=secret.strip())
    if token is None:
        # Translators: 中文：访问令牌无效、已过期或已被撤销。
        raise AuthenticationError(401, _("The access token is unknown, expired or revoked."))
    user = token.user
    user._role_cache = [token.role]  # roles_for_user: this request acts with the token's role and no other
    user.is_superuser = False  # in memory only, for this request: a token's power is its role's
    user.is_staff = False
    request.user = user
    request.api_token = token  # type: ignore[attr-defined]
    token_touch(token=token, ip=client_ip(request))
    return user


def session_verified(request: HttpRequest) -> bool:
    """Whether the logged-in session has passed two-factor authentication where it is required (`MFA_REQUIRED` and
    a staff role: `accounts.selectors.two_factor_required`). Pages are sent to the second factor by the [auth]
    part's TwoFactorMiddleware; the API refuses such a session here (401), as if there were none."""
    user = request.user
    if not two_factor_required(user=user):
        return True
    is_verified = getattr(user, "is_verified", None)  # installed by django_otp's OTPMiddleware
    return bool(is_verified is not None and is_verified())
