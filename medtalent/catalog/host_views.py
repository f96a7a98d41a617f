"""A host's public page, linked from the catalogue and the programme pages: who the host is, its departments
(supervisors, expertise) and the published programmes it takes part in."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from medtalent.catalog.selectors import host_detail


class HostDetailView(View):
    """A host's page: who they are, their departments (supervisors, expertise) and programmes."""

    def get(self, request, code: str):
        return render(request, "catalog/host_detail.html", {"org": host_detail(code=code)})
