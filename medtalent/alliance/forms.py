from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.selectors import DirectoryFilters, EventFilters


def _select(field: forms.Field, name: str, current) -> dict:
    choices = field.widget.choices if isinstance(field, forms.CharField) else field.choices
    return {"name": name, "label": field.label, "choices": choices, "current": current}


class DirectoryFilterForm(forms.Form):
    """The member directory's search box and filters. An invalid value is dropped, not an error."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), required=False, max_length=2, widget=forms.Select)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Members and partners")), *MembershipKind.choices]
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: 中国（成员单位）
        china = ("CN", _("China (members)"))
        self.fields["country"].widget.choices = [
            ("", _("All countries")),
            china,
            *[(c.code, c.name) for c in countries],
        ]

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return DirectoryFilters(
            q=(data.get("q") or "").strip(),
            country=(data.get("country") or "").upper(),
            kind=data.get("kind") or "",
        )

    @property
    def select_fields(self) -> list[dict]:
        filters = self.filters()
        return [_select(self.fields[n], n, getattr(filters, n)) for n in ("country", "kind")]


class EventFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])
    country = forms.CharField(label=_("Country"), required=False, max_length=2, widget=forms.Select)

    def __init__(self, *args, years=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(str(y), str(y)) for y in years]]
        self.fields["country"].widget.choices = [("", _("All countries")), *[(c.code, c.name) for c in countries]]

    def filters(self) -> EventFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return EventFilters(
            year=data.get("year"), kind=data.get("kind") or "", country=(data.get("country") or "").upper()
        )

    @property
    def select_fields(self) -> list[dict]:
        filters = self.filters()
        current = {"year": str(filters.year or ""), "kind": filters.kind, "country": filters.country}
        return [_select(self.fields[n], n, current[n]) for n in ("year", "kind", "country")]
