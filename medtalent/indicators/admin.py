"""Indicator values in the admin: read-only (they are entered on the hospital's page or through the API,
where every change is checked and audited)."""

from __future__ import annotations

from django.contrib import admin

from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.indicators.models import IndicatorValue


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = ["organisation", "year", "kind", "value", "note", "entered_by", "updated_at"]
    list_filter = ["kind", "year"]
    search_fields = ["organisation__code", "organisation__name_zh", "organisation__name_en"]
    list_select_related = ["organisation", "entered_by"]
    ordering = ["organisation__code", "kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
