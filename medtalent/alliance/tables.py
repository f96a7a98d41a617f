"""The secretariat's list of members and partners, in the back office's table kit (core/tables.py)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.selectors import CHINA
from medtalent.alliance.templatetags.alliance_tags import region_name
from medtalent.core.tables import KitTable, SelectColumn
from medtalent.orgs.selectors import organisation_match_q


class MembershipFilter(django_filters.FilterSet):
    """Filters by name: the one organisation search, the kind, the country by its name."""

    # The alliance the page works on, kept by the filter form (a secretariat may serve more than one).
    alliance = django_filters.CharFilter(method="keep", widget=forms.HiddenInput)
    q = django_filters.CharFilter(
        # Translators: 中文：机构
        label=_("Institution"),
        method="by_name",
        max_length=100,
        widget=forms.TextInput(
            # Translators: 中文：任一名称或简称，例如“浙大一院”或 Mayo
            attrs={"type": "search", "placeholder": _("Any name or abbreviation, e.g. 浙大一院 or Mayo")}
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MembershipKind.choices, empty_label=_("Members and partners")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), method="by_country", empty_label=_("All countries"))

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: 中国（成员单位）
        self.filters["country"].extra["choices"] = [
            (CHINA, _("China (members)")),
            *[(c.code, c.name) for c in countries],
        ]

    def keep(self, queryset, name, value):
        return queryset

    def by_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(organisation_match_q(value, field="organisation", extra=("organisation__city",)))

    def by_country(self, queryset, name, value):
        if value == CHINA:
            return queryset.filter(organisation__country__isnull=True)
        return queryset.filter(organisation__country__code=value) if value else queryset


class MembershipTable(KitTable):
    # Translators: 中文：联盟成员
    export_name = _("Alliance members")

    ids = SelectColumn()
    # Translators: 中文：机构
    name = tables.Column(
        verbose_name=_("Institution"), accessor="organisation", order_by=("organisation__name_zh", "organisation__code")
    )
    kind = tables.Column(verbose_name=_("Kind"), accessor="kind")
    # Translators: 中文：所在地
    where = tables.Column(
        verbose_name=_("Where"),
        accessor="organisation__country",
        empty_values=(),
        order_by=("organisation__country__code", "organisation__region__code", "organisation__code"),
    )
    joined_on = tables.DateColumn(verbose_name=_("Joined"), format="Y-m-d", default="—")
    note = tables.Column(verbose_name=_("Note"), accessor="note_en", empty_values=(), orderable=False)
    # Translators: 中文：操作
    edit = tables.Column(verbose_name=_("Actions"), accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table alliance-members"}
        # Translators: 中文：没有符合条件的机构。
        empty_text = _("No institution matches these filters.")

    def row_label(self, record) -> str:
        return record.organisation.name

    def order_name(self, queryset, is_descending):
        # The name as the reader sees it: English names in English, Chinese ones otherwise.
        field = "organisation__name_en" if (get_language() or "").startswith("en") else "organisation__name_zh"
        prefix = "-" if is_descending else ""
        return queryset.order_by(f"{prefix}{field}", f"{prefix}organisation__code"), True

    def render_name(self, value, record):
        return record.organisation.name

    def render_kind(self, value, record):
        return record.get_kind_display()

    def render_where(self, value, record):
        org = record.organisation
        if org.country_id:
            return f"{org.country.name} · {org.city}" if org.city else org.country.name
        place = region_name(org.region)
        china = str(_("China"))
        return f"{china} · {place}" if place else china

    def value_where(self, value, record):
        return self.render_where(value, record)

    def render_note(self, value, record):
        # No Chinese note on an English page: the English one only.
        if (get_language() or "").startswith("en"):
            return record.note_en or "—"
        return record.note_zh or record.note_en or "—"

    def value_note(self, value, record):
        return self.render_note(value, record)

    def render_edit(self, value, record):
        # Translators: 中文：修改
        return format_html(
            '<a class="edit-link" href="{}">{}<span class="visually-hidden"> {}</span></a>',
            reverse("alliance:member_edit", args=[value]),
            _("Edit"),
            record.organisation.name,
        )
