"""Retention rules are data: superusers edit their periods in the admin. Deletion requests and anonymisations
are shown read-only (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.privacy.models import Anonymisation, DeletionRequest, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    list_display = ("scope", "name_zh", "name_en", "years")
    fields = ("scope", "name_zh", "name_en", "years", "description_zh", "description_en")

    def _allowed(self, request) -> bool:
        return request.user.has_perm("privacy.manage_retention")

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)


class ReadOnlyForSuperusers(PersonalDataLookupsMixin, admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("privacy.manage_retention")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("privacy.manage_retention")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyForSuperusers):
    list_display = ("id", "person_id", "state", "kept_until", "created_at", "answered_at")
    list_filter = ("state",)
    exclude = ("person",)


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyForSuperusers):
    list_display = ("person_id", "scope", "at")
    exclude = ("person", "actor")
