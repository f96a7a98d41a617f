"""Pages of the people app: my profile (autosaved), the privacy consent, masked data with logged reveals,
the unit's list of its people with the incident confirmation, and private documents.

Views only call selectors and services. Personal data is masked in every page; the full ID number or phone
is sent only by RevealView, to those allowed, and each reveal leaves an audit row.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.models import pick_language
from medtalent.core.services import audit_log
from medtalent.core.tables import KitListView
from medtalent.people import selectors, services
from medtalent.people.enums import MASKED_FIELDS, NoticeKind, VerifiedFact
from medtalent.people.forms import (
    CERTIFICATE_PREFIX,
    DOCUMENT_PREFIX,
    ID_GROUP,
    TITLE_PREFIX,
    CertificateFormSet,
    DocumentUploadForm,
    IncidentConfirmForm,
    PersonProfileForm,
    TitleRecordFormSet,
    certificate_formset,
    title_record_formset,
)
from medtalent.people.models import Person
from medtalent.people.tables import UnitPeopleFilter, UnitPeopleTable

# Values the person typed that are not valid yet, kept between visits until they are corrected.
DRAFT_KEY = "people.profile_draft"
EMPLOYER_OPTIONS_LIMIT = 200


def _unauthorised(request, template: str = "people/_session_expired.html") -> HttpResponse:
    """401 for HTMX calls of a logged-out user: the page keeps what was typed and says how to go on."""
    response = render(request, template, {}, status=401)
    response["HX-Retarget"] = "#autosave-status"
    response["HX-Reswap"] = "innerHTML"
    return response


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


# ---- My profile --------------------------------------------------------------------------------------------------


def _draft_data(form: PersonProfileForm, draft: dict) -> MultiValueDict:
    """Form data for the stored profile with the typed-but-invalid values of the draft on top."""
    data = MultiValueDict()
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if isinstance(value, list | tuple):
            data.setlist(name, [str(getattr(v, "pk", v)) for v in value])
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "pk", value))
    for name, values in draft.items():
        if name in form.fields:
            data.setlist(name, list(values))
    return data


def _profile_context(request, *, person, form, formset, upload, title_formset=None, **extra) -> dict:
    if title_formset is None:
        title_formset = title_record_formset(person=person)
    saved = person is not None and person.pk
    return {
        "person": person,
        "form": form,
        "formset": formset,
        "title_formset": title_formset,
        "verifications": selectors.fact_verifications(person=person) if saved else [],
        "upload": upload,
        "masked_fields": MASKED_FIELDS,
        "has_consent": person is not None and person.pk and selectors.person_has_current_consent(person=person),
        "has_sensitive_consent": bool(person is not None and person.pk)
        and selectors.person_has_sensitive_consent(person=person),
        "proposals": selectors.pending_proposal_rows(person=person) if person is not None and person.pk else [],
        **extra,
    }


class ProfileView(View):
    """The logged-in person's profile, created on the first visit; every field in one form, in sections.

    The form autosaves (ProfileAutosaveView) as the person types. A full POST saves everything or nothing:
    when a field or the upload is wrong, the page comes back with all that was typed and the error next to
    the field. A POST from a session that has expired is not thrown away: the page comes back with
    everything typed (status 401) and asks the person to log in in another tab and save again.
    """

    template_name = "people/profile.html"

    def get(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        services.person_get_or_create_for_user(user=request.user)
        person = selectors.person_profile(user=request.user)
        draft = request.session.get(DRAFT_KEY) or {}
        form = PersonProfileForm(instance=copy.copy(person))
        if draft:
            form = PersonProfileForm(data=_draft_data(form, draft), instance=copy.copy(person))
        formset = certificate_formset(person=person)
        upload = DocumentUploadForm(prefix=DOCUMENT_PREFIX)
        context = _profile_context(
            request,
            person=person,
            form=form,
            formset=formset,
            title_formset=title_record_formset(person=person),
            upload=upload,
            draft=bool(draft),
        )
        return render(request, self.template_name, context)

    def post(self, request):
        if not request.user.is_authenticated:
            # Not saved, not checked against other profiles: only what was typed comes back.
            form = PersonProfileForm(request.POST, instance=Person(), check_unique=False)
            formset = certificate_formset(person=None, data=request.POST)
            titles = title_record_formset(person=None, data=request.POST) if _sends_titles(request) else None
            upload = DocumentUploadForm(request.POST, prefix=DOCUMENT_PREFIX)
            context = _profile_context(
                request,
                person=None,
                form=form,
                formset=formset,
                title_formset=titles,
                upload=upload,
                session_expired=True,
            )
            return render(request, self.template_name, context, status=401)

        services.person_get_or_create_for_user(user=request.user)
        person = selectors.person_profile(user=request.user)
        form = PersonProfileForm(request.POST, instance=copy.copy(person))
        formset = certificate_formset(person=person, data=request.POST)
        titles = title_record_formset(person=person, data=request.POST) if _sends_titles(request) else None
        upload = DocumentUploadForm(request.POST, request.FILES, prefix=DOCUMENT_PREFIX)
        valid = [form.is_valid(), formset.is_valid(), upload.is_valid(), titles is None or titles.is_valid()]
        if all(valid):
            try:
                services.person_profile_save(
                    actor=request.user,
                    person=person,
                    data=form.cleaned_data,
                    certificate_rows=formset.rows(),
                    title_rows=titles.rows() if titles is not None else None,
                    upload=upload.cleaned_data.get("file"),
                    upload_kind=upload.cleaned_data.get("kind", ""),
                )
            except ApplicationError as error:
                target = upload if error.field in ("file", "kind") else form
                error.add_to_form(target)
            else:
                request.session.pop(DRAFT_KEY, None)
                messages.success(request, _("Your profile has been saved."))
                return redirect("people:profile")
        context = _profile_context(
            request, person=person, form=form, formset=formset, title_formset=titles, upload=upload
        )
        return render(request, self.template_name, context)


def _sends_titles(request) -> bool:
    """The page sent the earlier-titles rows (their management form)."""
    return f"{TITLE_PREFIX}-TOTAL_FORMS" in request.POST


def _over_limit(field, values: list[str]) -> bool:
    limit = getattr(field, "max_length", None)
    return bool(limit) and any(len(value) > limit for value in values)


# The profile page names its fields in this hidden input: one of them not sent is an unticked box or an emptied
# multiple choice, while a field an autosave request does not name is left as it is.
FIELDS_MARKER = "_fields"


def _sent_fields(request, form: PersonProfileForm) -> set[str]:
    declared = set(" ".join(request.POST.getlist(FIELDS_MARKER)).split())
    return {name for name in form.fields if name in request.POST or name in declared}


def _autosave_data(request, person) -> MultiValueDict:
    """The profile as the page holds it: what is stored, the invalid values kept from earlier autosaves, and over
    them the fields this request sent. A field not sent keeps its value; a declared one not sent is emptied."""
    stored = PersonProfileForm(instance=copy.copy(person))
    data = _draft_data(stored, request.session.get(DRAFT_KEY) or {})
    for name in _sent_fields(request, stored):
        data.setlist(name, request.POST.getlist(name))
    return data


class ProfileAutosaveView(View):
    """HTMX: save what is valid of the profile form as the person types; say what is not.

    Valid fields are saved (the ID number, date of birth and sex only together, when they agree); invalid
    values stay in the page with their error and in the session, so a reload shows them again. A request
    from an expired session answers 401 and the page keeps everything.
    """

    def post(self, request):
        if not request.user.is_authenticated:
            return _unauthorised(request)
        person = services.person_get_or_create_for_user(user=request.user)
        data = _autosave_data(request, person)
        form = PersonProfileForm(data, instance=copy.copy(person))
        form.is_valid()
        # Only what was sent may change: the other fields come from what is stored (or kept as typed), unchanged.
        sent = _sent_fields(request, form)
        if sent & set(ID_GROUP):  # checked together: the date of birth and sex filled from a new ID number too
            sent |= set(ID_GROUP)
        valid = {name: value for name, value in form.valid_data().items() if name in sent}
        changed = services.person_update(actor=request.user, person=person, data=valid)
        formset = certificate_formset(person=person, data=request.POST)
        certificate_ids = None
        # The certificate rows only when the page sent them (their management form).
        if f"{CERTIFICATE_PREFIX}-TOTAL_FORMS" in request.POST and formset.is_valid():
            certificate_ids = services.person_save_language_certificates(
                actor=request.user, person=person, rows=formset.rows()
            )
        titles = title_record_formset(person=person, data=request.POST)
        title_ids = None
        title_errors: dict[int, str] = {}
        if _sends_titles(request) and titles.is_valid():
            try:
                title_ids = services.person_save_title_records(actor=request.user, person=person, rows=titles.rows())
            except ApplicationError as error:  # a title repeated from a row the page did not send
                title_errors = {0: error.message}
        # Invalid values are kept for a reload, except a text over its limit (a pasted 1 MB CV): the page shows it
        # with its error, the session does not carry it.
        draft = {
            name: data.getlist(name)
            for name in form.errors
            if name in form.fields and not _over_limit(form.fields[name], data.getlist(name))
        }
        if draft:
            request.session[DRAFT_KEY] = draft
        else:
            request.session.pop(DRAFT_KEY, None)
        # Filled from the ID number: the page gets the new inputs (the person left them empty).
        autofilled = [
            form.fields[name].widget.render(
                name,
                form.fields[name].prepare_value(getattr(person, name)),
                attrs={"id": f"id_{name}", "hx-swap-oob": "true"},
            )
            for name in ("birth_date", "sex")
            if name in changed and not request.POST.get(name)
        ]
        context = {
            "form": form,
            "formset": formset,
            "certificate_rows": list(zip(formset.forms, certificate_ids or [None] * len(formset.forms), strict=True)),
            "certificates_saved": certificate_ids is not None,
            "title_rows": list(zip(titles.forms, title_ids or [None] * len(titles.forms), strict=True))
            if _sends_titles(request)
            else [],
            "titles_saved": title_ids is not None,
            "title_errors": title_errors,
            "error_count": len(form.errors)
            + sum(1 for e in formset.errors if e)
            + (sum(1 for e in titles.errors if e) if _sends_titles(request) else 0)
            + len(title_errors),
            "saved_at": timezone.localtime(),
            "autofilled": autofilled,
            "person": person,
            "masked_changed": [name for name in MASKED_FIELDS if name in changed],
        }
        return render(request, "people/_autosave.html", context)


class ProposalDecideView(LoginRequiredMixin, View):
    """The person accepts or rejects changes their unit's import proposed to their profile: one (`proposal`) or
    all pending ones. Logged by the service."""

    def post(self, request):
        person = selectors.person_for_user(user=request.user)
        if person is None:
            raise Http404("No profile.")
        accept = request.POST.get("decision") == "accept"
        raw = request.POST.get("proposal", "")
        ids = [int(raw)] if raw.isdigit() else None
        try:
            fields = services.proposals_decide(actor=request.user, person=person, proposal_ids=ids, accept=accept)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if accept:
                # Translators: 中文：已接受建议的修改（%(count)s项）。
                messages.success(request, _("Accepted: %(count)s proposed change(s).") % {"count": len(fields)})
            else:
                # Translators: 中文：已拒绝建议的修改（%(count)s项），您的档案保持不变。
                messages.success(
                    request,
                    _("Rejected: %(count)s proposed change(s); your profile stays as it was.") % {"count": len(fields)},
                )
        return redirect(reverse("people:profile") + "#proposals")


class FormsetRowView(View):
    """HTMX: one more empty row of a profile formset, and the formset's row count raised by one."""

    formset_class: type
    prefix: str
    template_name: str

    def get(self, request):
        if not request.user.is_authenticated:
            return _unauthorised(request)
        try:
            index = int(request.GET.get(f"{self.prefix}-TOTAL_FORMS", "0"))
        except ValueError:
            index = 0
        formset = self.formset_class(prefix=self.prefix)
        if index < 0 or index >= formset.max_num:
            return HttpResponse(status=204)
        form = formset.form(
            prefix=formset.add_prefix(index),
            auto_id=formset.auto_id,
            empty_permitted=True,
            use_required_attribute=False,
        )
        formset.add_fields(form, index)
        return render(
            request,
            self.template_name,
            {"row": form, "index": index, "total": index + 1, "oob_total": True, "prefix": self.prefix},
        )


class CertificateRowView(FormsetRowView):
    """A language result's row."""

    formset_class = CertificateFormSet
    prefix = CERTIFICATE_PREFIX
    template_name = "people/_certificate_row.html"


class TitleRowView(FormsetRowView):
    """An earlier title's row."""

    formset_class = TitleRecordFormSet
    prefix = TITLE_PREFIX
    template_name = "people/_title_row.html"


class EmployerOptionsView(View):
    """HTMX: the options of the employer select narrowed to the hospitals matching what was typed."""

    def get(self, request):
        if not request.user.is_authenticated:
            return _unauthorised(request)
        try:
            current = int(request.GET.get("employer") or 0) or None
        except ValueError:
            current = None
        q = (request.GET.get("employer_q") or "")[:100]
        organisations = list(selectors.employer_choices(q=q, include_pk=current)[:EMPLOYER_OPTIONS_LIMIT])
        return render(
            request, "people/_employer_options.html", {"organisations": organisations, "current": current, "q": q}
        )


class DocumentUploadView(View):
    """An upload from the profile page (HTMX: right after the file is chosen), checked by content."""

    def post(self, request):
        if not request.user.is_authenticated:
            return _unauthorised(request)
        person = services.person_get_or_create_for_user(user=request.user)
        upload = DocumentUploadForm(request.POST, request.FILES, prefix=DOCUMENT_PREFIX)
        uploaded = False
        if upload.is_valid():
            if not upload.cleaned_data.get("file"):
                upload.add_error("file", _("Choose a file to upload."))
            else:
                try:
                    services.document_add(
                        actor=request.user,
                        person=person,
                        kind=upload.cleaned_data["kind"],
                        uploaded_file=upload.cleaned_data["file"],
                    )
                    uploaded = True
                except ApplicationError as error:
                    upload.add_error("file" if error.field != "kind" else "kind", error.message)
        if not request.htmx:
            if uploaded:
                messages.success(request, _("The document has been uploaded."))
            else:
                for error in upload.errors.values():
                    messages.error(request, error[0])
            return redirect("people:profile")
        if uploaded:
            upload = DocumentUploadForm(prefix=DOCUMENT_PREFIX, initial={"kind": upload.cleaned_data["kind"]})
        person = selectors.person_profile(user=request.user)
        return render(
            request,
            "people/_documents.html",
            {"person": person, "upload": upload, "editable": True, "just_uploaded": uploaded},
        )


class DocumentDeleteView(View):
    def post(self, request, pk: int):
        if not request.user.is_authenticated:
            return _unauthorised(request) if request.htmx else redirect_to_login(reverse("people:profile"))
        document = selectors.document_for_user(user=request.user, pk=pk)
        if document is None:
            raise Http404("No such document.")
        require_perm(
            request.user,
            "people.delete_document",
            document,
            services.document_delete_refusal(actor=request.user, document=document),
        )
        services.document_delete(actor=request.user, document=document)
        if not request.htmx:
            messages.success(request, _("The document has been deleted."))
            return redirect("people:profile")
        person = selectors.person_profile(user=request.user)
        return render(
            request,
            "people/_documents.html",
            {"person": person, "upload": DocumentUploadForm(prefix=DOCUMENT_PREFIX), "editable": True},
        )


class DocumentDownloadView(LoginRequiredMixin, View):
    """A stored document, streamed only to those who may see its person; everybody else gets 404."""

    def get(self, request, pk: int):
        document = selectors.document_for_user(user=request.user, pk=pk)
        if document is None:
            raise Http404("No such document.")
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("No such document.") from error
        audit_log(actor=request.user, action="document.download", obj=document, data={"kind": document.kind})
        response = FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# ---- Masked data -----------------------------------------------------------------------------------------------


class RevealView(View):
    """HTMX: the full value of a masked field (ID number, phone) for the person, their unit's administrator
    and the commission; the reveal is logged. Whoever may not see the person gets 404, whoever sees them without
    the right to reveal gets 403; either way nothing is logged."""

    def post(self, request, pk: int, field: str):
        if field not in MASKED_FIELDS:
            raise Http404("No such field.")
        person = (
            selectors.people_visible_to(user=request.user)
            .select_related("employer", "employer__region")
            .filter(pk=pk)
            .first()
        )
        if person is None:  # outside the caller's scope: as for a person who does not exist (issue 10)
            raise Http404("No such person.")
        value = services.person_reveal(actor=request.user, person=person, field=field)
        return render(request, "people/_revealed.html", {"person": person, "field": field, "value": value})


# ---- Privacy consent ---------------------------------------------------------------------------------------------


class ConsentView(LoginRequiredMixin, View):
    """A privacy notice (Chinese or English) and the person's agreement; `?next=` leads back. The general notice
    at /me/consent/, the sensitive-information notice on its own page (/me/consent/sensitive/, PIPL art. 29:
    a separate consent, never bundled with the general one)."""

    template_name = "people/consent.html"
    kind = NoticeKind.GENERAL

    def _context(self, request, person) -> dict:
        notice = selectors.current_privacy_notice(kind=self.kind)
        consent = selectors.consent_for(person=person, notice=notice) if person and notice else None
        return {
            "kind": self.kind,
            "notice": notice,
            "notice_text": pick_language(notice.text_zh, notice.text_en) if notice else "",
            "consent": consent,
            "action": reverse("people:consent_sensitive" if self.kind == NoticeKind.SENSITIVE else "people:consent"),
            "next": _safe_next(request, request.GET.get("next") or request.POST.get("next")),
        }

    def get(self, request):
        person = selectors.person_for_user(user=request.user)
        return render(request, self.template_name, self._context(request, person))

    def post(self, request):
        person = services.person_get_or_create_for_user(user=request.user)
        if self.kind == NoticeKind.SENSITIVE and not request.POST.get("agree"):
            # Translators: 中文：请勾选同意后再提交。
            messages.error(request, _("Tick the box to agree."))
            return render(request, self.template_name, self._context(request, person), status=400)
        try:
            services.consent_give(actor=request.user, person=person, kind=self.kind)
        except ApplicationError as error:
            messages.error(request, error.message)
            return render(request, self.template_name, self._context(request, person))
        if self.kind == NoticeKind.SENSITIVE:
            # Translators: 中文：谢谢：您对敏感个人信息处理的单独同意已记录。
            messages.success(request, _("Thank you: your separate consent for your sensitive data is recorded."))
        else:
            messages.success(request, _("Thank you: your agreement to the privacy notice is recorded."))
        return redirect(_safe_next(request, request.POST.get("next")) or reverse("people:profile"))


class SensitiveConsentView(ConsentView):
    kind = NoticeKind.SENSITIVE


# ---- The unit's people -----------------------------------------------------------------------------------------


class UnitPeopleView(KitListView):
    """A unit administrator's list of the people of their own unit, masked, filtered by name and department."""

    table_class = UnitPeopleTable
    filterset_class = UnitPeopleFilter
    template_name = "people/unit_people.html"
    title = gettext_lazy("People of my unit")
    # Translators: 中文：身份证号码和手机号码脱敏显示；打开某人的档案可查看完整信息（会被记录）。
    intro = gettext_lazy(
        "ID numbers and phone numbers are masked; open a person to see the full value (each view is logged)."
    )
    export_audit_action = "people.export"

    def permission_check(self, request):
        if not selectors.unit_ids_for_admin(user=request.user):
            raise PermissionDenied(_("This page is for the administrators of a unit."))

    def get_queryset(self):
        return selectors.people_for_unit_admin(user=self.request.user)

    def filterset_kwargs(self) -> dict:
        # The departments of the unit: what the filter offers, and what it accepts.
        return {"departments": selectors.unit_departments(user=self.request.user)}


class PersonDetailView(LoginRequiredMixin, View):
    """One person's profile for those who may see it (masked; reveal and incident confirmation by permission)."""

    template_name = "people/person_detail.html"

    def get(self, request, pk: int):
        person = selectors.person_detail(user=request.user, pk=pk)
        return render(request, self.template_name, self._context(request, person, IncidentConfirmForm()))

    def _context(self, request, person, incident_form) -> dict:
        return {
            "person": person,
            "can_reveal": request.user.has_perm("people.reveal_person", person),
            "can_confirm": request.user.has_perm("people.confirm_incident", person),
            "can_verify": request.user.has_perm("people.verify_fact", person),
            "verifications": selectors.fact_verifications(person=person),
            "incident_form": incident_form,
            "masked_fields": MASKED_FIELDS,
        }


class IncidentConfirmView(PersonDetailView):
    """The unit administrator confirms or clears a person's serious-incident record (logged)."""

    def get(self, request, pk: int):
        return redirect("people:detail", pk=pk)

    def post(self, request, pk: int):
        person = selectors.person_detail(user=request.user, pk=pk)
        require_perm(
            request.user,
            "people.confirm_incident",
            person,
            _("Only the administrator of the person's unit can confirm this."),
        )
        form = IncidentConfirmForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self._context(request, person, form), status=400)
        services.person_confirm_incident(
            actor=request.user, person=person, confirmed=form.confirmed, note=form.cleaned_data["note"]
        )
        messages.success(request, _("The serious-incident record has been updated."))
        return redirect("people:detail", pk=pk)


class FactVerifyView(LoginRequiredMixin, View):
    """The administrator of the person's unit marks a fact (title, education, licence) as verified (logged)."""

    def post(self, request, pk: int, fact: str):
        if fact not in VerifiedFact.values:
            raise Http404("No such fact.")
        person = selectors.person_detail(user=request.user, pk=pk)
        require_perm(
            request.user,
            "people.verify_fact",
            person,
            # Translators: 中文：只有此人所在单位的管理员可以核验。
            _("Only the administrator of the person's unit can verify."),
        )
        try:
            services.fact_verify(actor=request.user, person=person, fact=fact)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            # Translators: 中文：已标记为已核验：%(fact)s。
            messages.success(request, _("Marked as verified: %(fact)s.") % {"fact": VerifiedFact(fact).label})
        return redirect(reverse("people:detail", kwargs={"pk": pk}) + "#verified-facts")
