"""How an API operation authenticates (issue 10), declared by each app's `api.py` with `auth=`:

- `SIGNED_IN` (every write, every read of non-public data): a personal access token (`Authorization: Bearer …`)
  or a logged-in session whose unsafe requests carry the CSRF token (header `X-CSRFToken`). A session that must
  pass two-factor authentication and has not is no session here.
- `PUBLIC` (public reads: the catalogue, code tables, organisations, the alliance): the same, or nobody; a caller
  who is recognised reads as themselves, anybody else reads as a visitor.

The apps sit below the API app that owns the tokens, so the token look-up and the two-factor check are
registered by that app (`medtalent.api.apps.ApiConfig.ready`, through `register`); until it is, no token and
no session is accepted (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

# Set by the API app: token → user acting with the token's one role (or None); request → whether its logged-in
# session may use the API (two-factor authentication passed where required).
_token_user: Callable[[HttpRequest, str], Any] | None = None
_session_allowed: Callable[[HttpRequest], bool] | None = None

CSRF_HEADER = "X-CSRFToken"


def register(*, token_user: Callable[[HttpRequest, str], Any], session_allowed: Callable[[HttpRequest], bool]) -> None:
    global _token_user, _session_allowed
    _token_user = token_user
    _session_allowed = session_allowed


class PersonalAccessToken(HttpBearer):
    """`Authorization: Bearer mt_…`: the token's holder, acting only with the token's role."""

    openapi_bearerFormat = "mt_<prefix>_<secret>"
    openapi_description = "A personal access token created at /me/tokens/ (Authorization: Bearer …)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # An unknown, expired or revoked token is refused (401) rather than read as a visitor.
        if _token_user is None:
            return None
        return _token_user(request, token)


class SessionCookie(APIKeyCookie):
    """The browser's logged-in session; unsafe methods need the CSRF token, checked only once the session is
    known to be logged in (a request without a session goes on to the next way, then 401)."""

    openapi_description = (
        "The session cookie of a logged-in browser; POST, PUT, PATCH and DELETE also need the CSRF token "
        f"in the {CSRF_HEADER} header. Sessions that must pass two-factor authentication count once it is passed."
    )

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)
        self.openapi_security_schema["x-csrf-header"] = CSRF_HEADER

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request):
            # Translators: 中文：CSRF 校验失败：请求缺少有效的 CSRF 令牌。
            raise HttpError(403, _("CSRF check failed: the request has no valid CSRF token."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated or not user.is_active:
            return None
        if _session_allowed is None or not _session_allowed(request):
            return None
        return user


class Anonymous(AuthBase):
    """Anybody: the schema shows it as the empty requirement `{}` (authentication optional)."""

    openapi_type = "none"

    def __call__(self, request: HttpRequest) -> Any:
        request.user = AnonymousUser()  # neither a token nor a usable session: read as a visitor
        return "anonymous"


token_auth = PersonalAccessToken()
session_auth = SessionCookie()
anonymous = Anonymous()

SIGNED_IN = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, anonymous]
