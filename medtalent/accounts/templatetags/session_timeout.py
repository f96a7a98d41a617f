"""`{% session_timeout_banner %}`: the idle-logout warning of a logged-in page (issue 10)."""

from __future__ import annotations

import time

from django import template
from django.conf import settings

from medtalent.accounts.receivers import SESSION_STARTED

register = template.Library()


@register.inclusion_tag("accounts/_session_timeout.html", takes_context=True)
def session_timeout_banner(context) -> dict:
    request = context.get("request")
    idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 1800))
    warn = min(int(getattr(settings, "SESSION_IDLE_WARNING", 120)), idle)
    absolute = int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 43200))
    started = request.session.get(SESSION_STARTED) if request is not None and hasattr(request, "session") else None
    absolute_left = absolute - (int(time.time()) - int(started)) if started else absolute
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session_timeout": {
            "idle": idle,
            "warn": warn,
            "warn_minutes": max(1, round(warn / 60)),
            "absolute_left": max(0, absolute_left),
        },
    }
