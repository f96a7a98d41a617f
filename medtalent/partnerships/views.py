"""Pages of pairing support: the live checks on a programme's network, its relationships, a city's pairing
network (graph), and the agreements between the two hospitals of a pairing (see the Agreements part below).

The checks, the list and the network are for the commission administrators in whose jurisdiction the
programme lies; the agreements list for unit and commission administrators, each seeing their own scope.
Anybody else who is logged in gets 403, a visitor is sent to the login page. An agreement or a pairing outside
the user's scope is not found (404), whether it exists or not; 403 is for one they may see but not change.
"""

from __future__ import annotations

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
from medtalent.core.workflow import allowed_transitions, transition_label
from medtalent.partnerships import pdf, selectors, services
from medtalent.partnerships.enums import NETWORK_CHECKS, AgreementState
from medtalent.partnerships.models import Agreement, AgreementClause
from medtalent.partnerships.workflow import AGREEMENT


def _programme_for(request):
    programme = selectors.pairing_programme_for_user(
        user=request.user, code=request.GET.get("programme") or selectors.DEFAULT_PROGRAMME
    )
    require_perm(request.user, "partnerships.view_pairings", programme)
    return programme


def filters_from(params) -> selectors.PairingFilters:
    """Filters from a query string; anything malformed is ignored rather than an error."""
    year = (params.get("year") or "").strip()
    return selectors.PairingFilters(
        city=(params.get("city") or "").strip()[:16],
        supporting=(params.get("supporting") or "").strip()[:80],
        supported=(params.get("supported") or "").strip()[:80],
        county=(params.get("county") or "").strip()[:16],
        year=int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None,
    )


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


class PairingListView(LoginRequiredMixin, View):
    def get(self, request):
        programme = _programme_for(request)
        filters = filters_from(request.GET)
        page, rows = selectors.pairings_page(
            programme=programme, filters=filters, page=request.GET.get("page", 1), with_agreements=True
        )
        _mark_may_start(request.user, rows)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "programme": programme,
            "filters": filters,
            "cities": selectors.pairing_cities(programme=programme),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        }
        return render(request, "partnerships/list.html", context)


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


def _run(request, agreement_pk: int, action):
    """Call a service; a business rule it refuses becomes a message. Back to the agreement page."""
    try:
        result = action()
    except ApplicationError as error:
        messages.error(request, error.message)
        result = None
    target = result.pk if isinstance(result, Agreement) else agreement_pk
    return redirect("partnerships:agreement", pk=target)


def filters_for_agreements(params) -> selectors.AgreementFilters:
    """The agreements list's filters from a query string; an unknown state is ignored."""
    state = (params.get("state") or "").strip()
    states = {*AgreementState.values, selectors.NO_AGREEMENT}
    return selectors.AgreementFilters(
        programme=(params.get("programme") or "").strip()[:60],
        city=(params.get("city") or "").strip()[:16],
        state=state if state in states else "",
    )


class AgreementListView(LoginRequiredMixin, View):
    """Every pairing in the user's scope with its current agreement, or a button to start one."""

    def get(self, request):
        # django-rules' own check: the user-wide permission needs none of the auth tables' queries.
        if not rules.has_perm("partnerships.view_agreement_list", request.user):
            raise PermissionDenied
        filters = filters_for_agreements(request.GET)
        page, rows = selectors.agreements_page(user=request.user, filters=filters, page=request.GET.get("page", 1))
        _mark_may_start(request.user, rows)
        programmes, cities = selectors.agreement_filter_choices(user=request.user)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filters": filters,
            "programmes": programmes,
            "cities": cities,
            "states": [*AgreementState.choices, (selectors.NO_AGREEMENT, _("No agreement yet"))],
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        }
        return render(request, "partnerships/agreements.html", context)


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
        return redirect("partnerships:agreement", pk=agreement.pk)


class AgreementAddClauseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        text = request.POST.get("text_zh", "")  # the service refuses a clause longer than the model allows
        return _run(
            request, pk, lambda: services.agreement_add_clause(actor=request.user, agreement=agreement, text_zh=text)
        )


class AgreementRemoveClauseView(LoginRequiredMixin, View):
    def post(self, request, pk, clause_pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        clause = get_object_or_404(AgreementClause, pk=clause_pk, agreement=agreement)
        clause.agreement = agreement
        return _run(request, pk, lambda: services.agreement_remove_clause(actor=request.user, clause=clause))


class AgreementApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.approve_agreement")
        return _run(request, pk, lambda: services.agreement_approve(actor=request.user, agreement=agreement))


class AgreementReopenView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(request, pk, lambda: services.agreement_reopen(actor=request.user, agreement=agreement))


class AgreementNewVersionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(request, pk, lambda: services.agreement_new_version(actor=request.user, agreement=agreement))
