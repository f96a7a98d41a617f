"""The user's workspace (`/me/`): what waits for them, their roles and the programmes they manage; and the
language switch, which also remembers the choice for the emails the user gets."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View
from django.views.i18n import set_language as django_set_language

from medtalent.accounts.services import user_set_language
from medtalent.workspace.selectors import workspace_for_user


class WorkspaceView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "workspace/home.html", workspace_for_user(user=request.user))


def set_language(request):
    """Django's language switch (cookie), and for a logged-in user the language of their emails too."""
    response = django_set_language(request)
    if request.method == "POST" and getattr(request.user, "is_authenticated", False):
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response
