"""Pages of pairing support: the live checks on a programme's network, and its relationships.

Both are for the commission administrators in whose jurisdiction the programme lies; anybody else who is
logged in gets 403, a visitor is sent to the login page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from medtalent.partnerships import selectors


def _programme_for(request):
    programme = selectors.pairing_programme_get(code=request.GET.get("programme") or selectors.DEFAULT_PROGRAMME)
    if not request.user.has_perm("partnerships.view_pairings", programme):
        raise PermissionDenied
    return programme


def filters_from(params) -> selectors.PairingFilters:
    """Filters from a query string; anything malformed is ignored rather than an error."""
    year = (params.get("year") or "").strip()
    return selectors.PairingFilters(
        city=(params.get("city") or "").strip()[:16],
        supporting=(params.get("supporting") or "").strip()[:80],
        supported=(params.get("supported") or "").strip()[:80],
        county=(params.get("county") or "").strip()[:16],
        year=int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None,
    )


class PairingChecksView(LoginRequiredMixin, View):
    def get(self, request):
        programme = _programme_for(request)
        findings = selectors.pairing_findings(programme=programme)
        context = {
            "programme": programme,
            "rules": list(programme.pairing_rules.all()),
            "findings": findings,
            "counties": [f for f in findings if f.region],
            # One URL for the hospitals' links (a {% url %} per finding costs ~30 ms on 1,000 findings).
            "list_url": f"{reverse('partnerships:list')}?{urlencode({'programme': programme.code})}",
        }
        return render(request, "partnerships/checks.html", context)


class PairingListView(LoginRequiredMixin, View):
    def get(self, request):
        programme = _programme_for(request)
        filters = filters_from(request.GET)
        page, rows = selectors.pairings_page(programme=programme, filters=filters, page=request.GET.get("page", 1))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "programme": programme,
            "filters": filters,
            "cities": selectors.pairing_cities(programme=programme),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        }
        return render(request, "partnerships/list.html", context)
