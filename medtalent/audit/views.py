"""The auditor's pages: the audit trail of their jurisdiction, filtered and paginated, and its export.
Read-only; anybody who is neither an auditor nor a superuser gets 404."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from medtalent.audit import selectors, services
from medtalent.audit.forms import AuditFilterForm
from medtalent.core.excel import workbook_response


def _form(request) -> AuditFilterForm:
    if not selectors.may_read_audit_trail(user=request.user):
        raise Http404("No audit trail.")
    return AuditFilterForm(request.GET or None)


class AuditEventListView(LoginRequiredMixin, View):
    def get(self, request):
        form = _form(request)
        filters = form.filters() if form.is_bound else selectors.AuditFilters()
        before = request.GET.get("before", "")
        events, next_before = selectors.audit_events_page(
            user=request.user, filters=filters, before=int(before) if before.isdigit() else None
        )
        query = request.GET.copy()
        query.pop("before", None)
        return render(
            request,
            "audit/events.html",
            {
                "form": form,
                "events": events,
                "next_before": next_before,
                "paged": bool(before),
                "query": query.urlencode(),
            },
        )


class AuditExportView(LoginRequiredMixin, View):
    def get(self, request):
        form = _form(request)
        filters = form.filters() if form.is_bound else selectors.AuditFilters()
        workbook = services.audit_export(actor=request.user, filters=filters)
        return workbook_response(workbook, f"audit-{timezone.localdate():%Y%m%d}.xlsx")
