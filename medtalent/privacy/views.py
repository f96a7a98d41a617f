"""The person's privacy page (/me/privacy/): their consents with withdrawal, the download of their data (JSON and
PDF), their deletion requests. Every page reads the logged-in user's own profile: nobody can name another's."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_NOTE
from medtalent.people.enums import NoticeKind
from medtalent.people.selectors import consents_of_person, current_privacy_notice, person_for_user
from medtalent.privacy import selectors, services
from medtalent.privacy.enums import DeletionRequestState
from medtalent.privacy.pdf import person_data_pdf


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _person_or_404(request):
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404("No profile.")
    return person


class ConfirmForm(forms.Form):
    # Translators: 中文：我已了解上述后果，确认撤回
    confirm = forms.BooleanField(label=gettext_lazy("I understand what this means and confirm"), required=True)


class DeletionForm(forms.Form):
    reason = forms.CharField(
        # Translators: 中文：原因（选填）
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=TEXT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Translators: 中文：我确认申请删除我的个人信息
    confirm = forms.BooleanField(label=gettext_lazy("I confirm that I ask for my personal data to be deleted"))


class PrivacyView(LoginRequiredMixin, View):
    """My privacy: consents (dates, withdraw), downloads, deletion request and its answer."""

    def get(self, request):
        person = person_for_user(user=request.user)
        consents = consents_of_person(person=person) if person else []
        notices = []
        for kind in (NoticeKind.GENERAL, NoticeKind.SENSITIVE):
            notice = current_privacy_notice(kind=kind)
            live = next(
                (c for c in consents if c.notice_id == getattr(notice, "pk", None) and not c.withdrawn_at), None
            )
            any_live = any(c.notice.kind == kind and not c.withdrawn_at for c in consents)
            notices.append(
                {"kind": kind, "label": NoticeKind(kind).label, "notice": notice, "live": live, "any_live": any_live}
            )
        context = {
            "person": person,
            "consents": consents,
            "notices": notices,
            "requests": selectors.deletion_requests_of_person(person=person) if person else [],
            "rules": selectors.retention_rules(),
        }
        return render(request, "privacy/home.html", context)


class WithdrawView(LoginRequiredMixin, View):
    """What withdrawing a consent means for the person's applications, and the confirmation."""

    template_name = "privacy/withdraw.html"

    def _context(self, request, person, kind, form) -> dict:
        return {
            "kind": kind,
            "kind_label": NoticeKind(kind).label,
            "effect": selectors.withdrawal_effect(person=person),
            "form": form,
        }

    def get(self, request, kind: str):
        if kind not in NoticeKind.values:
            raise Http404("No such consent.")
        person = _person_or_404(request)
        return render(request, self.template_name, self._context(request, person, kind, ConfirmForm()))

    def post(self, request, kind: str):
        if kind not in NoticeKind.values:
            raise Http404("No such consent.")
        person = _person_or_404(request)
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self._context(request, person, kind, form), status=400)
        try:
            withdrawn = services.consent_withdraw(actor=request.user, person=person, kind=kind)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("privacy:home")
        # Translators: 中文：您已撤回同意。已撤回 %(count)s 份报名。
        messages.success(
            request, _("Your consent is withdrawn. Applications withdrawn: %(count)s.") % {"count": len(withdrawn)}
        )
        return redirect("privacy:home")


class DownloadJsonView(LoginRequiredMixin, View):
    def get(self, request):
        person = _person_or_404(request)
        data = selectors.person_data(user=request.user)
        services.data_download_log(actor=request.user, person=person, fmt="json")
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=_filename("json"))
        return _no_store(response)


class DownloadPdfView(LoginRequiredMixin, View):
    def get(self, request):
        person = _person_or_404(request)
        content = person_data_pdf(user=request.user)
        services.data_download_log(actor=request.user, person=person, fmt="pdf")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=_filename("pdf"))
        return _no_store(response)


def _filename(extension: str) -> str:
    return f"medtalent-my-data-{timezone.localdate():%Y%m%d}.{extension}"


class DeletionRequestView(LoginRequiredMixin, View):
    """Ask for deletion: the page says what the rules would keep today; the answer comes at once."""

    template_name = "privacy/deletion.html"

    def _context(self, person, form) -> dict:
        return {
            "form": form,
            "preview": selectors.deletion_answer(person=person, today=timezone.localdate()),
            "open_request": selectors.open_deletion_request(person=person),
            "rules": selectors.retention_rules(),
        }

    def get(self, request):
        person = _person_or_404(request)
        return render(request, self.template_name, self._context(person, DeletionForm()))

    def post(self, request):
        person = _person_or_404(request)
        form = DeletionForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self._context(person, form), status=400)
        try:
            answer = services.deletion_request_create(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            error.add_to_form(form)
            return render(request, self.template_name, self._context(person, form), status=400)
        if answer.state == DeletionRequestState.COMPLETED:
            # The account is deactivated with the anonymisation: the answer is shown once, then the session ends.
            logout(request)
            return _no_store(render(request, "privacy/deleted.html", {"request_": answer}))
        return redirect("privacy:home")
