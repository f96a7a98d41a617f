"""The yearly overview of a programme's pairings in the back office's table kit (core/tables.py)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from medtalent.annual import selectors
from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.core.tables import KitTable
from medtalent.orgs.selectors import organisation_match_q
from medtalent.partnerships.tables import PairingHospitalsTable


class OverviewFilter(django_filters.FilterSet):
    """The year (the view reads it: the states are those of that year), the city by name (the commission), a
    hospital search (either side, THE organisation search)."""

    year = django_filters.ChoiceFilter(label=_("Year"), choices=(), method="by_year", empty_label=None)
    city = django_filters.ChoiceFilter(label=_("City"), choices=(), method="by_city", empty_label=_("All cities"))
    # Translators: 中文：医院
    hospital = django_filters.CharFilter(
        label=_("Hospital"),
        method="by_hospital",
        max_length=80,
        widget=forms.TextInput(
            # Translators: 中文：支援或受援医院名称
            attrs={"type": "search", "autocomplete": "off", "placeholder": _("Supporting or supported hospital")}
        ),
    )

    def __init__(self, *args, years=(), cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]
        if cities is None:
            del self.filters["city"]
        else:
            self.filters["city"].extra["choices"] = [(c.code, c.name_zh) for c in cities]

    def by_year(self, queryset, name, value):
        return queryset  # the view's queryset is already the year's

    def by_city(self, queryset, name, value):
        return queryset.filter(city__code=value) if value else queryset

    def by_hospital(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            organisation_match_q(value, field="supporting") | organisation_match_q(value, field="supported")
        )


def _state_text(state: str) -> str:
    if state == ReviewState.SUBMITTED:
        # Translators: 中文：已提交
        return pgettext("state", "Submitted")
    if state == ReviewState.DRAFT:
        return gettext("Draft")
    # Translators: 中文：未提交
    return gettext("Not submitted")


class OverviewTable(PairingHospitalsTable):
    # Translators: 中文：对口支援年度情况
    export_name = _("Yearly pairing support work")

    self_supporting = tables.Column(
        verbose_name=ReviewKind.SELF_SUPPORTING.label, accessor="pk", order_by=("state_self_supporting", "sort", "id")
    )
    self_supported = tables.Column(
        verbose_name=ReviewKind.SELF_SUPPORTED.label, accessor="pk", order_by=("state_self_supported", "sort", "id")
    )
    evaluation = tables.Column(
        verbose_name=ReviewKind.EVALUATION.label, accessor="pk", order_by=("state_evaluation", "sort", "id")
    )
    # Translators: 中文：评估结论
    conclusion = tables.Column(
        verbose_name=_("Conclusion"), accessor="pk", order_by=("evaluation_conclusion", "sort", "id")
    )
    # Translators: 中文：目标完成
    targets = tables.Column(verbose_name=_("Targets achieved"), accessor="pk", order_by=("targets_achieved", "id"))
    # Translators: 中文：打开
    open = tables.Column(
        verbose_name=_("Open"),
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "annual-open"}},
    )

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table annual-overview"}
        row_attrs = {"data-pairing-id": lambda record: record.pk}
        # Translators: 中文：该年度没有符合条件的对口支援关系。
        empty_text = _("No pairing runs in this year with these filters.")

    # The view sets them: the year shown, the hospitals the user administers, whether they manage the programme.
    year: int = 0
    units: set[int] = set()
    manages: bool = False

    def row_for(self, record) -> selectors.OverviewRow:
        """The overview's row of a pairing (no query), once per pairing."""
        row = record.__dict__.get("_overview_row")
        if row is None:
            row = selectors.overview_row(pairing=record, units=self.units, manages=self.manages)
            record._overview_row = row
        return row

    def _state(self, record, kind: str) -> str:
        return dict(self.row_for(record).states)[kind]

    def _badge(self, record, kind: str):
        state = self._state(record, kind)
        style = {ReviewState.SUBMITTED: "open", ReviewState.DRAFT: "warn"}.get(state, "")
        return format_html('<span class="badge {}">{}</span>', style, _state_text(state))

    def render_self_supporting(self, record):
        return self._badge(record, ReviewKind.SELF_SUPPORTING)

    def value_self_supporting(self, record):
        return _state_text(self._state(record, ReviewKind.SELF_SUPPORTING))

    def render_self_supported(self, record):
        return self._badge(record, ReviewKind.SELF_SUPPORTED)

    def value_self_supported(self, record):
        return _state_text(self._state(record, ReviewKind.SELF_SUPPORTED))

    def render_evaluation(self, record):
        return self._badge(record, ReviewKind.EVALUATION)

    def value_evaluation(self, record):
        return _state_text(self._state(record, ReviewKind.EVALUATION))

    def render_conclusion(self, record):
        return self.row_for(record).conclusion_label or "—"

    def value_conclusion(self, record):
        return str(self.render_conclusion(record))

    def render_targets(self, record):
        row = self.row_for(record)
        return f"{row.targets_achieved} / {row.targets_total}"

    def value_targets(self, record):
        return self.render_targets(record)

    def render_open(self, record):
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("annual:year", kwargs={"pairing_pk": record.pk, "year": self.year}),
            gettext("Open"),
        )
