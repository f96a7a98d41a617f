"""The unit administrator's list of the people of their unit, in the back office's table kit (core/tables.py)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from medtalent.core.search import text_match_q
from medtalent.core.tables import KitTable
from medtalent.people.masking import MASKERS


class MaskedColumn(tables.Column):
    """A personal value shown masked on a list and in its export (an ID number, a phone: `people.masking`);
    revealing it is a logged action of the person's page."""

    def __init__(self, field: str, **kwargs):
        self.mask = MASKERS[field]
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    def render(self, value):
        return self.mask(value or "") or "—"


class UnitPeopleFilter(django_filters.FilterSet):
    """A name search and the unit's departments, by name."""

    q = django_filters.CharFilter(
        label=_("Name"),
        method="by_name",
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("Name")}),
    )
    # Translators: 中文：全部科室
    department = django_filters.ChoiceFilter(label=_("Department"), choices=(), empty_label=_("All departments"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = [(d, d) for d in departments]

    def by_name(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(text_match_q(term, "name"))
        return queryset


class UnitPeopleTable(KitTable):
    # Translators: 中文：本单位人员
    export_name = _("People of my unit")

    name = tables.Column(verbose_name=_("Name"), order_by=("name", "id"))
    sex = tables.Column(verbose_name=_("Sex"), accessor="sex__name", default="—", orderable=False)
    id_number = MaskedColumn("id_number", verbose_name=_("ID number"), attrs={"td": {"class": "mono"}})
    phone = MaskedColumn("phone", verbose_name=_("Phone"), attrs={"td": {"class": "mono"}})
    department = tables.Column(verbose_name=_("Department"), default="—", order_by=("department", "name", "id"))
    title = tables.Column(verbose_name=_("Title"), accessor="title__name", default="—")
    education = tables.Column(verbose_name=_("Education"), accessor="education__name", default="—", orderable=False)
    incident = tables.Column(verbose_name=_("Serious incident"), accessor="pk", orderable=False)

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table people-table"}
        empty_text = _("Nobody matches. Try another name or clear the filters.")

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("people:detail", args=[record.pk]), value)

    def render_incident(self, record):
        return render_to_string("people/_incident_badge.html", {"person": record})

    def order_title(self, queryset, is_descending):
        # A title's order is its rank: senior titles first (GB/T 8561 grade); no title last.
        rank = F("title__extra__rank")
        ordering = rank.asc(nulls_last=True) if is_descending else rank.desc(nulls_last=True)
        return queryset.order_by(ordering, "name", "id"), True
