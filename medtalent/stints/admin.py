"""Stints in the administration pages: read only, scoped like the view rule.

Every change goes through the services (the pages of `stints.views`), so that the rules are checked and an
audit row is written; here staff only look rows up. A superuser sees every stint, anybody else with staff
access the stints `selectors.stints_visible_to` gives them.
"""

from __future__ import annotations

from django.contrib import admin

from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.stints.models import Stint
from medtalent.stints.selectors import STINT_RELATED, stints_visible_to


@admin.register(Stint)
class StintAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = ["person", "kind", "home", "host", "starts_on", "ends_on", "role", "state"]
    list_filter = ["kind", "state", "role"]
    search_fields = ["person__name", "home__name_zh", "host__name_zh", "home__code", "host__code"]
    date_hierarchy = "starts_on"
    list_select_related = STINT_RELATED

    def get_queryset(self, request):
        if request.user.is_superuser:
            return super().get_queryset(request).select_related(*STINT_RELATED)
        return stints_visible_to(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_superuser or request.user.has_perm("stints.view_stint", obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
