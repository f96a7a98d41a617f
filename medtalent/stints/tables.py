"""The staff lists of stints in the back office's table kit (core/tables.py): a hospital's roster (the people it
receives and the people it sent) and the alliance's inbound foreign trainees."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from medtalent.core.search import text_match_q
from medtalent.core.tables import KitTable
from medtalent.orgs.selectors import organisation_match_q
from medtalent.stints.enums import StintKind, StintState

CURRENT_STATES = (StintState.PLANNED, StintState.ACTIVE)
RECEIVED = "received"
SENT = "sent"
ALL = "all"


def _search(placeholder) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": placeholder})


class StintFilter(django_filters.FilterSet):
    """A person's name, the other hospital (THE organisation search, either side), the state."""

    q = django_filters.CharFilter(label=_("Name"), method="by_name", max_length=50, widget=_search(_("Name")))
    # Translators: 中文：医院
    hospital = django_filters.CharFilter(
        label=_("Hospital"),
        method="by_hospital",
        max_length=80,
        # Translators: 中文：派出或接收单位名称
        widget=_search(_("Sending or receiving institution")),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=StintState.choices, empty_label=_("All states"))

    def by_name(self, queryset, name, value):
        for term in value.split()[:10]:
            queryset = queryset.filter(text_match_q(term, "person__name"))
        return queryset

    def by_hospital(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(organisation_match_q(value, field="home") | organisation_match_q(value, field="host"))


class RosterFilter(StintFilter):
    """The roster's filters: who (received by the hospital, or sent by it), the kind, and, unless a state is
    chosen or every stint asked for (`show=all`, the old link), only the planned and current ones."""

    # Translators: 中文：全部（接收和派出）
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        method="by_direction",
        # Translators: 中文：派驻到本院或来本院进修 / 本院派出
        choices=((RECEIVED, _("Received by my hospital")), (SENT, _("Sent by my hospital"))),
        empty_label=_("Received and sent"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in StintKind if k != StintKind.TRAINING],
        empty_label=_("All kinds"),
    )
    # Translators: 中文：范围
    show = django_filters.ChoiceFilter(
        label=_("Period"),
        method="by_show",
        # Translators: 中文：显示全部（含已结束和已取消）
        choices=((ALL, _("Show all, including completed and cancelled")),),
        # Translators: 中文：计划中和在岗的
        empty_label=_("Planned and current"),
    )

    class Meta:
        fields = ()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)

    def by_direction(self, queryset, name, value):
        if value == RECEIVED:
            return queryset.filter(host_id__in=self.units)
        if value == SENT:
            return queryset.filter(home_id__in=self.units)
        return queryset

    def by_show(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("show") != ALL and not data.get("state"):
            queryset = queryset.filter(state__in=CURRENT_STATES)
        return queryset


class StintTable(KitTable):
    # Translators: 中文：派驻与进修人员
    export_name = _("Dispatched staff and trainees")

    # Translators: 人员
    person = tables.Column(verbose_name=_("Person"), accessor="person__name", order_by=("person__name", "id"))
    # Translators: 类别
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "-starts_on", "id"))
    # Translators: 派出单位及科室
    home = tables.Column(verbose_name=_("From"), accessor="home__name", order_by=("home__name_zh", "-starts_on", "id"))
    # Translators: 接收单位及科室
    host = tables.Column(verbose_name=_("To"), accessor="host__name", order_by=("host__name_zh", "-starts_on", "id"))
    # Translators: 起止日期
    dates = tables.Column(verbose_name=_("Dates"), accessor="starts_on", order_by=("starts_on", "ends_on", "id"))
    # Translators: 岗位
    role = tables.Column(verbose_name=_("Post"), default="—", order_by=("role", "-starts_on", "id"))
    # Translators: 职称（派出时）
    title = tables.Column(verbose_name=_("Title"), accessor="title__name", default="—", orderable=False)
    # Translators: 状态
    state = tables.Column(verbose_name=_("State"), order_by=("state", "-starts_on", "id"))

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table stints-kit-table"}
        row_attrs = {"data-stint-id": lambda record: record.pk}
        # Translators: 中文：没有符合条件的人员。
        empty_text = _("Nobody matches these filters.")

    def render_person(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("stints:detail", args=[record.pk]), value)

    def render_kind(self, record):
        return record.get_kind_display()

    def _place(self, name, department):
        if not department:
            return name
        return format_html(
            '{}<span class="meta small cell-line"><span class="cell-sep"> · </span>{}</span>', name, department
        )

    def render_home(self, value, record):
        return self._place(value, record.home_department)

    def value_home(self, value, record):
        return f"{value} · {record.home_department}" if record.home_department else value

    def render_host(self, value, record):
        return self._place(value, record.host_department)

    def value_host(self, value, record):
        return f"{value} · {record.host_department}" if record.host_department else value

    def render_dates(self, record):
        return f"{record.starts_on:%Y-%m-%d} – {record.ends_on:%Y-%m-%d}"

    def value_dates(self, record):
        return self.render_dates(record)

    def render_role(self, record):
        return record.get_role_display() or "—"

    def render_state(self, value, record):
        return format_html('<span class="badge stint-state-{}">{}</span>', value, record.get_state_display())

    def value_state(self, value, record):
        return record.get_state_display()


class InboundTable(StintTable):
    # Translators: 中文：来华进修的国外学员
    export_name = _("Inbound foreign trainees")

    class Meta(StintTable.Meta):
        exclude = ("kind", "role", "title")
        # Translators: 中文：尚未登记国外学员。
        empty_text = _("No foreign trainee is recorded yet.")
