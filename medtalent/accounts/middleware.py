"""Session timeouts, two-factor authentication where required, expired passwords (issue 10).

In MIDDLEWARE after AuthenticationMiddleware, MessageMiddleware and django-otp's OTPMiddleware, in this order:

- `SessionTimeoutMiddleware` logs a user out after `SESSION_IDLE_TIMEOUT` seconds without a request, or
  `SESSION_ABSOLUTE_TIMEOUT` seconds after logging in. The request then goes on as a visitor's (a page sends them
  to the log-in page; the application form keeps what they typed and asks them to log in on the spot). The
  last-activity stamp is written at most once a minute, so a session is not saved on every request.
- `TwoFactorMiddleware` sends a logged-in user whose session has not passed the second step to the verify page
  (they have an authenticator), or to the set-up page (they must have one: `two_factor_required`), from every
  page but the few that step needs.
- `PasswordExpiryMiddleware` sends a user whose password expired to the password change page until they change it.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from medtalent.accounts.receivers import SESSION_ACTIVITY, SESSION_STARTED, SESSION_TWO_FACTOR
from medtalent.accounts.selectors import password_expired, two_factor_enabled, two_factor_required

ACTIVITY_WRITE_EVERY = 60  # seconds: how stale the last-activity stamp may get before it is written again


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for HTMX (a full-page redirect) and keeps where the user was going."""
    target = request.get_full_path() if request.method == "GET" and not _is_htmx(request) else ""
    if target:
        url = f"{url}?{urlencode({'next': target})}"
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class _Exempt:
    """The paths a user in the middle of logging in (second step, expired password) may still open."""

    def __init__(self, *names: str):
        self.names = names

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        fixed = [settings.STATIC_URL, "/healthz", "/favicon.ico", "/i18n/"]
        return (*fixed, *(reverse(name) for name in self.names))

    def __contains__(self, path: str) -> bool:
        return path.startswith(self.prefixes)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        started = session.get(SESSION_STARTED)
        last = session.get(SESSION_ACTIVITY)
        if started is None or last is None:  # a session from before this middleware: start counting now
            session[SESSION_STARTED] = started or now
            session[SESSION_ACTIVITY] = now
            return
        idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 1800))
        absolute = int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 43200))
        if now - last > idle:
            reason = "idle"
            # Translators: 中文：您已有一段时间没有操作，为保护账户安全已自动退出，请重新登录。
            message = _(
                "You were logged out after a while without activity, to protect your account. Please log in again."
            )
        elif now - started > absolute:
            reason = "absolute"
            # Translators: 中文：登录时间已超过上限，为保护账户安全已自动退出，请重新登录。
            message = _("You were logged out because your session reached its maximum length. Please log in again.")
        else:
            if now - last >= ACTIVITY_WRITE_EVERY:
                session[SESSION_ACTIVITY] = now
            return
        request.medtalent_logout_reason = reason  # type: ignore[attr-defined]
        logout(request)
        if not _is_htmx(request):
            messages.info(request, message)


# The pages a user in the middle of logging in may open whatever is still asked of them.
LOGGING_IN = (
    "login",
    "logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
    "accounts:keepalive",
    "set_language",
)


class TwoFactorMiddleware:
    exempt = _Exempt(*LOGGING_IN)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and request.path_info not in self.exempt
            # The API refuses such a session itself, with its JSON 401 (core.api_auth), instead of a redirect.
            and not request.path_info.startswith("/api/")
        ):
            has_device = request.session.get(SESSION_TWO_FACTOR)
            if has_device is None:  # a session from before this middleware
                has_device = request.session[SESSION_TWO_FACTOR] = two_factor_enabled(user=user)
            if has_device:
                return _redirect(request, reverse("accounts:two_factor_verify"))
            if two_factor_required(user=user):
                return _redirect(request, reverse("accounts:two_factor_enrol"))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    exempt = _Exempt(*LOGGING_IN, "password_change", "password_change_done")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path_info not in self.exempt
            and password_expired(user=user)
        ):
            if not _is_htmx(request) and request.method == "GET":
                # Translators: 中文：您的密码已过期，请设置新密码后继续。
                messages.warning(request, _("Your password has expired. Please choose a new one to go on."))
            return _redirect(request, reverse("password_change"))
        return self.get_response(request)
