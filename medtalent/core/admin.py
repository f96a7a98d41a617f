import rules
from django.contrib import admin

from medtalent.core.models import AuditEvent
from medtalent.core.rules import REFERENCE_DATA_PERMISSION


def may_manage_reference_data(request) -> bool:
    # Asked of the rules registry alone: the model backend has nothing to add and would cost two queries.
    return request.user.is_superuser or rules.has_perm(REFERENCE_DATA_PERMISSION, request.user)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Shared reference data (code tables, specialties, organisations): whoever holds
    `core.manage_reference_data` (commission staff, granted in `accounts.rules`) may view and edit it; only
    superusers delete."""

    def has_module_permission(self, request):
        return may_manage_reference_data(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReferenceDataInline:
    """The inlines of a `ReferenceDataAdmin`: whoever may manage the reference data may edit them."""

    def has_view_permission(self, request, obj=None):
        return may_manage_reference_data(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read-only, for everybody."""

    list_display = ["created_at", "actor", "action", "object_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
