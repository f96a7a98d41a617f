"""Login events into the audit trail, and the session's start (issue 10). Connected in `AccountsConfig.ready()`."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from medtalent.accounts.lockout import client_ip
from medtalent.accounts.models import User
from medtalent.accounts.selectors import two_factor_enabled
from medtalent.accounts.services import auth_event_log

SESSION_STARTED = "medtalent_auth_started"
SESSION_ACTIVITY = "medtalent_last_activity"
# Whether the user had an authenticator when they logged in (so the second step is asked without a query per page).
SESSION_TWO_FACTOR = "medtalent_two_factor"


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


def _account(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="medtalent.accounts.login")
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_ACTIVITY] = now
        request.session[SESSION_TWO_FACTOR] = two_factor_enabled(user=user)
    auth_event_log(actor=user, action="user.login", user=user, username=user.get_username(), ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="medtalent.accounts.logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    reason = getattr(request, "medtalent_logout_reason", "") if request is not None else ""
    data = {"reason": reason} if reason else None
    auth_event_log(
        actor=user, action="user.logout", user=user, username=user.get_username(), ip=_ip(request), data=data
    )


@receiver(user_login_failed, dispatch_uid="medtalent.accounts.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username") or "")
    auth_event_log(actor=None, action="user.login_failed", user=_account(username), username=username, ip=_ip(request))


@receiver(user_locked_out, dispatch_uid="medtalent.accounts.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    username = str(username or "")
    auth_event_log(
        actor=None, action="user.locked_out", user=_account(username), username=username, ip=str(ip_address or "")
    )
