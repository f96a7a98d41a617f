"""Helpers for the error pages (400, 403, 404, CSRF failure): a "back" link that never leaves the site."""

from __future__ import annotations

from django import template
from django.core.exceptions import DisallowedHost
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()

MAX_REFERER_LENGTH = 2000


@register.simple_tag(takes_context=True)
def same_site_referer(context) -> str:
    """The page the browser came from, if it is a page of this site (and not the page that failed); else "".

    The Referer header is sent by the client: it is only returned when it is an http(s) URL on this very host
    (so never `javascript:` or another site), and the template escapes it like any other value. A page with
    no request in its context (the 500 page) gets "".
    """
    request = context.get("request")
    if request is None:
        return ""
    referer = request.headers.get("Referer", "")
    if not referer or len(referer) > MAX_REFERER_LENGTH:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of a request for a host we do not serve
        return ""
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    if not referer.startswith(("http://", "https://")):
        return ""
    if request.method == "GET" and referer == request.build_absolute_uri():
        return ""  # "back" to the page that failed would only fail again (a form POSTed to itself is fine)
    return referer
