"""The unit administrator's list of applications, in the back office's table kit (core/tables.py)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtalent.applications.enums import ApplicationState
from medtalent.catalog.models import Category, Round
from medtalent.core.tables import KitTable, SelectColumn, TimeColumn
from medtalent.people.tables import MaskedColumn


class UnitApplicationFilter(django_filters.FilterSet):
    """Filters by name: the rounds and categories offered are those of the unit's own applications."""

    # Translators: 中文：姓名
    q = django_filters.CharFilter(
        label=_("Name"),
        method="by_name",
        widget=django_filters.widgets.forms.TextInput(attrs={"type": "search", "placeholder": _("Name")}),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=ApplicationState.choices, empty_label=_("All states"))
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=Round.objects.none(), empty_label=_("All rounds")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("All categories")
    )

    def __init__(self, *args, rounds=None, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rounds is not None:
            self.filters["round"].queryset = rounds
            self.filters["round"].field.label_from_instance = lambda r: f"{r.programme.name} · {r.name}"
        if categories is not None:
            self.filters["category"].queryset = categories

    def by_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value)) if value else queryset


class UnitApplicationTable(KitTable):
    # Translators: 中文：本单位申请
    export_name = _("Unit applications")

    ids = SelectColumn()
    name = tables.Column(verbose_name=_("Name"), accessor="person__name", order_by=("person__name", "id"))
    id_number = MaskedColumn(
        "id_number", verbose_name=_("ID number"), accessor="person__id_number", attrs={"td": {"class": "masked"}}
    )
    phone = MaskedColumn("phone", verbose_name=_("Phone"), accessor="person__phone", attrs={"td": {"class": "masked"}})
    title = tables.Column(verbose_name=_("Title"), accessor="person__title__name", default="—")
    programme = tables.Column(
        verbose_name=_("Programme and round"),
        accessor="round__programme__name",
        order_by=("round__programme__sort", "round__year", "round__id"),
    )
    category = tables.Column(
        verbose_name=_("Category"),
        accessor="category__name",
        default="—",
        order_by=("category__sort", "category__code"),
    )
    state = tables.Column(verbose_name=_("State"), accessor="state")
    eligibility = tables.Column(
        verbose_name=_("Eligibility"), accessor="eligibility_snapshot", orderable=False, empty_values=()
    )
    # Translators: 中文：提交时间
    submitted_at = TimeColumn(verbose_name=pgettext_lazy("time", "Submitted"))

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table unit-table"}
        # Masked only here; revealing is a logged action of the detail and profile pages.
        empty_text = _("No application matches.")

    def selectable(self, record) -> bool:
        return record.state == ApplicationState.SUBMITTED

    def row_label(self, record) -> str:
        return record.person.name

    # ---- cells
    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("applications:detail", args=[record.pk]), value)

    def render_programme(self, value, record):
        return format_html(
            '{}<span class="meta small cell-line"><span class="cell-sep"> · </span>{}</span>', value, record.round.name
        )

    def render_state(self, record):
        # The cell's value is already the state's label (django-tables2 shows a choice's display): the class takes
        # the state itself.
        return format_html('<span class="badge state-{}">{}</span>', record.state, record.get_state_display())

    def render_eligibility(self, value, record):
        html = mark_safe('<span class="muted">—</span>')
        if value:
            if value.get("eligible"):
                html = format_html('<span class="badge open">{}</span>', _("Meets the conditions"))
            elif value.get("status") == "pending":
                # Translators: 中文：待单位确认
                html = format_html('<span class="badge warn">{}</span>', _("Pending the unit's check"))
            else:
                html = format_html('<span class="badge closed">{}</span>', _("Does not meet"))
        if record.exception_note:
            html = format_html('{} <span class="badge warn">{}</span>', html, _("Exception"))
        return html

    def value_eligibility(self, value, record):
        text = "—"
        if value:
            text = str(_("Meets the conditions") if value.get("eligible") else _("Does not meet"))
            if not value.get("eligible") and value.get("status") == "pending":
                # Translators: 中文：待单位确认
                text = str(_("Pending the unit's check"))
        return f"{text} · {_('Exception')}" if record.exception_note else text

    # ---- orders that a plain field cannot give
    def order_title(self, queryset, is_descending):
        # A title's order is its rank: senior titles first (Code.extra["rank"], GB/T 8561 grade); no title last.
        rank = F("person__title__extra__rank")
        ordering = rank.asc(nulls_last=True) if is_descending else rank.desc(nulls_last=True)
        return queryset.order_by(ordering, "person__name", "id"), True

    def order_submitted_at(self, queryset, is_descending):
        # Not yet submitted (no date) last either way, on SQLite and PostgreSQL alike.
        submitted = F("submitted_at")
        ordering = submitted.desc(nulls_last=True) if is_descending else submitted.asc(nulls_last=True)
        return queryset.order_by(ordering, "-id" if is_descending else "id"), True
