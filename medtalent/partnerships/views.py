"""Pages of pairing support: the live checks on a programme's network, its relationships, and the
agreements between the two hospitals of a pairing (see the Agreements part below).

The checks and the list are for the commission administrators in whose jurisdiction the programme lies; anybody else who is
logged in gets 403, a visitor is sent to the login page.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from medtalent.core.errors import ApplicationError
from medtalent.partnerships import pdf, selectors, services
from medtalent.partnerships.enums import NETWORK_CHECKS, AgreementState
from medtalent.partnerships.models import Agreement, AgreementClause, Pairing


def _programme_for(request):
    programme = selectors.pairing_programme_get(code=request.GET.get("programme") or selectors.DEFAULT_PROGRAMME)
    if not request.user.has_perm("partnerships.view_pairings", programme):
        raise PermissionDenied
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
        page, rows = selectors.pairings_page(programme=programme, filters=filters, page=request.GET.get("page", 1))
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


# Agreements ------------------------------------------------------------------------------------------------
# The page and the PDF for anybody allowed to see the agreement (its two hospitals' unit administrators, the
# commission over the programme); the actions are POSTs that call the services, which check the permission
# again on the locked row. A refused action changes nothing: 403, or a message on the page for a rule.


def _agreement_for(request, pk: int, permission: str = "partnerships.view_agreement"):
    agreement = selectors.agreement_get(pk=pk)
    if not request.user.has_perm(permission, agreement):
        raise PermissionDenied
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


class AgreementView(LoginRequiredMixin, View):
    def get(self, request, pk):
        agreement = _agreement_for(request, pk)
        user = request.user
        is_draft = agreement.state == AgreementState.DRAFT
        may_change = user.has_perm("partnerships.change_agreement", agreement)
        context = {
            "agreement": agreement,
            "pairing": agreement.pairing,
            "clauses": selectors.agreement_clauses(agreement=agreement),
            "versions": selectors.agreement_versions(pairing=agreement.pairing),
            "may_edit": may_change and is_draft,
            "may_approve": agreement.state in (AgreementState.DRAFT, AgreementState.AWAITING_APPROVAL)
            and user.has_perm("partnerships.approve_agreement", agreement),
            "may_reopen": may_change and agreement.state == AgreementState.AWAITING_APPROVAL,
            "may_new_version": may_change and agreement.state == AgreementState.APPROVED,
        }
        return render(request, "partnerships/agreement.html", context)


class AgreementPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        agreement = _agreement_for(request, pk)
        response = HttpResponse(pdf.agreement_pdf(agreement=agreement), content_type="application/pdf")
        filename = pdf.agreement_filename(agreement=agreement)
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        return response


class AgreementCreateView(LoginRequiredMixin, View):
    def post(self, request, pairing_pk):
        pairing = get_object_or_404(Pairing.objects.select_related("programme__owner__region"), pk=pairing_pk)
        if not request.user.has_perm("partnerships.add_agreement", pairing):
            raise PermissionDenied
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
        text = request.POST.get("text_zh", "")[:4000]
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
        agreement = _agreement_for(request, pk)
        if not request.user.has_perm("partnerships.approve_agreement", agreement):
            raise PermissionDenied
        return _run(request, pk, lambda: services.agreement_approve(actor=request.user, agreement=agreement))


class AgreementReopenView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(request, pk, lambda: services.agreement_reopen(actor=request.user, agreement=agreement))


class AgreementNewVersionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agreement = _agreement_for(request, pk, "partnerships.change_agreement")
        return _run(request, pk, lambda: services.agreement_new_version(actor=request.user, agreement=agreement))
