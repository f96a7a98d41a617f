"""Pages of registration: register, the start page (an invitation, a claim), accepting an invitation, claiming
an imported profile, and the unit's staff-accounts page (requests, staff without an account, invitations,
locked accounts).

Views only call selectors and services. Everything of the unit's page is scoped to the unit administrator's
units: anyone else gets 404, and so does a row of another unit.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from medtalent.accounts.lockout import client_ip
from medtalent.core.errors import ApplicationError
from medtalent.core.tables import BatchAction, KitListView
from medtalent.core.workflow import allowed_transitions
from medtalent.people.selectors import employer_choices
from medtalent.registration import selectors, services
from medtalent.registration.forms import ClaimForm, InvitationAcceptForm, RefuseForm, RegisterForm
from medtalent.registration.tables import StaffFilter, StaffTable
from medtalent.registration.workflow import ACCOUNT_REQUEST

UNIT_OPTIONS_LIMIT = 200
# Form fields the services' errors may name, and where they go in each form.
FIELD_ALIASES = {"password": "password1", "token": None, "state": None, "person": None, "note": "note"}


def _add_error(form, error: ApplicationError) -> None:
    field = FIELD_ALIASES.get(error.field, error.field) if error.field else None
    form.add_error(field if field in form.fields else None, error.message)


# ---- Anyone ---------------------------------------------------------------------------------------------------------


class StartView(View):
    """ "I have an invitation / claim my profile": the three ways to an account, and a box for an invitation link."""

    def get(self, request):
        code = (request.GET.get("invitation") or "").strip()
        if code:
            # The whole link pasted, or only its last part.
            match = re.search(r"([A-Za-z0-9_-]{20,100})/?$", code)
            if match:
                return redirect("registration:accept", token=match.group(1))
            # Translators: 中文：这不是有效的邀请链接。请复制邮件中的完整链接。
            messages.error(request, _("This is not an invitation link. Copy the whole link from the email."))
        return render(request, "registration/start.html", {})


class RegisterView(View):
    template = "registration/register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("registration:claim")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template, {"form": RegisterForm()})

    def post(self, request):
        form = RegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_create(
                    username=data["username"],
                    password=data["password1"],
                    name=data["name"],
                    email=data["email"],
                    unit=data["unit"],
                    ip_address=client_ip(request) or None,
                )
            except ApplicationError as error:
                _add_error(form, error)
            else:
                # Translators: 中文：账户已开通，请登录。登录后即可填写个人档案；本单位确认后，您即成为其工作人员。
                messages.success(
                    request,
                    _(
                        "Your account is ready: log in. You can fill in your profile at once; your unit will confirm you."
                    ),
                )
                return redirect(f"{reverse('login')}?next={reverse('people:profile')}")
        return render(request, self.template, {"form": form}, status=400)


class UnitOptionsView(View):
    """HTMX: the hospitals matching what was typed, as options of the unit select (at most 200)."""

    def get(self, request):
        try:
            current = int(request.GET.get("unit") or 0) or None
        except ValueError:
            current = None
        q = (request.GET.get("unit_q") or "")[:100]
        organisations = list(employer_choices(q=q, include_pk=current)[:UNIT_OPTIONS_LIMIT]) if q or current else []
        return render(
            request, "people/_employer_options.html", {"organisations": organisations, "current": current, "q": q}
        )


@method_decorator(never_cache, name="dispatch")
class InvitationAcceptView(View):
    """The link of an invitation: choose a username and password. The link's token is never put in the page."""

    template = "registration/accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = selectors.invitation_by_token(token=kwargs["token"])
        self.refusal = services.invitation_refusal(self.invitation)
        response = super().dispatch(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    def _page(self, request, form, status=200) -> HttpResponse:
        context = {"invitation": None if self.refusal else self.invitation, "refusal": self.refusal, "form": form}
        return render(request, self.template, context, status=404 if self.refusal else status)

    def get(self, request, token: str):
        return self._page(request, InvitationAcceptForm())

    def post(self, request, token: str):
        form = InvitationAcceptForm(request.POST)
        if self.refusal or request.user.is_authenticated:
            return self._page(request, form, status=400)
        if form.is_valid():
            try:
                services.invitation_accept(
                    token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
                )
            except ApplicationError as error:
                _add_error(form, error)
            else:
                # Translators: 中文：账户已开通，请用刚设置的用户名和密码登录。
                messages.success(request, _("Your account is ready: log in with the username and password you chose."))
                return redirect(f"{reverse('login')}?next={reverse('applications:mine')}")
        return self._page(request, form, status=400)


# ---- The person -------------------------------------------------------------------------------------------------------


class ClaimView(LoginRequiredMixin, View):
    """Claim the profile my unit imported; my requests and where they stand."""

    template = "registration/claim.html"

    def context(self, request, form) -> dict:
        own = selectors.profile_of(user=request.user)
        requests = list(selectors.requests_of_user(user=request.user)[:20])
        for row in requests:
            row.moves = allowed_transitions(ACCOUNT_REQUEST, row, request.user)
        return {
            "form": form,
            "requests": requests,
            "own": own,
            "can_claim": own is None or selectors.profile_is_replaceable(person=own),
        }

    def get(self, request):
        return render(request, self.template, self.context(request, ClaimForm()))

    def post(self, request):
        form = ClaimForm(request.POST)
        if form.is_valid():
            try:
                services.claim_create(
                    actor=request.user,
                    id_number=form.cleaned_data["id_number"],
                    birth_date=form.cleaned_data["birth_date"],
                    ip_address=client_ip(request) or None,
                )
            except ApplicationError as error:
                _add_error(form, error)
            else:
                # Translators: 中文：认领申请已提交，等待本单位确认。
                messages.success(request, _("Your claim has been sent. Your unit will confirm it."))
                return redirect("registration:claim")
        return render(request, self.template, self.context(request, form), status=400)


class RequestWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        row = selectors.requests_of_user(user=request.user).filter(pk=pk).first()
        if row is None:
            raise Http404("No such request.")
        try:
            services.account_request_withdraw(actor=request.user, request=row)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            # Translators: 中文：申请已撤回。
            messages.success(request, _("Your request has been withdrawn."))
        return redirect("registration:claim")


# ---- The unit ---------------------------------------------------------------------------------------------------------


def _invite_many(request, rows) -> str:
    """The batch action: invite the ticked staff at the email of their profile (all or nothing)."""
    people = list(rows.select_related("employer"))
    with transaction.atomic():
        for person in people:
            try:
                services.invitation_create(actor=request.user, person=person)
            except ApplicationError as error:
                raise ApplicationError(f"{person.name}: {error.message}") from error
    # Translators: 中文：已向 %(count)s 人发送邀请。
    return ngettext(
        "An invitation is on its way to %(count)s person.",
        "Invitations are on their way to %(count)s people.",
        len(people),
    ) % {"count": len(people)}


class UnitAccountsView(KitListView):
    """The unit's staff accounts: requests to decide, staff without an account (the kit's list: find, filter by
    unit and invitation, sort, export, invite many at once), invitations, locked accounts."""

    table_class = StaffTable
    filterset_class = StaffFilter
    template_name = "registration/unit_accounts.html"
    # Translators: 中文：人员账户
    title = gettext_lazy("Staff accounts")
    # Translators: 中文：确认自行注册和档案认领，邀请尚无账户的人员，管理邀请，解锁被锁定的账户。
    intro = gettext_lazy(
        "Confirm self-registrations and profile claims, invite staff who have no account, manage invitations, "
        "unlock locked accounts."
    )
    batch_actions = (
        BatchAction(
            "invite",
            # Translators: 中文：按档案中的电子邮箱发送邀请
            gettext_lazy("Invite at the email of their profile"),
            run=_invite_many,
        ),
    )
    export_audit_action = "registration.staff_export"

    def permission_check(self, request) -> None:
        selectors.unit_ids_or_404(user=request.user)

    def get_queryset(self):
        return selectors.staff_without_account(user=self.request.user)

    def filterset_kwargs(self) -> dict:
        return {"units": selectors.units_of_admin(user=self.request.user)}

    def extra_context(self) -> dict:
        user = self.request.user
        return {
            "requests": list(selectors.requests_for_unit(user=user)),
            "invitations": list(selectors.invitations_for_unit(user=user)),
            "locked": selectors.locked_staff_accounts(user=user),
            "refuse_form": RefuseForm(),
        }


def _back(request) -> HttpResponse:
    return redirect("registration:unit_accounts")


class RequestDecideView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        row = selectors.account_request_for_unit_admin(user=request.user, pk=pk)
        confirm = request.POST.get("decision") == "confirm"
        try:
            services.account_request_decide(
                actor=request.user, request=row, confirm=confirm, note=(request.POST.get("note") or "")[:1000]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if confirm:
                # Translators: 中文：已确认 %(name)s。
                messages.success(request, _("%(name)s is confirmed.") % {"name": row.person.name})
            else:
                # Translators: 中文：已拒绝 %(name)s 的申请。
                messages.success(request, _("The request of %(name)s is refused.") % {"name": row.person.name})
        return _back(request)


class InviteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        person = selectors.person_to_invite(user=request.user, pk=pk)
        email = (request.POST.get("email") or "").strip()[:254]
        try:
            services.invitation_create(actor=request.user, person=person, email=email)
        except ApplicationError as error:
            messages.error(request, f"{person.name}: {error.message}")
        else:
            # Translators: 中文：已向 %(name)s 发送邀请。
            messages.success(request, _("An invitation is on its way to %(name)s.") % {"name": person.name})
        return _back(request)


class InvitationResendView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        invitation = selectors.invitation_for_unit_admin(user=request.user, pk=pk)
        try:
            services.invitation_resend(actor=request.user, invitation=invitation)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            # Translators: 中文：已重新发送邀请；旧链接已失效。
            messages.success(request, _("The invitation is sent again; the old link no longer works."))
        return _back(request)


class InvitationRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        invitation = selectors.invitation_for_unit_admin(user=request.user, pk=pk)
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            # Translators: 中文：邀请已撤回，其链接已失效。
            messages.success(request, _("The invitation is revoked; its link no longer works."))
        return _back(request)


class UnlockView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        account = selectors.staff_account_for_unit_admin(user=request.user, pk=pk)
        services.staff_account_unlock(actor=request.user, user=account)
        # Translators: 中文：已解锁 %(username)s 的账户。
        messages.success(request, _("The account %(username)s is unlocked.") % {"username": account.get_username()})
        return _back(request)
