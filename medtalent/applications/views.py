"""Application pages: the applicant's path (choose a category, fill in the form with autosave, submit,
withdraw), the detail page for the applicant, the unit and the commission, the official PDF form, and the
unit administrator's list with one-by-one and bulk decisions.

Views only parse input and call selectors and services; every write and every state change is a service.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from medtalent.accounts.authentication import log_in
from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import user_has_role
from medtalent.applications import selectors, services
from medtalent.applications.application_rules import duration_problem
from medtalent.applications.enums import EDITABLE_STATES, ApplicationState
from medtalent.applications.forms import ApplicationForm, DecisionForm, ExceptionForm, ReloginForm
from medtalent.applications.models import Application
from medtalent.applications.pdf import application_form_filename, application_form_pdf
from medtalent.applications.tables import UnitApplicationFilter, UnitApplicationTable
from medtalent.applications.workflow import APPLICATION, DECISIONS
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.services import audit_log
from medtalent.core.tables import BatchAction, KitListView
from medtalent.core.workflow import allowed_transitions, transition_label
from medtalent.eligibility.facts import INELIGIBLE
from medtalent.eligibility.selectors import eligibility_for_application, eligibility_shown_for_application
from medtalent.people.selectors import (
    person_documents_for_user,
    person_for_user,
    person_has_current_consent,
    person_has_sensitive_consent,
)


def _form_initial(application: Application, preferences) -> dict:
    initial = {name: getattr(application, name) for name in services.FORM_FIELDS}
    for preference in preferences:
        initial[f"preference_{preference.rank}"] = preference.offering_id
    return initial


def _posted_form(request, application: Application, offerings) -> ApplicationForm:
    """The posted form; what it stores now is its initial, so a field not sent is left as it is."""
    preferences = selectors.application_preferences(application=application)
    return ApplicationForm(
        request.POST,
        initial=_form_initial(application, preferences),
        offerings=offerings,
        duration_check=lambda value, unit: duration_problem(application.round, application.category, value, unit),
    )


def _state_label(value: str) -> str:
    return ApplicationState(value).label if value in ApplicationState.values else value


def _history(application: Application) -> list:
    events = selectors.application_history(application=application)
    for event in events:
        event.from_label = _state_label(event.from_state)
        event.to_label = _state_label(event.to_state)
    return events


def _eligibility(application: Application):
    return eligibility_for_application(application=application)


def _eligibility_panel(user, application: Application) -> dict:
    """What the eligibility panel of an application's page shows: the verdict (stored at submission, else now),
    the pending rules the viewer may confirm, and the exception box where the programme allows one."""
    result = eligibility_shown_for_application(application=application)
    can_confirm = (
        user.has_perm("applications.confirm_rule", application) and application.state != ApplicationState.WITHDRAWN
    )
    return {
        "result": result,
        "confirm_url": reverse("applications:confirm_rule", args=[application.pk]) if can_confirm else "",
        "confirmable": services.confirmable_rule_ids(result) if can_confirm else [],
        "exception_allowed": application.round.programme.equivalent_level_allowed,
        "can_record_exception": application.round.programme.equivalent_level_allowed
        and user.has_perm("applications.record_exception", application),
        "exception_form": ExceptionForm(initial={"note": application.exception_note}),
    }


# ------------------------------------------------------------------------------------------- applicant


class MyApplicationsView(LoginRequiredMixin, View):
    """The applicant's own applications, newest first."""

    def get(self, request):
        rows = list(selectors.applications_for_person(user=request.user))
        return render(request, "applications/mine.html", {"applications": rows})


class ApplicationStartView(LoginRequiredMixin, View):
    """Choose the category of a round: each shows, rule by rule, whether this person meets it and why.

    A category the person does not meet shows the reasons and cannot be chosen; choosing an open one
    creates the draft and opens the form.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.round = selectors.open_round_for_apply(user=request.user, code=kwargs["code"])
        self.person = person_for_user(user=request.user)
        if self.person is None:
            messages.info(request, _("Fill in your profile first: it goes on every application."))
            return redirect(f"{reverse('people:profile')}?{urlencode({'next': request.path})}")
        return super().dispatch(request, *args, **kwargs)

    def context(self, error: str = "") -> dict:
        is_open = self.round.is_open_on(timezone.localdate())
        rows = []
        if is_open and self.person.employer_id:
            live = selectors.live_applications_for_round(person=self.person, round_=self.round)
            for category, result in selectors.eligibility_by_category(person=self.person, round_=self.round):
                key = category.pk if category else None
                # Open unless a rule fails: a rule the unit checks (pending) is confirmed by the unit later.
                rows.append(
                    {
                        "category": category,
                        "result": result,
                        "existing": live.get(key),
                        "open": result.status != INELIGIBLE,
                    }
                )
        refusal = ""
        if is_open and self.person.employer_id:
            refusal = services.sending_unit_problem(programme=self.round.programme, organisation=self.person.employer)
        return {
            "round": self.round,
            "person": self.person,
            "is_open": is_open,
            "rows": rows,
            "error": error or refusal,
        }

    def get(self, request, code: str):
        return render(request, "applications/start.html", self.context())

    def post(self, request, code: str):
        context = self.context()
        if not context["is_open"]:
            return render(request, "applications/start.html", context, status=400)
        wanted = request.POST.get("category", "")
        chosen = next((r for r in context["rows"] if str(r["category"].pk if r["category"] else "") == wanted), None)
        if chosen is None:
            context["error"] = _("Choose one of the categories below.")
            return render(request, "applications/start.html", context, status=400)
        if chosen["existing"] is not None:
            return redirect("applications:edit", pk=chosen["existing"].pk)
        if not chosen["open"]:
            context["error"] = _("You do not meet every condition of this category: see the reasons below.")
            return render(request, "applications/start.html", context, status=400)
        try:
            application = services.application_create(
                actor=request.user, person=self.person, round_=self.round, category=chosen["category"]
            )
        except ApplicationError as error:
            context["error"] = error.message
            return render(request, "applications/start.html", context, status=400)
        messages.success(request, _("Your draft is created. It is saved as you type."))
        return redirect("applications:edit", pk=application.pk)


class ApplicationEditView(View):
    """The form. Autosaved by HTMX as the person types (see ApplicationAutosaveView); the full POST saves
    everything typed, and submits when asked. When the session has expired, the POST re-renders every
    field as typed with a log-in box on the same page, so nothing is lost."""

    submit = False

    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        application = selectors.application_for_user(user=request.user, pk=pk)
        require_perm(request.user, "applications.edit_application", application)
        if application.state not in EDITABLE_STATES:
            return redirect("applications:detail", pk=pk)
        offerings = selectors.round_offerings(round_=application.round)
        preferences = selectors.application_preferences(application=application)
        form = ApplicationForm(initial=_form_initial(application, preferences), offerings=offerings)
        return render(request, "applications/form.html", self.context(request.user, application, form))

    def post(self, request, pk: int):
        if not request.user.is_authenticated:
            relogged = self.relogin(request)
            if not isinstance(relogged, bool):
                return relogged
        application = selectors.application_for_user(user=request.user, pk=pk)
        require_perm(request.user, "applications.edit_application", application)
        if application.state not in EDITABLE_STATES:
            messages.error(request, _("This application has been submitted and can no longer be edited."))
            return redirect("applications:detail", pk=pk)
        offerings = selectors.round_offerings(round_=application.round)
        form = _posted_form(request, application, offerings)
        errors = self.save(request, application, form)
        wants_submit = self.submit or request.POST.get("action") == "submit"
        if errors or form.errors or not wants_submit:
            # Nothing is submitted while a field is wrong: the person sees what they typed and the error.
            if not errors and not form.errors:
                messages.success(request, _("Saved."))
                return redirect("applications:edit", pk=pk)
            return render(
                request, "applications/form.html", self.context(request.user, application, form, errors), status=400
            )
        if not person_has_current_consent(person=application.person):
            messages.info(request, _("Before your first submission, please read and agree to the privacy notice."))
            back = reverse("applications:edit", args=[pk])
            return redirect(f"{reverse('people:consent')}?{urlencode({'next': back})}")
        if not person_has_sensitive_consent(person=application.person):
            # Translators: 中文：首次提交前，请阅读并单独同意敏感个人信息的处理。
            message = _(
                "Before your first submission, please agree separately to the processing of your sensitive data."
            )
            messages.info(request, message)
            back = reverse("applications:edit", args=[pk])
            return redirect(f"{reverse('people:consent_sensitive')}?{urlencode({'next': back})}")
        try:
            services.application_submit(actor=request.user, application=application)
        except ApplicationError as error:
            fields = error.extra.get("missing") or [error.field or "__all__"]
            errors = dict.fromkeys(fields, error.message)
            return render(
                request, "applications/form.html", self.context(request.user, application, form, errors), status=400
            )
        messages.success(request, _("Your application has been submitted to your unit."))
        return redirect("applications:detail", pk=pk)

    @staticmethod
    def save(request, application: Application, form: ApplicationForm) -> dict:
        """Save what validated; answer the service's errors by field."""
        try:
            services.application_update(actor=request.user, application=application, data=form.valid_data())
            chosen = form.chosen_offerings()
            if chosen is not None:
                services.application_set_preferences(actor=request.user, application=application, offerings=chosen)
        except ApplicationError as error:
            return {error.field or "__all__": error.message}
        return {}

    def relogin(self, request):
        """The session expired while the person was typing: log in on this page, keeping the text.

        Returns True once logged in (the caller goes on saving), or the page to show."""
        form = ApplicationForm(request.POST, keep_preferences=True)
        login_form = ReloginForm(request.POST if "login_username" in request.POST else None)
        if login_form.is_bound and login_form.is_valid():
            # Issue 10: through accounts, so the lockout and the second step apply here as on the login page.
            result = log_in(
                request,
                username=login_form.cleaned_data["login_username"],
                password=login_form.cleaned_data["login_password"],
                code=login_form.cleaned_data["login_code"],
            )
            if result.ok:
                return True
            login_form.needs_code = result.needs_code
            login_form.add_error(None, result.error)
        context = {"form": form, "login_form": login_form, "relogin": True, "action": request.POST.get("action", "")}
        return render(request, "applications/form.html", context)

    @staticmethod
    def context(user, application: Application, form: ApplicationForm, errors: dict | None = None) -> dict:
        """The form page; a service error on a form field is shown next to that field, the others
        (eligibility, round, state) next to the panel they concern."""
        other = {}
        for name, message in (errors or {}).items():
            if form.is_bound and name in form.fields:
                form.add_error(name, message)
            else:
                other[name] = message
        errors = other
        return {
            "application": application,
            "form": form,
            "errors": errors,
            "result": _eligibility(application),
            "can_withdraw": any(
                move.target == ApplicationState.WITHDRAWN
                for move in allowed_transitions(APPLICATION, application, user)
            ),
            "saved_at": application.updated_at,
        }


class ApplicationSubmitView(ApplicationEditView):
    """The form's submit button: save everything typed, then submit."""

    submit = True

    def get(self, request, pk: int):
        return redirect("applications:edit", pk=pk)


class ApplicationAutosaveView(View):
    """HTMX: save the form as the person types; answers the small status line ("已保存 14:32")."""

    def post(self, request, pk: int):
        template = "applications/_autosave_status.html"
        if not request.user.is_authenticated:
            # Not a redirect: HTMX would follow it and paste the log-in page into the status line.
            return render(request, template, {"expired": True})
        application = selectors.application_for_user(user=request.user, pk=pk)
        require_perm(request.user, "applications.edit_application", application)
        if application.state not in EDITABLE_STATES:
            return render(request, template, {"locked": True})
        offerings = selectors.round_offerings(round_=application.round)
        form = _posted_form(request, application, offerings)
        errors = ApplicationEditView.save(request, application, form)
        problems = [
            *errors.values(),
            *[f"{form.fields[n].label}: {e[0]}" for n, e in form.errors.items() if n in form.fields],
        ]
        return render(request, template, {"saved_at": timezone.localtime(), "problems": problems})


class ApplicationWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        application = selectors.application_for_user(user=request.user, pk=pk)
        require_perm(request.user, "applications.withdraw_application", application)
        try:
            services.application_withdraw(
                actor=request.user, application=application, comment=request.POST.get("comment", "")[:500]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("applications:detail", pk=pk)


# ------------------------------------------------------------------------------- detail and the PDF form


class ApplicationDetailView(LoginRequiredMixin, View):
    """One application with its eligibility, rule by rule, for the applicant, their unit and the commission."""

    def get(self, request, pk: int):
        application = selectors.application_for_user(user=request.user, pk=pk)
        user = request.user
        moves = allowed_transitions(APPLICATION, application, user)
        context = {
            "application": application,
            "person": application.person,
            "preferences": selectors.application_preferences(application=application),
            **_eligibility_panel(user, application),
            "history": _history(application),
            "can_reveal": user.has_perm("people.reveal_person", application.person),
            # As on the person page, for those who may see the person; each download is checked and logged.
            "documents": person_documents_for_user(user=user, person=application.person),
            "back_to_unit": user.has_perm("applications.decide_application", application),
            "can_edit": user.has_perm("applications.edit_application", application)
            and application.state in EDITABLE_STATES,
            "can_withdraw": any(move.target == ApplicationState.WITHDRAWN for move in moves),
            # The unit's choices (value, label), from the moves it may make now.
            "decisions": [
                (move.target, transition_label(APPLICATION, move)) for move in moves if move.target in DECISIONS
            ],
            "can_decide": any(move.target in DECISIONS for move in moves),
        }
        return render(request, "applications/detail.html", context)


class ApplicationPdfView(LoginRequiredMixin, View):
    """The official application form as a PDF; only for those who may view the application (404 otherwise)."""

    def get(self, request, pk: int):
        application = selectors.application_for_user(user=request.user, pk=pk)
        content = application_form_pdf(application=application, actor=request.user)
        audit_log(actor=request.user, action="application.pdf", obj=application)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=application_form_filename(application=application)
        )
        return response


class RuleConfirmView(LoginRequiredMixin, View):
    """The sending unit confirms a pending rule of an application (HTMX: answers the eligibility panel)."""

    def post(self, request, pk: int):
        application = selectors.application_for_user(user=request.user, pk=pk)
        # Translators: 中文：只有申请人所在单位可以确认此条件。
        require_perm(
            request.user, "applications.confirm_rule", application, _("Only the applicant's unit can confirm this.")
        )
        error_message = ""
        try:
            services.application_confirm_rule(
                actor=request.user,
                application=application,
                rule=request.POST.get("rule", "")[:120],
                note=request.POST.get("note", "")[:200],
            )
        except ApplicationError as error:
            error_message = error.message
        if not request.htmx:
            if error_message:
                messages.error(request, error_message)
            else:
                # Translators: 中文：已确认该条件。
                messages.success(request, _("The condition is confirmed."))
            return redirect(reverse("applications:detail", args=[pk]) + "#eligibility")
        application = selectors.application_for_user(user=request.user, pk=pk)
        context = {"application": application, "error": error_message, **_eligibility_panel(request.user, application)}
        return render(request, "applications/_eligibility_panel.html", context, status=400 if error_message else 200)


class ApplicationExceptionView(LoginRequiredMixin, View):
    """The unit or the commission records why an applicant who fails a rule is accepted (logged)."""

    def post(self, request, pk: int):
        application = selectors.application_for_user(user=request.user, pk=pk)
        require_perm(request.user, "applications.record_exception", application)
        form = ExceptionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the exception."))
            return redirect("applications:detail", pk=pk)
        try:
            services.application_record_exception(
                actor=request.user, application=application, note=form.cleaned_data["note"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The exception is recorded."))
        return redirect("applications:detail", pk=pk)


# ------------------------------------------------------------------------------------------ unit admin


class UnitAdminMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_role(user=request.user, role=Role.UNIT_ADMIN):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


DECISION_FIELDS = "applications/_decision_fields.html"


def _decide(decision: str):
    """The batch action that gives the ticked applications `decision`, with the opinion typed in the bar."""

    def run(request, rows) -> str:
        data = MultiValueDict({"ids": [str(r.pk) for r in rows], "decision": [decision]})
        data["opinion"] = request.POST.get("opinion", "")
        form = DecisionForm(data)
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e) for errs in form.errors.values() for e in errs))
        decided = services.applications_decide(
            actor=request.user, applications=list(rows), to=decision, opinion=form.cleaned_data["opinion"]
        )
        return _("%(count)s application(s): %(state)s.") % {
            "count": len(decided),
            "state": ApplicationState(decision).label,
        }

    return run


class UnitApplicationListView(UnitAdminMixin, KitListView):
    """The unit administrator's applicants: filter, sort, open one, export, decide on many at once."""

    table_class = UnitApplicationTable
    filterset_class = UnitApplicationFilter
    template_name = "applications/unit_list.html"
    # Translators: 中文：本单位申请
    title = gettext_lazy("Applications of my unit")
    intro = gettext_lazy(
        "Open an application to see its eligibility, or tick several and decide on them at once. "
        "The opinion goes on the official form."
    )
    # The decisions of the application machine's table (recommend, return, reject), as it names them.
    batch_actions = tuple(
        BatchAction(move.target, transition_label(APPLICATION, move), _decide(move.target), fields=DECISION_FIELDS)
        for move in APPLICATION.transitions
        if move.source == ApplicationState.SUBMITTED and move.target in DECISIONS
    )
    export_audit_action = "applications.export"

    def get_queryset(self):
        return selectors.applications_for_unit(user=self.request.user)

    def filterset_kwargs(self) -> dict:
        return selectors.unit_filter_querysets(user=self.request.user)


class ApplicationDecideView(UnitAdminMixin, View):
    """Recommend, return or reject one or many applications with one opinion (all or nothing), from an
    application's page (the list's batch bar posts to the list itself)."""

    def post(self, request):
        form = DecisionForm(request.POST)
        message = error = ""
        if not form.is_valid():
            error = " ".join(str(e) for errs in form.errors.values() for e in errs)
        else:
            ids = sorted(set(form.cleaned_data["ids"]))
            applications = selectors.applications_by_ids_for_unit(user=request.user, ids=ids)
            if len(applications) != len(ids):
                raise Http404
            try:
                decided = services.applications_decide(
                    actor=request.user,
                    applications=applications,
                    to=form.cleaned_data["decision"],
                    opinion=form.cleaned_data["opinion"],
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                label = ApplicationState(form.cleaned_data["decision"]).label
                message = _("%(count)s application(s): %(state)s.") % {"count": len(decided), "state": label}
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("applications:unit_list")
        return redirect(next_url)
