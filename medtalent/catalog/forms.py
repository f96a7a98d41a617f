from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.catalog.enums import DurationFilter, ProgrammeType
from medtalent.catalog.selectors import CatalogueFilters


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and filters; the same names are used in the URL and the API.

    Country and specialty are free values shown as selects: an unknown value (an old bookmark, a
    hand-edited URL) simply matches nothing, so parsing needs no query and HTMX updates stay cheap.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), required=False, max_length=2, widget=forms.Select)
    programme_type = forms.ChoiceField(
        label=_("Programme type"), required=False, choices=[("", _("All types")), *ProgrammeType.choices]
    )
    specialty = forms.CharField(label=_("Specialty"), required=False, max_length=60, widget=forms.Select)
    duration = forms.ChoiceField(
        label=_("Duration"), required=False, choices=[("", _("Any duration")), *DurationFilter.choices]
    )
    open_now = forms.BooleanField(label=_("Open for applications now"), required=False)

    def __init__(self, *args, countries=(), specialties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.choices = [("", _("All countries")), *[(c.code, c.name) for c in countries]]
        self.fields["specialty"].widget.choices = [("", _("All specialties")), *[(s.code, s.name) for s in specialties]]

    @property
    def select_fields(self) -> list[dict]:
        """The four selects as plain data (name, label, choices, current value) for a light template loop."""
        filters = self.filters()
        result = []
        for name in ("country", "programme_type", "specialty", "duration"):
            field = self.fields[name]
            choices = field.widget.choices if isinstance(field, forms.CharField) else field.choices
            result.append({"name": name, "label": field.label, "choices": choices, "current": getattr(filters, name)})
        return result

    def filters(self) -> CatalogueFilters:
        """The filters that are valid; an invalid one is dropped rather than failing the whole page."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return CatalogueFilters(
            q=(data.get("q") or "").strip(),
            country=(data.get("country") or "").upper(),
            programme_type=data.get("programme_type") or "",
            specialty=data.get("specialty") or "",
            duration=data.get("duration") or "",
            open_now=bool(data.get("open_now")),
        )
