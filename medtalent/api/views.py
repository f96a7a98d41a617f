"""/me/tokens/: the user's personal access tokens for the API: the list, a new one (shown once), revoking one.

Creating or revoking needs a logged-in session that has passed two-factor authentication where it is required."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from medtalent.api import selectors, services
from medtalent.api.auth import session_verified
from medtalent.api.forms import TokenCreateForm
from medtalent.core.errors import ApplicationError


class _TokenView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not session_verified(request):
            raise PermissionDenied  # HOOK [auth]: its middleware sends such a session to the second factor first
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form: TokenCreateForm, secret: str = "", status: int = 200):
        context = {
            "form": form,
            "tokens": list(selectors.tokens_for_user(user=request.user)),
            "secret": secret,
            "max_days": settings.API_TOKEN_MAX_DAYS,
        }
        return render(request, "api/tokens.html", context, status=status)

    def _form(self, request, data=None) -> TokenCreateForm:
        return TokenCreateForm(data, roles=selectors.token_roles_for_user(user=request.user))


class TokenListView(_TokenView):
    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                token, secret = services.token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    role=form.roles.get(form.cleaned_data["role"]),
                    days=form.cleaned_data["days"],
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # The secret is in this answer only: never stored, never in a URL or a message.
                response = self._render(request, self._form(request), secret=secret)
                response["Cache-Control"] = "no-store"
                return response
        return self._render(request, form, status=400)


class TokenRevokeView(_TokenView):
    def post(self, request, pk: int):
        token = selectors.token_for_user(user=request.user, pk=pk)
        if services.token_revoke(actor=request.user, token=token):
            # Translators: 中文：令牌“%(name)s”已撤销。
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("tokens:list")
