"""Pages of pairing support: the live checks on a programme's network, its relationships, a city's pairing
network (graph), and the agreements between the two hospitals of a pairing (see the Agreements part below).

The checks, the list and the network are for the commission administrators in whose jurisdiction the
programme lies; the agreements list for unit and commission administrators, each seeing their own scope.
Anybody else who is logged in gets 403, a visitor is sent to the login page. An agreement or a pairing outside
the user's scope is not found (404), whether it exists or not; 403 is for one they may see but not change.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote, urlencode

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.services import audit_log
from medtalent.core.tables import BatchAction, KitListView
from medtalent.core.workflow import allowed_transitions, transition_label
from medtalent.partnerships import pdf, selectors, services
from medtalent.partnerships.enums import NETWORK_CHECKS, AgreementState
from medtalent.partnerships.models import Agreement, AgreementClause
from medtalent.partnerships.tables import AgreementFilter, AgreementTable, PairingFilter, PairingTable
from medtalent.partnerships.workflow import AGREEMENT


def _programme_for(request):
    programme = selectors.pairing_programme_for_user(
        user=request.user, code=request.GET.get("programme") or selectors.DEFAULT_PROGRAMME
    )
    require_perm(request.user, "partnerships.view_pairings", programme)
    return programme


class PairingChecksView(LoginRequiredMixin, View):
    def get(self, request):
        programme = _programme_for(request)
        findings = selectors.pairing_findings(programme=programme)
        context = {
            "programme": programme,
            "rules": list(programme.pairing_rules.filter(kind__in=NETWORK_CHECKS)),
            "findings": findings,
            "counties": [f for f in findings if f.region],
            # One URL for the hospitals' links (a {% url %} per finding costs ~30 ms on 1,000 findings).
            "list_url": f"{reverse('partnerships:list')}?{urlencode({'programme': programme.code})}",
        }
        return render(request, "partnerships/checks.html", context)


class PairingListView(KitListView):
    """The relationships of a programme (commission): filters by city and county name, the hospitals by name,
    sortable, exported with the filters applied."""

    table_class = PairingTable
    filterset_class = PairingFilter
    template_name = "partnerships/list.html"
    # Translators: 中文：支援关系
    title = gettext_lazy("Pairings")

    def permission_check(self, request):
        self.programme = _programme_for(request)

    def get_queryset(self):
        return selectors.pairing_list_pairings(programme=self.programme)

    def filterset_kwargs(self) -> dict:
        if not hasattr(self, "_choices"):
            self._choices = {
                "cities": selectors.pairing_cities(programme=self.programme),
                "counties": selectors.pairing_counties(programme=self.programme),
            }
        return self._choices

    def extra_context(self) -> dict:
        return {"programme": self.programme, "city_code": self.request.GET.get("city", "")}


class PairingNetworkView(LoginRequiredMixin, View):
    """A city's pairing network: the graph (ECharts), the table of its relationships, its counties with no
    pairing. `?programme=zj-pairing-2014&city=330300`; the programme's first city when none (or an unknown
    one) is asked for."""

    def get(self, request):
        programme = _programme_for(request)
        cities = selectors.pairing_cities(programme=programme)
        city = selectors.network_city(cities=cities, code=(request.GET.get("city") or "").strip()[:16])
        if city is None:
            city = selectors.network_city(cities=cities, code="")
        network = {"nodes": [], "links": [], "counties": [], "pairings": []}
        if city is not None:
            network = selectors.pairing_network(programme=programme, city=city)
            selectors.pairings_attach_agreements(pairings=network["pairings"])
            for pairing in network["pairings"]:
                pairing.programme = programme
            _mark_may_start(request.user, network["pairings"])
        chart = {
            "nodes": network["nodes"],
            "links": network["links"],
            "labels": {
                # Translators: 支援医院
                "supporting": _("Supporting hospital"),
                # Translators: 受援医院
                "supported": _("Supported hospital"),
                # Translators: 所在县（市、区）
                "county": _("County"),
                # Translators: 支援的医院数
                "supports": _("Hospitals supported"),
            },
        }
        context = {
            "programme": programme,
            "cities": cities,
            "city": city,
            "network": network,
            "chart": chart,
            "supporting_count": sum(1 for n in network["nodes"] if n["category"] == selectors.SUPPORTING),
            "supported_count": sum(1 for n in network["nodes"] if n["category"] == selectors.SUPPORTED),
        }
        return render(request, "partnerships/network.html", context)


def _mark_may_start(user, pairings) -> None:
    """`may_start_agreement` on each pairing without one: whether the user may start it (no query: the
    pairings carry their programme and the user's roles are cached)."""
    for pairing in pairings:
        pairing.may_start_agreement = pairing.current_agreement is None and user.has_perm(
            "partnerships.add_agreement", pairing
        )


# Agreements ------------------------------------------------------------------------------------------------
# The page and the PDF for anybody allowed to see the agreement (its two hospitals' unit administrators, the
# commission over the programme); the actions are POSTs that call the services, which check the permission
# again on the locked row. A refused action changes nothing: 404 outside the user's scope, 403 for an action
# on an agreement they may see, or a message on the page for a rule.

# Where each move's button posts (the approval of either side, the reopening).
MOVE_URLS = {
    AgreementState.AWAITING_APPROVAL: "partnerships:agreement_approve",
    AgreementState.APPROVED: "partnerships:agreement_approve",
    AgreementState.DRAFT: "partnerships:agreement_reopen",
}


def _agreement_for(request, pk: int, permission: str = "partnerships.view_agreement"):
    agreement = selectors.agreement_for_user(user=request.user, pk=pk)
    if permission != "partnerships.view_agreement":
        require_perm(request.user, permission, agreement)
    return agreement


def _run(request, agreement_pk: int, action, success):
    """Call a service; a business rule it refuses becomes an error message, a change the success message
    (`success`: the text, or a function of the result). Back to the agreement page."""
    try:
        result = action()
    except ApplicationError as error:
        messages.error(request, error.message)
        result = None
    else:
        messages.success(request, success(result) if callable(success) else success)
    target = result.pk if isinstance(result, Agreement) else agreement_pk
    return redirect("partnerships:agreement", pk=target)


def start_agreements(request, rows) -> str:
    """The batch action of the agreements list: each ticked pairing's agreement from the template, all or none
    (the service refuses a pairing that has one, or that the user may not start)."""
    count = 0
    for pairing in rows:
        services.agreement_create_from_template(actor=request.user, pairing=pairing)
        count += 1
    # Translators: 中文：已按范本为 %(count)s 对支援关系创建协议草稿。
    return _("%(count)s agreement(s) started from the template as drafts.") % {"count": count}


class AgreementListView(KitListView):
    """Every pairing in the user's scope with its current agreement, or a button to start one; a batch action
    starts the agreements of the ticked pairings that have none."""

    filterset_class = AgreementFilter
    template_name = "partnerships/agreements.html"
    # Translators: 中文：支援协议
    title = gettext_lazy("Agreements")
    # Translators: 本单位（或所管理项目）的每一对对口支援关系及其当前协议。
    intro = gettext_lazy("Every pairing in your care with its current agreement.")
    batch_actions = (
        # Translators: 中文：按范本起草协议
        BatchAction("start", gettext_lazy("Start the agreement from the template"), run=start_agreements),
    )

    def permission_check(self, request):
        # django-rules' own check: the user-wide permission needs none of the auth tables' queries.
        if not rules.has_perm("partnerships.view_agreement_list", request.user):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.agreement_list_pairings(user=self.request.user)

    def filterset_kwargs(self) -> dict:
        if not hasattr(self, "_choices"):
            programmes, cities = selectors.agreement_filter_choices(user=self.request.user)
            self._choices = {"programmes": programmes, "cities": cities}
        return self._choices

    @property
    def table_class(self):
        # The programme column only for a user with pairings in more than one programme.
        if len(self.filterset_kwargs()["programmes"]) > 1:
            return AgreementTable
        return partial(AgreementTable, exclude=("programme",))


def agreement_years(agreement) -> list[int]:
    """Each year of the agreement's term (each links to the pairing's page of that year)."""
    return list(range(agreement.starts_on.year, agreement.ends_on.year + 1))


class AgreementTermForm(forms.Form):
    # Translators: 协议期限开始日期
    starts_on = forms.DateField(
        label=gettext_lazy("Term starts"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # Translators: 协议期限结束日期
    ends_on = forms.DateField(
        label=gettext_lazy("Term ends"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The term cannot end before it starts."))
        return data


def _agreement_page(request, agreement, term_form: AgreementTermForm | None = None):
    user = request.user
    is_draft = agreement.state == AgreementState.DRAFT
    may_change = user.has_perm("partnerships.change_agreement", agreement)
    if term_form is None:
        term_form = AgreementTermForm(initial={"starts_on": agreement.starts_on, "ends_on": agreement.ends_on})
    # The approval and the reopening: the moves the user may make now, each a button posting to its page.
    moves = [
        {
            "url": reverse(MOVE_URLS[move.target], args=[agreement.pk]),
            "label": transition_label(AGREEMENT, move),
            "style": move.style,
        }
        for move in allowed_transitions(AGREEMENT, agreement, user)
    ]
    context = {
        "agreement": agreement,
        "pairing": agreement.pairing,
        "clauses": selectors.agreement_clauses(agreement=agreement),
        "versions": selectors.agreement_versions(pairing=agreement.pairing),
        "may_edit": may_change and is_draft,
        "moves": moves,
        "may_new_version": may_change and agreement.state == AgreementState.APPROVED,
        "term_form": term_form,
        "years": agreement_years(agreement),
    }
    return render(request, "partnerships/agreement.html", context)


class AgreementView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return _agreement_page(request, _agreement_for(request, pk))


class AgreementTermView(LoginRequiredMixin, View):
    """The term of a draft: the form again with the error next to the field when refused, nothing saved."""

    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        form = AgreementTermForm(request.POST)
        if form.is_valid():
            try:
                services.agreement_set_term(
                    actor=request.user,
                    agreement=agreement,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 协议期限已保存。
                messages.success(request, _("The term is saved."))
                return redirect("partnerships:agreement", pk=agreement.pk)
        return _agreement_page(request, agreement, term_form=form)


class AgreementPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        agreement = _agreement_for(request, pk)
        response = HttpResponse(pdf.agreement_pdf(agreement=agreement), content_type="application/pdf")
        audit_log(actor=request.user, action="agreement.pdf", obj=agreement)
        filename = pdf.agreement_filename(agreement=agreement)
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        return response


class AgreementCreateView(LoginRequiredMixin, View):
    def post(self, request, pairing_pk):
        pairing = selectors.pairing_for_user(user=request.user, pk=pairing_pk)
        require_perm(request.user, "partnerships.add_agreement", pairing)
        try:
            agreement = services.agreement_create_from_template(actor=request.user, pairing=pairing)
        except ApplicationError as error:
            messages.error(request, error.message)
            current = selectors.agreement_current(pairing=pairing)
            if current is None:
                return redirect("partnerships:list")
            return redirect("partnerships:agreement", pk=current.pk)
        # Translators: 中文：已按范本创建协议草稿。
        messages.success(request, _("The agreement is started from the template as a draft."))
        return redirect("partnerships:agreement", pk=agreement.pk)


class AgreementAddClauseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        text = request.POST.get("text_zh", "")  # the service refuses a clause longer than the model allows
        return _run(
            request,
            pk,
            lambda: services.agreement_add_clause(actor=request.user, agreement=agreement, text_zh=text),
            # Translators: 中文：条款已增加。
            _("The clause is added."),
        )


class AgreementRemoveClauseView(LoginRequiredMixin, View):
    def post(self, request, pk, clause_pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        clause = get_object_or_404(AgreementClause, pk=clause_pk, agreement=agreement)
        clause.agreement = agreement
        return _run(
            request,
            pk,
            lambda: services.agreement_remove_clause(actor=request.user, clause=clause),
            # Translators: 中文：条款已删除。
            _("The clause is removed."),
        )


def _approved(agreement: Agreement) -> str:
    if agreement.state == AgreementState.APPROVED:
        # Translators: 中文：协议已获双方批准，正式生效。
        return _("Both hospitals have approved: the agreement is in force.")
    # Translators: 中文：已批准（本方），等待对方医院批准。
    return _("Approved for your hospital; waiting for the other hospital's approval.")


class AgreementApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.approve_agreement")
        return _run(request, pk, lambda: services.agreement_approve(actor=request.user, agreement=agreement), _approved)


class AgreementReopenView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(
            request,
            pk,
            lambda: services.agreement_reopen(actor=request.user, agreement=agreement),
            # Translators: 中文：协议已退回修改，已有的批准已清除。
            _("The agreement is reopened for changes; the approval given is cleared."),
        )


class AgreementNewVersionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(
            request,
            pk,
            lambda: services.agreement_new_version(actor=request.user, agreement=agreement),
            lambda new: (
                # Translators: 中文：已创建第%(version)s版草稿，可修改后重新批准。
                _("Version %(version)s is started as a draft: change it, then approve it again.")
                % {"version": new.version}
            ),
        )
