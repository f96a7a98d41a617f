from django.contrib import admin

from medtalent.core.models import AuditEvent


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
