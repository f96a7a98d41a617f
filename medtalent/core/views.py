from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from medtalent.accounts.selectors import roles_for_user
from medtalent.catalog.selectors import programmes_manageable_by


class MyWorkspaceView(LoginRequiredMixin, View):
    """What the logged-in user holds: their roles and, for a commission, the programmes they manage."""

    def get(self, request):
        managed = programmes_manageable_by(user=request.user).select_related("owner").order_by("sort", "code")
        return render(
            request, "core/workspace.html", {"roles": roles_for_user(user=request.user), "managed_programmes": managed}
        )
