"""The auditor's pages: the audit trail of their jurisdiction in the back office's table kit (filters by name,
sortable columns, pages) and its export — the kit's export button gives the audit export (every hashed field and
both hashes, with the filters applied, itself audited). Read-only; anybody who is neither an auditor nor a
superuser gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from medtalent.audit import selectors, services
from medtalent.audit.tables import AuditEventFilter, AuditEventTable
from medtalent.core.excel import workbook_response
from medtalent.core.tables import KitListView


class AuditEventListView(KitListView):
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    template_name = "audit/events.html"
    # A trail of millions of events is not counted on every page: pages go by look-ahead.
    count_rows = False
    # Translators: 中文：审计日志
    title = gettext_lazy("Audit trail")
    # Translators: 中文：您管辖范围内的所有操作记录，只读；导出本身也会被记录。
    intro = gettext_lazy("Every recorded action within your jurisdiction, read-only. An export is itself recorded.")

    def permission_check(self, request) -> None:
        if not selectors.may_read_audit_trail(user=request.user):
            raise Http404("No audit trail.")

    def get_queryset(self):
        return selectors.audit_events_for_user(user=self.request.user).order_by("-id")

    def export(self, request):
        """The audit export with the page's filters: every hashed field, so a copy can be checked against the
        chain; the export is itself audited (`audit.export`)."""
        filterset = AuditEventFilter(request.GET, queryset=self.get_queryset(), request=request)
        workbook = services.audit_export(actor=request.user, filters=filterset.audit_filters())
        return workbook_response(workbook, f"audit-{timezone.localdate():%Y%m%d}.xlsx")


class AuditExportView(AuditEventListView):
    """The former address of the export (`/audit/export.xlsx?…`): the same export."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return self.export(request)
