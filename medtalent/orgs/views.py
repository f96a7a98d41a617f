from __future__ import annotations

from django.shortcuts import render
from django.views import View

from medtalent.orgs.selectors import host_detail


class HostDetailView(View):
    """A host's page: who they are, their departments (supervisors, expertise) and programmes."""

    def get(self, request, code: str):
        return render(request, "orgs/host_detail.html", {"org": host_detail(code=code)})
