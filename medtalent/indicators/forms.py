"""The entry table of a hospital's indicators: one row per year, one cell (value and note) per indicator,
and one more row to add a year. The cells are text: the service checks them all at once and reports each
bad cell, which the form puts next to it."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.indicators.enums import IndicatorKind
from medtalent.indicators.services import NOTE_MAX

NEW = "new"


def value_text(value: Decimal | None) -> str:
    """90.50 → "90.5", 90.00 → "90" (as typed, without trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class IndicatorTableForm(forms.Form):
    # Translators: 新增年份
    new_year = forms.CharField(
        label=gettext_lazy("Add a year"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5, "autocomplete": "off"}),
    )

    def __init__(self, *args, years: list[int], series: dict, notes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.kinds = list(IndicatorKind.values)
        values = {(year, kind): value for kind, pairs in series.items() for year, value in pairs}
        for year in [*self.years, NEW]:
            for kind in self.kinds:
                label = f"{year} · {IndicatorKind(kind).label}" if year != NEW else str(IndicatorKind(kind).label)
                self.fields[self.value_name(year, kind)] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20,
                    initial=value_text(values.get((year, kind))),
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}),
                )
                self.fields[self.note_name(year, kind)] = forms.CharField(
                    # Translators: 来源或备注
                    label=_("Source or note"),
                    required=False,
                    max_length=NOTE_MAX,
                    initial=notes.get((year, kind), ""),
                    widget=forms.TextInput(attrs={"size": 12}),
                )
        self._positions: list[tuple[int | str, str]] = []

    @staticmethod
    def value_name(year, kind: str) -> str:
        return f"value_{year}_{kind}"

    @staticmethod
    def note_name(year, kind: str) -> str:
        return f"note_{year}_{kind}"

    def table(self) -> list[dict]:
        """Rows for the template: year, its cells (value field, note field) and whether it is the new row."""
        rows = []
        for year in [*self.years, NEW]:
            cells = [
                {"kind": kind, "value": self[self.value_name(year, kind)], "note": self[self.note_name(year, kind)]}
                for kind in self.kinds
            ]
            rows.append({"year": year, "is_new": year == NEW, "cells": cells})
        return rows

    def clean(self):
        data = super().clean()
        new_year = (data.get("new_year") or "").strip()
        filled = any((data.get(self.value_name(NEW, kind)) or "").strip() for kind in self.kinds)
        if filled and not new_year:
            # Translators: 请填写新增的年份
            self.add_error("new_year", _("Enter the year of the new row."))
        elif new_year and not filled:
            # Translators: 请为新增年份至少填写一项指标
            self.add_error("new_year", _("Enter at least one value for the new year."))
        elif new_year.isdigit() and int(new_year) in self.years:
            # Translators: 该年份已在表中，请直接在该行填写
            self.add_error("new_year", _("This year is already in the table: fill in its row."))
        return data

    def rows(self) -> list[dict]:
        """The cells as rows for `indicators_save_table`, remembering which fields each row came from."""
        data = self.cleaned_data
        rows, self._positions = [], []
        for year in self.years:
            for kind in self.kinds:
                rows.append(
                    {
                        "year": year,
                        "kind": kind,
                        "value": data.get(self.value_name(year, kind), ""),
                        "note": data.get(self.note_name(year, kind), ""),
                    }
                )
                self._positions.append((year, kind))
        new_year = (data.get("new_year") or "").strip()
        if new_year:
            for kind in self.kinds:
                value = data.get(self.value_name(NEW, kind), "")
                if (value or "").strip():
                    rows.append(
                        {"year": new_year, "kind": kind, "value": value, "note": data.get(self.note_name(NEW, kind))}
                    )
                    self._positions.append((NEW, kind))
        return rows

    def add_cell_errors(self, errors: list[dict]) -> None:
        """Put each problem the service reported next to its cell (the year's field for a bad new year)."""
        for error in errors:
            year, kind = self._positions[error["index"]]
            if error["field"] == "year" and year == NEW:
                name = "new_year"
            elif error["field"] == "note":
                name = self.note_name(year, kind)
            else:
                name = self.value_name(year, kind)
            if error["message"] not in self.errors.get(name, []):
                self.add_error(name, error["message"])
