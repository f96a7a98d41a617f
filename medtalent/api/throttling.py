"""Rate limits of the API (ninja's throttling): per token, per logged-in user, per address for visitors.

The rates are read at each request (`API_RATE_LIMIT` for a token or a session, `API_ANON_RATE_LIMIT` for a
visitor; "600/m" = 600 requests a minute; empty: no limit), so a test or an operator changes them without a
restart. The counts live in the cache (`CACHES`: per process by default, shared by every process when REDIS_URL
is set). A refused request is 429 with Retry-After, in the API's error format."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from medtalent.api.auth import client_ip

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/m" → (600, 60); "10/5m" → (10, 300), as ninja writes rates."""
    count, _, period = rate.partition("/")
    unit = period.lstrip("0123456789")
    multiple = int(period[: len(period) - len(unit)] or 1)
    if unit not in _PERIODS:
        raise ValueError(f"Invalid rate: {rate}")
    return int(count), multiple * _PERIODS[unit]


class ApiRateThrottle(BaseThrottle):
    """A sliding window per caller, as ninja's SimpleRateThrottle, with the state of the request being judged
    kept per thread (one throttle object serves every request of the process)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _caller(self, request: HttpRequest) -> tuple[str, str]:
        token = getattr(request, "api_token", None)
        user = getattr(request, "user", None)
        if token is not None:
            return f"token:{token.pk}", settings.API_RATE_LIMIT
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}", settings.API_RATE_LIMIT
        return f"ip:{client_ip(request)}", settings.API_ANON_RATE_LIMIT

    def allow_request(self, request: HttpRequest) -> bool:
        ident, rate = self._caller(request)
        self._local.wait = None
        if not rate:
            return True
        limit, duration = parse_rate(rate)
        key = f"api-throttle:{ident}"
        now = time.time()
        history = [t for t in cache.get(key, []) if t > now - duration]
        if len(history) >= limit:
            self._local.wait = max(duration - (now - history[-1]), 1)
            return False
        history.insert(0, now)
        cache.set(key, history, duration)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
