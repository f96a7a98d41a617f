"""Logging in outside the login page (issue 10): the application form's "log in again" box uses this, so that a
lockout and a second step apply there exactly as on the login page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate, login
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from medtalent.accounts.lockout import lockout_message
from medtalent.accounts.receivers import SESSION_TWO_FACTOR
from medtalent.accounts.selectors import two_factor_enabled
from medtalent.accounts.services import two_factor_verify


@dataclass
class LoginResult:
    ok: bool
    error: str = ""
    needs_code: bool = False  # the password was right; the account asks for a code from the app (or a recovery code)
    locked: bool = False


def log_in(request: HttpRequest, *, username: str, password: str, code: str = "") -> LoginResult:
    """Check the password (through django-axes: a locked-out username or address is refused), then the second
    step for an account with an authenticator, and log the user in. A lockout is shown by the caller in place
    (the request is marked so that axes's middleware keeps the caller's page)."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            request.axes_lockout_shown = True  # type: ignore[attr-defined]
            return LoginResult(ok=False, error=lockout_message(request), locked=True)
        # Translators: 中文：用户名或密码不正确，请重试。
        return LoginResult(ok=False, error=_("The username or password is not right. Please try again."))
    device = None
    if two_factor_enabled(user=user):
        if not code.strip():
            # Translators: 中文：请输入身份验证器应用中的验证码（或一个恢复码）。
            return LoginResult(
                ok=False, needs_code=True, error=_("Enter the code from your authenticator app (or a recovery code).")
            )
        device = two_factor_verify(actor=user, token=code)
        if device is None:
            # Translators: 中文：验证码不正确或已过期，请重试。
            return LoginResult(
                ok=False, needs_code=True, error=_("The code is not right or has expired. Please try again.")
            )
    login(request, user)
    if device is not None:
        otp_login(request, device)
        request.session[SESSION_TWO_FACTOR] = True
    return LoginResult(ok=True)
