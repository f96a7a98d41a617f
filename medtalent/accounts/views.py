"""The user's security pages (issue 10): two-factor authentication (set up, recovery codes, turn off), the second
step of logging in, and the session keep-alive."""

from __future__ import annotations

import time
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts import selectors, services
from medtalent.accounts.forms import CodeForm, EnrolForm
from medtalent.accounts.receivers import SESSION_ACTIVITY, SESSION_TWO_FACTOR
from medtalent.core.errors import ApplicationError


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _enrol_context(request: HttpRequest, device: TOTPDevice, form: EnrolForm) -> dict:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return {
        "device": device,
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": secret,
        "secret_grouped": _grouped(secret),
        "required": selectors.two_factor_required(user=request.user),
        "next": _next_url(request, ""),
    }


def _secret(response: HttpResponse) -> HttpResponse:
    """A page with a key or recovery codes: never kept by a browser or a proxy."""
    add_never_cache_headers(response)
    return response


class SecurityView(LoginRequiredMixin, View):
    """Two-factor authentication and the password: what is on, what the user may do."""

    def get(self, request):
        user = request.user
        context = {
            "enabled": selectors.two_factor_enabled(user=user),
            "required": selectors.two_factor_required(user=user),
            "codes_left": selectors.recovery_codes_left(user=user),
            "password_expires_at": selectors.password_expires_at(user=user),
        }
        return render(request, "accounts/security.html", context)


class TwoFactorEnrolView(LoginRequiredMixin, View):
    """Scan the QR code (or type the secret) into an authenticator app, confirm with a code, keep the recovery
    codes shown once."""

    def get(self, request):
        try:
            device = services.two_factor_enrol_start(actor=request.user)
        except ApplicationError as error:
            messages.info(request, error.message)
            return redirect("accounts:security")
        form = EnrolForm(initial={"device": device.pk})
        return _secret(render(request, "accounts/two_factor_enrol.html", _enrol_context(request, device, form)))

    def post(self, request):
        form = EnrolForm(request.POST)
        device = None
        if form.is_valid():
            device = selectors.two_factor_pending_device(user=request.user, pk=form.cleaned_data["device"])
        if device is None:
            return redirect("accounts:two_factor_enrol")
        done = services.two_factor_enrol_confirm(
            actor=request.user, device_id=device.pk, token=form.cleaned_data["code"]
        )
        if done is None:
            # Translators: 中文：验证码不正确或已过期，请重试。
            form.add_error("code", _("The code is not right or has expired. Please try again."))
            page = render(request, "accounts/two_factor_enrol.html", _enrol_context(request, device, form), status=400)
            return _secret(page)
        confirmed, codes = done
        otp_login(request, confirmed)
        request.session[SESSION_TWO_FACTOR] = True
        context = {"codes": codes, "first_time": True, "next": _next_url(request, reverse("accounts:security"))}
        return _secret(render(request, "accounts/recovery_codes.html", context))


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (the old ones stop working), shown once. Only in a session that passed the second step."""

    def post(self, request):
        if not request.user.is_verified():
            return redirect("accounts:two_factor_verify")
        try:
            codes = services.two_factor_recovery_codes_regenerate(actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("accounts:security")
        return _secret(
            render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})
        )


class TwoFactorDisableView(LoginRequiredMixin, View):
    """Turn two-factor authentication off with a current code; not for a user who must use it."""

    def post(self, request):
        user = request.user
        if selectors.two_factor_required(user=user):
            # Translators: 中文：您的角色必须使用两步验证，不能关闭。
            messages.error(request, _("Your role requires two-factor authentication: it cannot be turned off."))
            return redirect("accounts:security")
        form = CodeForm(request.POST)
        if not form.is_valid() or services.two_factor_verify(actor=user, token=form.cleaned_data["code"]) is None:
            # Translators: 中文：验证码不正确或已过期，两步验证仍然开启。
            messages.error(request, _("The code is not right or has expired: two-factor authentication stays on."))
            return redirect("accounts:security")
        services.two_factor_disable(actor=user, user=user)
        request.session[SESSION_TWO_FACTOR] = False
        # Translators: 中文：两步验证已关闭。
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:security")


class TwoFactorVerifyView(LoginRequiredMixin, View):
    """The second step of logging in: a code from the app, or a recovery code."""

    def get(self, request):
        if request.user.is_verified() or not selectors.two_factor_enabled(user=request.user):
            return redirect(_next_url(request, reverse("workspace:home")))
        return render(request, "accounts/two_factor_verify.html", {"form": CodeForm(), "next": _next_url(request, "")})

    def post(self, request):
        form = CodeForm(request.POST)
        device = None
        if form.is_valid():
            device = services.two_factor_verify(actor=request.user, token=form.cleaned_data["code"])
        if device is None:
            # Translators: 中文：验证码不正确或已过期，请重试。如连续输错，需稍等片刻再试。
            form.add_error(
                None,
                _(
                    "The code is not right or has expired. Please try again; after several wrong codes, wait a moment first."
                ),
            )
            context = {"form": form, "next": _next_url(request, "")}
            return render(request, "accounts/two_factor_verify.html", context, status=400)
        otp_login(request, device)
        request.session[SESSION_TWO_FACTOR] = True
        if device.__class__.__name__ == "StaticDevice":
            left = selectors.recovery_codes_left(user=request.user)
            # Translators: 中文：您使用了一个恢复码，还剩 %(left)s 个。请尽快在“账户安全”中生成新的恢复码。
            messages.warning(
                request,
                _("You used a recovery code; %(left)s are left. Make new ones soon on the Security page.")
                % {"left": left},
            )
        return redirect(_next_url(request, reverse("workspace:home")))


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay logged in": the session's idle time starts again (the session middleware has already checked it)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session[SESSION_ACTIVITY] = int(time.time())
    return HttpResponse(status=204)
