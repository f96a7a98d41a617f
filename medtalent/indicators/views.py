"""Pages of the yearly indicators.

- `indicators:hospital` (/hospitals/<code>/indicators/): a hospital's values per year, the chart of both
  indicators with the target line, and the entry table for whoever may change them (its own unit
  administrator, the commission over it). Its supporting hospitals' administrators see it read-only.
- `indicators:trend` (/pairings/indicators/?programme=&city=&county=): the trend over a programme's
  supported hospitals (mean, min, max per year, how many reached the target), for the commission
  administrators who manage the programme; anybody else who is logged in gets 403.

The charts are drawn by static/js/indicator-chart.js from a `json_script` block; the tables beneath them
are the accessible fallback.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.indicators import selectors, services
from medtalent.indicators.enums import IndicatorKind
from medtalent.indicators.forms import IndicatorTableForm, value_text
from medtalent.partnerships.selectors import DEFAULT_PROGRAMME, pairing_cities, pairing_programme_for_user


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _target_label(target: selectors.Target) -> str:
    # Translators: 目标 %(value)s%%
    return _("Target %(value)s %%") % {"value": value_text(target.value)}


def _target_json(target: selectors.Target) -> dict | None:
    if target.value is None:
        return None
    return {"value": _number(target.value), "label": _target_label(target)}


def hospital_chart(*, series: dict, years: list[int], targets: dict) -> dict:
    """The chart of a hospital: one line per indicator over the years, the target as a dashed line."""
    return {
        "years": years,
        "unit": "%",
        "series": [
            {
                "name": str(IndicatorKind(kind).label),
                "role": "main",
                "data": [_number(dict(series.get(kind, [])).get(year)) for year in years],
                "target": _target_json(targets[kind]),
            }
            for kind in IndicatorKind.values
        ],
    }


def trend_chart(*, trend: selectors.KindTrend) -> dict:
    """The chart of one indicator over a programme's hospitals: mean, minimum and maximum, the target."""
    years = [y.year for y in trend.years]
    return {
        "years": years,
        "unit": "%",
        "series": [
            # Translators: 平均值
            {"name": _("Mean"), "role": "main", "data": [_number(y.mean) for y in trend.years],
             "target": _target_json(trend.target)},
            # Translators: 最低
            {"name": _("Minimum"), "role": "bound", "data": [_number(y.min) for y in trend.years], "target": None},
            # Translators: 最高
            {"name": _("Maximum"), "role": "bound", "data": [_number(y.max) for y in trend.years], "target": None},
        ],
    }  # fmt: skip


class HospitalIndicatorsView(LoginRequiredMixin, View):
    template_name = "indicators/hospital.html"

    def _organisation(self, request, code):
        return selectors.hospital_for_user(user=request.user, code=code)

    def _render(self, request, organisation, form=None, status=200):
        series = selectors.indicator_series(organisation=organisation)
        term_years, rule = selectors.hospital_context(organisation=organisation)
        years = sorted(set(term_years) | {year for pairs in series.values() for year, _value in pairs})
        targets = selectors.targets_from(rule)
        may_change = request.user.has_perm("indicators.change_indicators", organisation)
        if may_change and form is None:
            notes = selectors.indicator_notes(organisation=organisation)
            form = IndicatorTableForm(years=years, series=series, notes=notes)
        values = {(year, kind): value for kind, pairs in series.items() for year, value in pairs}
        rows = [
            {
                "year": year,
                "cells": [
                    {
                        "kind": kind,
                        "value": values.get((year, kind)),
                        "reached": targets[kind].reached(values.get((year, kind))),
                    }
                    for kind in IndicatorKind.values
                ],
            }
            for year in years
        ]
        context = {
            "organisation": organisation,
            "rows": rows,
            "kinds": [
                {"kind": kind, "label": IndicatorKind(kind).label, "target": targets[kind]}
                for kind in IndicatorKind.values
            ],
            "has_values": any(series.values()),
            "chart": hospital_chart(series=series, years=years, targets=targets),
            "may_change": may_change,
            "form": form,
            "table": form.table() if form is not None else [],
            "first_year": services.FIRST_YEAR,
            "last_year": services.last_year(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, code):
        return self._render(request, self._organisation(request, code))

    def post(self, request, code):
        organisation = self._organisation(request, code)
        require_perm(request.user, "indicators.change_indicators", organisation)
        series = selectors.indicator_series(organisation=organisation)
        term_years, _rule = selectors.hospital_context(organisation=organisation)
        years = sorted(set(term_years) | {year for pairs in series.values() for year, _value in pairs})
        form = IndicatorTableForm(request.POST, years=years, series=series, notes={})
        if form.is_valid():
            try:
                services.indicators_save_table(actor=request.user, organisation=organisation, rows=form.rows())
            except ApplicationError as error:
                form.add_cell_errors(error.extra.get("errors", []))
                form.add_error(None, error.message)
            else:
                # Translators: 指标已保存
                messages.success(request, _("The indicators were saved."))
                return redirect("indicators:hospital", code=organisation.code)
        return self._render(request, organisation, form=form)


def trend_filters(params) -> tuple[str, str]:
    """City and county from a query string: region codes (digits) or nothing."""

    def clean(name: str) -> str:
        value = (params.get(name) or "").strip()
        return value if value.isdigit() and len(value) <= 12 else ""

    return clean("city"), clean("county")


class IndicatorTrendView(LoginRequiredMixin, View):
    def get(self, request):
        programme = pairing_programme_for_user(
            user=request.user, code=(request.GET.get("programme") or DEFAULT_PROGRAMME)[:60]
        )
        require_perm(request.user, "indicators.view_trend", programme)
        city, county = trend_filters(request.GET)
        trend = selectors.indicator_trend(programme=programme, city=city, county=county)
        counties = selectors.trend_counties(programme=programme, city=city)
        cities = pairing_cities(programme=programme)
        context = {
            "programme": programme,
            "city": city,
            "county": county,
            "cities": cities,
            "counties": counties,
            "place": next((c for c in counties if c.code == county), None)
            or next((c for c in cities if c.code == city), None),
            "indicators": [
                {
                    "trend": item,
                    "chart": trend_chart(trend=item),
                    "chart_id": f"trend-chart-{item.kind}",
                    "target_label": _target_label(item.target) if item.target.value is not None else "",
                }
                for item in trend.values()
            ],
        }
        return render(request, "indicators/trend.html", context)
