"""The audit trail's list in the back office's table kit (core/tables.py): filters by name, sortable columns,
pages, and the kit's export button giving the audit export (every hashed field, itself audited)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtalent.audit.selectors import AuditFilters, audit_filters_apply, object_type_choices, object_type_names
from medtalent.core.tables import KitTable

DATE = forms.DateInput(attrs={"type": "date"})


class AuditEventFilter(django_filters.FilterSet):
    """Who, what, which object (its kind by name, an organisation by any of its names), when. The fields only
    draw and check the form: `audit_filters_apply` (the selectors) is the one place that filters."""

    # Translators: 中文：操作人（用户名）
    actor = django_filters.CharFilter(label=_("Who (user name)"), max_length=150, method="by_form")
    # Translators: 中文：操作
    action = django_filters.CharFilter(label=_("Action"), max_length=80, method="by_form")
    # Translators: 中文：对象类型
    object_type = django_filters.ChoiceFilter(label=_("Object type"), method="by_form", empty_label=_("All kinds"))
    # Translators: 中文：对象编号
    object_id = django_filters.CharFilter(label=_("Object id"), max_length=64, method="by_form")
    organisation = django_filters.CharFilter(
        # Translators: 中文：机构
        label=_("Organisation"),
        max_length=100,
        method="by_form",
        widget=forms.TextInput(
            # Translators: 中文：机构的任一名称或简称，例如“浙大一院”
            attrs={"type": "search", "placeholder": _("Any of its names or abbreviations, e.g. 浙大一院")}
        ),
    )
    # Translators: 中文：起始日期
    date_from = django_filters.DateFilter(label=pgettext_lazy("first day", "From"), method="by_form", widget=DATE)
    # Translators: 中文：截止日期
    date_to = django_filters.DateFilter(label=pgettext_lazy("last day", "To"), method="by_form", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = object_type_choices()

    def by_form(self, queryset, name, value):
        return queryset  # see filter_queryset

    def audit_filters(self) -> AuditFilters:
        data = self.form.cleaned_data if self.is_valid() else {}
        text = {name: (data.get(name) or "").strip() for name in ("actor", "action", "object_id", "organisation")}
        return AuditFilters(
            object_type=data.get("object_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            **text,
        )

    def filter_queryset(self, queryset):
        return audit_filters_apply(queryset, self.audit_filters())


class AuditEventTable(KitTable):
    # Translators: 中文：审计日志
    export_name = _("Audit trail")

    # Translators: 中文：时间
    created_at = tables.DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s", order_by=("id",))
    # Translators: 中文：操作人
    actor_username = tables.Column(verbose_name=_("Who"), default="—", order_by=("actor_username", "id"))
    # Translators: 中文：操作
    action = tables.Column(verbose_name=_("Action"), order_by=("action", "id"))
    # Translators: 中文：对象
    object = tables.Column(verbose_name=_("Object"), accessor="object_type", order_by=("object_type", "id"))
    # Translators: 中文：状态变化
    state = tables.Column(verbose_name=_("State"), accessor="to_state", empty_values=(), orderable=False)
    # Translators: 中文：行政区划
    region_code = tables.Column(verbose_name=_("Region"), default="—", orderable=False)
    # Translators: 中文：备注与数据
    note = tables.Column(verbose_name=_("Note and data"), empty_values=(), orderable=False)

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table audit-events"}
        # Translators: 中文：没有符合条件的记录。
        empty_text = _("No event matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_names = object_type_names()

    def render_actor_username(self, value, record):
        return f"{value} #{record.actor_id}" if record.actor_id else value

    def render_object(self, value, record):
        return f"{self.type_names.get(value, value)} #{record.object_id}"

    def render_state(self, value, record):
        if not (record.from_state or record.to_state):
            return "—"
        return f"{record.from_state or '—'} → {record.to_state or '—'}"

    def render_note(self, value, record):
        text = (record.note or "")[:200]
        return f"{text} {record.data}".strip() if record.data else (text or "—")
