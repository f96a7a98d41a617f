"""The staff lists of pairing support in the back office's table kit (core/tables.py): the agreements list (unit and
commission administrators) and the pairings list of a programme (commission)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from medtalent.codes.regionnames import region_prefix
from medtalent.core.tables import KitTable, SelectColumn
from medtalent.orgs.selectors import organisation_match_q
from medtalent.partnerships import selectors
from medtalent.partnerships.enums import AgreementState


def _search_widget(placeholder) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": placeholder})


def _choices(filter_, rows, label) -> None:
    """A select by name (a city, a county, a programme); the value is the code, so old links keep working and
    the choices, worked out once, are also what the filter accepts."""
    filter_.extra["choices"] = [(row.code, label(row)) for row in rows]


def hospital_q(value: str, *fields: str):
    """Pairings whose hospital (one of `fields`) matches the words of `value` (THE organisation search)."""
    condition = None
    for field in fields:
        match = organisation_match_q(value, field=field)
        condition = match if condition is None else condition | match
    return condition


# ---- filters ---------------------------------------------------------------------------------------------------


class AgreementFilter(django_filters.FilterSet):
    """The agreements list's filters: the programme and the city by name, a hospital search (either side), the
    state of the current agreement (or none yet)."""

    # Translators: 中文：医院
    hospital = django_filters.CharFilter(
        label=_("Hospital"),
        method="by_hospital",
        max_length=80,
        # Translators: 中文：支援或受援医院名称
        widget=_search_widget(_("Supporting or supported hospital")),
    )
    # Translators: 中文：全部项目
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), choices=(), field_name="programme__code", empty_label=_("All programmes")
    )
    # Translators: 中文：全部城市
    city = django_filters.ChoiceFilter(label=_("City"), choices=(), method="by_city", empty_label=_("All cities"))
    # Translators: 中文：全部状态
    state = django_filters.ChoiceFilter(
        label=_("Agreement state"), choices=(), method="by_state", empty_label=_("All states")
    )

    def __init__(self, *args, programmes=None, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None and len(programmes) < 2:
            del self.filters["programme"]  # one programme: nothing to choose (an old link's value is ignored)
        else:
            _choices(self.filters["programme"], programmes or (), lambda p: p.name)
        _choices(self.filters["city"], cities or (), lambda c: c.name_zh)
        # Translators: 中文：尚无协议
        self.filters["state"].extra["choices"] = [
            *AgreementState.choices,
            (selectors.NO_AGREEMENT, _("No agreement yet")),
        ]

    def by_hospital(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(hospital_q(value, "supporting", "supported")) if value else queryset

    def by_city(self, queryset, name, value):
        return queryset.filter(selectors.city_q(value)) if value else queryset

    def by_state(self, queryset, name, value):
        if value == selectors.NO_AGREEMENT:
            return queryset.filter(current_state__isnull=True)
        return queryset.filter(current_state=value) if value else queryset


class PairingFilter(django_filters.FilterSet):
    """The pairings list's filters: the city and the county by name, the supporting and the supported hospital
    (THE organisation search: a name, an alias or a code), the year the relationship runs in."""

    # Translators: 中文：支援医院
    supporting = django_filters.CharFilter(
        label=_("Supporting hospital"),
        method="by_supporting",
        max_length=80,
        # Translators: 中文：医院名称
        widget=_search_widget(_("Hospital name")),
    )
    # Translators: 中文：受援医院
    supported = django_filters.CharFilter(
        label=_("Supported hospital"), method="by_supported", max_length=80, widget=_search_widget(_("Hospital name"))
    )
    city = django_filters.ChoiceFilter(label=_("City"), choices=(), method="by_city", empty_label=_("All cities"))
    # Translators: 中文：全部县（市、区）
    county = django_filters.ChoiceFilter(
        label=_("County"), choices=(), method="by_county", empty_label=_("All counties")
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="by_year",
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"min": 1900, "max": 2100}),
    )

    def __init__(self, *args, cities=None, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self.filters["city"], cities or (), lambda c: c.name_zh)
        _choices(self.filters["county"], counties or (), lambda c: c.name_zh)

    def by_supporting(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(hospital_q(value, "supporting")) if value else queryset

    def by_supported(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(hospital_q(value, "supported")) if value else queryset

    def by_city(self, queryset, name, value):
        return queryset.filter(city__code=value) if value else queryset

    def by_county(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(supported__region__code__startswith=region_prefix(value))

    def by_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.year_q(int(value)))


# ---- tables ----------------------------------------------------------------------------------------------------


def _hospital(org):
    return format_html(
        '{}<span class="meta small cell-line"><span class="cell-sep"> · </span>{}</span>', org.name, org.code
    )


class PairingHospitalsTable(KitTable):
    """The columns every list of pairings starts with: the two hospitals and the supported hospital's county."""

    supporting = tables.Column(
        verbose_name=_("Supporting hospital"), accessor="supporting__name", order_by=("supporting__name_zh", "id")
    )
    supported = tables.Column(
        verbose_name=_("Supported hospital"), accessor="supported__name", order_by=("supported__name_zh", "id")
    )
    county = tables.Column(
        verbose_name=_("County"),
        accessor="supported__region__name_zh",
        default="—",
        order_by=("supported__region__code", "sort", "id"),
    )


class PairingColumnsTable(PairingHospitalsTable):
    """The columns both lists of this app share: the hospitals and county, the city, the agreement and its term."""

    city = tables.Column(
        verbose_name=_("City"), accessor="city__name_zh", default="—", order_by=("city__code", "sort", "id")
    )

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table pairing-table"}
        row_attrs = {"data-pairing-id": lambda record: record.pk}
        # Translators: 中文：没有符合条件的对口支援关系。
        empty_text = _("No pairing matches these filters.")

    def row_label(self, record) -> str:
        return f"{record.supporting.name} → {record.supported.name}"

    def _agreed(self, record):
        """The pairing with its current agreement and whether this user may start one (no query)."""
        pairing = selectors.agreements_from_versions(record)
        if "may_start_agreement" not in pairing.__dict__:
            user = self.request.user
            pairing.may_start_agreement = pairing.current_agreement is None and user.has_perm(
                "partnerships.add_agreement", pairing
            )
        return pairing

    def render_agreement(self, record):
        return render_to_string(
            "partnerships/_agreement_cell.html", {"pairing": self._agreed(record)}, request=self.request
        )

    def value_agreement(self, record):
        pairing = self._agreed(record)
        agreement = pairing.current_agreement
        if agreement is None:
            return gettext("No agreement yet")
        text = f"{gettext('Version %(version)s') % {'version': agreement.version}} {agreement.get_state_display()}"
        if pairing.open_agreement:
            text += " " + gettext("Version %(version)s in preparation") % {"version": pairing.open_agreement.version}
        return text

    def render_term(self, record):
        agreement = self._agreed(record).current_agreement
        if agreement is None:
            return "—"
        return f"{agreement.starts_on:%Y-%m-%d} – {agreement.ends_on:%Y-%m-%d}"

    def value_term(self, record):
        return self.render_term(record)


class AgreementTable(PairingColumnsTable):
    """Every pairing in the user's care with its current agreement, or a button to start one (and a batch
    action to start many)."""

    # Translators: 中文：支援协议
    export_name = _("Agreements")

    ids = SelectColumn()
    programme = tables.Column(
        verbose_name=_("Programme"), accessor="programme__name", order_by=("programme__code", "sort", "id")
    )
    agreement = tables.Column(verbose_name=_("Agreement"), accessor="pk", order_by=("current_state", "sort", "id"))
    # Translators: 中文：协议期限
    term = tables.Column(verbose_name=pgettext_lazy("agreement", "Term"), accessor="pk", orderable=False)

    class Meta(PairingColumnsTable.Meta):
        sequence = ("ids", "programme", "supporting", "supported", "county", "city", "agreement", "term")

    def selectable(self, record) -> bool:
        return bool(self._agreed(record).may_start_agreement)

    def order_agreement(self, queryset, is_descending):
        # No agreement yet first (ascending) or last (descending), on SQLite and PostgreSQL alike.
        state = F("current_state")
        ordering = state.desc(nulls_last=True) if is_descending else state.asc(nulls_first=True)
        return queryset.order_by(ordering, "sort", "id"), True


class PairingTable(PairingColumnsTable):
    """The relationships of a programme (commission): the two hospitals with their codes, where each was
    published, their term and their agreement."""

    # Translators: 中文：支援关系
    export_name = _("Pairings")

    source = tables.Column(verbose_name=_("Published in"), order_by=("source", "sort", "id"))
    pairing_term = tables.Column(verbose_name=_("Term"), accessor="starts_on", order_by=("starts_on", "sort", "id"))
    agreement = tables.Column(verbose_name=_("Agreement"), accessor="pk", orderable=False)
    # Translators: 中文：相关页面
    links = tables.Column(
        verbose_name=pgettext_lazy("pairing list column", "Pages"),
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(PairingColumnsTable.Meta):
        sequence = ("supporting", "supported", "county", "city", "source", "pairing_term", "agreement", "links")

    def render_supporting(self, record):
        return _hospital(record.supporting)

    def value_supporting(self, record):
        return f"{record.supporting.name} · {record.supporting.code}"

    def render_supported(self, record):
        return _hospital(record.supported)

    def render_links(self, record):
        return format_html(
            '<a href="{}">{}</a><span class="cell-sep"> · </span><a href="{}">{}</a>',
            reverse("indicators:hospital", args=[record.supported.code]),
            # Translators: 指标 / 派驻人员
            gettext("Indicators"),
            reverse("stints:pairing", args=[record.pk]),
            gettext("Dispatched staff"),
        )

    def value_supported(self, record):
        return f"{record.supported.name} · {record.supported.code}"

    def render_source(self, record):
        return record.get_source_display()

    def render_pairing_term(self, record):
        if not record.starts_on and not record.ends_on:
            return "—"
        starts = f"{record.starts_on:%Y-%m-%d}" if record.starts_on else ""
        ends = f"{record.ends_on:%Y-%m-%d}" if record.ends_on else ""
        return f"{starts} – {ends}"

    def value_pairing_term(self, record):
        return self.render_pairing_term(record)
