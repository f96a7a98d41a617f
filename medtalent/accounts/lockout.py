"""Login lockout (django-axes, issue 10): the client's address, when a locked-out login may try again, and the
page that says so (`settings.AXES_LOCKOUT_CALLABLE`, answered by `axes.middleware.AxesMiddleware`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT trusted proxies the X-Forwarded-For entry
    the outermost of them added (right-most entries are the proxies' own; the left ones anyone can forge)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < proxies:
        return entries[0] if entries else remote
    return entries[-proxies]


def retry_at(request: HttpRequest | None = None) -> datetime | None:
    """When a login locked out now may be tried again (each refused try starts the wait again); None: never
    (no cool-off configured: only an unlock helps)."""
    cool_off: timedelta | None = get_cool_off(request)
    if cool_off is None:
        return None
    return timezone.now() + cool_off


def lockout_message(request: HttpRequest | None = None) -> str:
    """The sentence a locked-out user reads, with the time to try again."""
    when = retry_at(request)
    if when is None:
        # Translators: 中文：登录失败次数过多，您的账户已被锁定。请联系本单位管理员解锁。
        return _("Your account is locked after too many failed logins. Ask your unit's administrator to unlock it.")
    at = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
    minutes = max(1, round((when - timezone.now()).total_seconds() / 60))
    # Translators: 中文：登录失败次数过多，您的账户已被锁定。请于 %(at)s（约 %(minutes)s 分钟后）再试，或联系本单位管理员解锁。
    return _(
        "Your account is locked after too many failed logins. Try again after %(at)s (in about %(minutes)s "
        "minutes), or ask your unit's administrator to unlock it."
    ) % {"at": at, "minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page for a refused login. A view that showed the lockout in place (the application form's log-in box,
    which keeps what the person typed) marks the request `axes_lockout_shown` and keeps its own answer."""
    if getattr(request, "axes_lockout_shown", False) and original_response is not None:
        return original_response
    context = {"message": lockout_message(request), "retry_at": retry_at(request)}
    return render(request, "accounts/locked_out.html", context, status=429)
