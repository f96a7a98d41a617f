"""The back office's table kit: one way to list rows for staff (issue 11).

A list page declares a table (django-tables2) and a filter set (django-filter), and its view is a `KitListView`:

- sortable columns (a header link; HTMX swaps the results, the address keeps the state for a reload or a link);
- filters that take names (a select of organisations by name, a search box), never raw codes;
- pagination (`?page=`, `?per_page=` within `PAGE_SIZES`);
- a row checkbox (`SelectColumn`) with batch actions (`BatchAction`): the view acts on the ticked rows *of its own
  queryset*, so a tampered id outside the user's scope is simply not found;
- "Export to Excel" with the filters and the order applied: the same columns and the same text as the page
  (`Table.as_values`), every cell neutralised against formulas (`core.excel.neutralise`);
- a phone layout: under 640 px each row becomes a card whose cells carry their column's name (`data-label`).

The view is the one place that scopes rows (`get_queryset`); the table only renders what it is given. docs/ui-kit.md
shows a complete example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator
from openpyxl import Workbook

from medtalent.core.errors import ApplicationError
from medtalent.core.excel import append_row, workbook_response
from medtalent.core.services import audit_log

# The page sizes a user may choose; the first is the default.
PAGE_SIZES = (50, 20, 100)
# An export holds at most this many rows: beyond it the user narrows the filters (the page says so).
EXPORT_MAX_ROWS = 20_000


class SelectColumn(tables.Column):
    """The row checkbox of a batch action: `name="ids"`, labelled by the row's `str()` for screen readers.

    `selectable(record)` on the table decides whether a row can be ticked (a decided application cannot)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("accessor", "pk")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        # Translators: 中文：选择
        kwargs.setdefault("verbose_name", gettext_lazy("Select"))
        kwargs.setdefault("attrs", {"th": {"class": "kit-select"}, "td": {"class": "kit-select"}})
        super().__init__(**kwargs)

    @property
    def header(self):
        # Translators: 中文：全选本页
        label = _("Select every row on this page")
        return format_html('<input type="checkbox" class="kit-pick-all" aria-label="{}">', label)

    def render(self, value, record, table):
        if not table.selectable(record):
            return ""
        # Translators: 中文：选择 %(row)s
        label = _("Select %(row)s") % {"row": table.row_label(record)}
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="{}" aria-label="{}" class="kit-pick">',
            value,
            table.batch_form_id,
            label,
        )


class TimeColumn(tables.Column):
    """A moment as the page and the export show it: local time, "2026-01-02 08:00"; "—" when there is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(**kwargs)

    def render(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value

    def value(self, value):
        return self.render(value)


@dataclass(frozen=True)
class BatchAction:
    """One batch action of a list: `name` is sent as `action`, `label` is the button's text.

    `run(request, rows)` does the work through services and returns the success message; it raises
    `ApplicationError` (core.errors) with a message for the user when nothing may be done. `fields` is a
    template included in the batch bar for the action's own inputs (an opinion, a date)."""

    name: str
    label: Any
    run: Callable[[HttpRequest, QuerySet], str]
    fields: str = ""
    confirm: Any = ""


class KitTable(tables.Table):
    """A staff table. Subclasses declare columns as django-tables2 does; `Meta` inherits the kit's template."""

    # The file name of the Excel export, without the date and extension ("本单位申请").
    # Translators: 中文：导出
    export_name: Any = gettext_lazy("export")
    batch_form_id = "kit-batch"

    class Meta:
        template_name = "kit/table.html"
        attrs = {"class": "kit-table"}
        # Translators: 中文：没有符合条件的记录。
        empty_text = gettext_lazy("Nothing matches these filters.")

    def selectable(self, record) -> bool:
        """Whether `record` can be ticked for a batch action."""
        return True

    def row_label(self, record) -> str:
        """How a row is named to a screen reader ("选择 张三")."""
        return str(record)

    def export_workbook(self, *, title: str = "") -> Workbook:
        """The table as a workbook: the header row, then every row (not only the page) as the page shows it."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (title or str(self.export_name))[:31]
        for values in self.as_values():
            append_row(sheet, [_plain(v) for v in values])
        sheet.freeze_panes = "A2"
        return workbook


def _plain(value) -> Any:
    """A cell as the page shows it: numbers and dates stay typed, a time is the page's local "Y-m-d H:i", anything
    else is its text without markup (the page's words, spaces collapsed), "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    return " ".join(unescape(strip_tags(str(value))).split()) or "—"


class KitListView(View):
    """The view of a staff list: GET shows the page (or, to HTMX, the results only) or exports it; POST runs a
    batch action on the ticked rows of the same scoped queryset.

    Subclasses set `table_class`, `filterset_class` (optional), `template_name` (a page that includes
    "kit/list.html" or renders `{% partial results %}`), and implement `get_queryset()` to return only the rows
    the user may see. `permission_check(request)` raises PermissionDenied (or returns a response) before anything.
    """

    table_class: type[KitTable]
    filterset_class: Any = None
    template_name: str = "kit/page.html"
    # What an HTMX request (a filter, a sort, a page, a batch action) gets back: the results only.
    results_template: str = "kit/_results.html"
    title: Any = ""
    intro: Any = ""
    batch_actions: Sequence[BatchAction] = ()
    # The audit trail names an export of personal data ("people.export"): empty for lists without any.
    export_audit_action: str = ""
    # False for a list too long to count on every page (the audit trail): pages by look-ahead, no total shown.
    count_rows: bool = True

    # ---- what a subclass gives
    def get_queryset(self) -> QuerySet:  # pragma: no cover - every list defines its scope
        raise NotImplementedError

    def permission_check(self, request) -> None:
        """Raise PermissionDenied when the user may not see this list at all."""

    def extra_context(self) -> dict:
        return {}

    def audit_export(self, request, *, rows: int, filters: dict) -> None:
        """An export of personal data is in the audit trail: who, how many rows, with which filters (their names
        only: a name typed in a search box is personal)."""
        if self.export_audit_action:
            audit_log(
                actor=request.user,
                action=self.export_audit_action,
                obj=request.user,
                data={"rows": rows, "filters": sorted(filters)},
            )

    # ---- the kit
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        answer = self.permission_check(request)
        if answer is not None:
            return answer
        return super().dispatch(request, *args, **kwargs)

    def filterset_kwargs(self) -> dict:
        """More arguments of the filter set (the choices it offers, worked out for this user)."""
        return {}

    def filtered(self, params):
        """The filter set (to draw) and the rows it selects. A value that is not valid (a state that does not
        exist, an old link) is shown with its error beside the field and the other filters still apply."""
        queryset = self.get_queryset()
        if self.filterset_class is None:
            return None, queryset
        kwargs = self.filterset_kwargs()
        filterset = self.filterset_class(params, queryset=queryset, request=self.request, **kwargs)
        if filterset.is_valid():
            return filterset, filterset.qs
        valid = params.copy()
        for name in filterset.form.errors:
            valid.pop(name, None)
        rest = self.filterset_class(valid, queryset=queryset, request=self.request, **kwargs)
        return filterset, (rest.qs if rest.is_valid() else queryset.none())

    def build_table(self, params, *, paginate: bool = True) -> tuple[KitTable, Any]:
        filterset, queryset = self.filtered(params)
        # Not `request=`: django-tables2 would then paginate with its own (counting) paginator first.
        table = self.table_class(queryset)
        table.batch_actions = self.batch_actions
        per_page = _page_size(params.get("per_page"))
        pages = {"per_page": per_page} if self.count_rows else {"per_page": per_page, "paginator_class": LazyPaginator}
        RequestConfig(self.request, paginate=pages if paginate else False).configure(table)
        return table, filterset

    def context(self, params, **extra) -> dict:
        table, filterset = self.build_table(params)
        return {
            "table": table,
            # The rows of the page shown (the table draws the same, already fetched, objects).
            "rows": [row.record for row in table.page.object_list] if table.page else [],
            "filter": filterset,
            "title": self.title,
            "intro": self.intro,
            "list_url": self.request.path,
            "results_template": self.results_template,
            # The list's state (filters, order, page size) without the page: links and the export keep it.
            "params": _state(params),
            "query": _state(params).urlencode(),
            "page_sizes": PAGE_SIZES,
            "count_rows": self.count_rows,
            "per_page": _page_size(params.get("per_page")),
            "export_max_rows": EXPORT_MAX_ROWS,
            **self.extra_context(),
            **extra,
        }

    def render_list(self, request, params, status: int = 200, **extra) -> HttpResponse:
        context = self.context(params, **extra)
        template = self.results_template if request.htmx else self.template_name
        return render(request, template, context, status=status)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return self.render_list(request, request.GET)

    def export(self, request) -> HttpResponse:
        table, filterset = self.build_table(request.GET, paginate=False)
        count = len(table.data)
        if count > EXPORT_MAX_ROWS:
            # Translators: 中文：导出最多 %(max)s 行，当前筛选结果有 %(count)s 行：请缩小筛选范围后再导出。
            message = _("An export holds at most %(max)s rows and these filters give %(count)s: narrow them first.") % {
                "max": EXPORT_MAX_ROWS,
                "count": count,
            }
            messages.error(request, message)
            return HttpResponseRedirect(f"{request.path}?{_without(request.GET, 'export')}")
        filters = {k: v for k, v in request.GET.items() if k not in ("export", "page", "per_page") and v}
        self.audit_export(request, rows=count, filters=filters)
        name = f"{table.export_name}-{timezone.localdate():%Y%m%d}.xlsx"
        return workbook_response(table.export_workbook(title=str(self.title or table.export_name)), name)

    def post(self, request, *args, **kwargs):
        error = self.run_batch(request)
        if error:
            messages.error(request, error)
        # The batch form carries the list's filters as `query`: the list comes back as the user left it.
        query = QueryDict(request.POST.get("query", ""))
        if request.htmx:
            return self.render_list(request, query)
        encoded = _without(query, "page")
        return HttpResponseRedirect(f"{request.path}?{encoded}" if encoded else request.path)

    def run_batch(self, request) -> str:
        """Run the chosen action on the ticked rows, all or nothing; the error to show, or "" once done."""
        action = {a.name: a for a in self.batch_actions}.get(request.POST.get("action", ""))
        ids = {int(i) for i in request.POST.getlist("ids") if i.isdigit()}
        if action is None:
            # Translators: 中文：请选择要执行的批量操作。
            return _("Choose what to do with the ticked rows.")
        if not ids:
            # Translators: 中文：请先勾选至少一行。
            return _("Tick at least one row first.")
        rows = self.get_queryset().filter(pk__in=ids)
        if rows.count() != len(ids):
            # A row was deleted meanwhile, or is not the user's (a tampered id): nothing is done.
            # Translators: 中文：勾选的记录中有已不在此列表中的记录，未做任何更改；请刷新后重试。
            return _("Some ticked rows are no longer in this list; nothing was changed. Reload and try again.")
        try:
            with transaction.atomic():
                messages.success(request, action.run(request, rows))
        except ApplicationError as exc:
            return exc.message
        except PermissionDenied:
            # Translators: 中文：您无权对勾选的记录执行此操作，未做任何更改。
            return _("You may not do this to the ticked rows; nothing was changed.")
        return ""


def _page_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _state(params) -> QueryDict:
    state = params.copy()
    for key in ("page", "export", "action", "ids", "query", "csrfmiddlewaretoken"):
        state.pop(key, None)
    return state


def _without(params, *keys: str) -> str:
    query = params.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()
