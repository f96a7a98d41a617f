from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.accounts.services import role_assign, role_revoke
from medtalent.core.admin import PersonalDataLookupsMixin


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(PersonalDataLookupsMixin, BaseUserAdmin):
    inlines = [RoleInline]
    # Not Django's default (names, email): a name or an email narrowed letter by letter is personal data.
    search_fields = ["username"]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, (None, {"fields": ["display_name", "language", "password_changed_at"]})]
    readonly_fields = ["password_changed_at"]

    def save_formset(self, request, form, formset, change):
        """Roles are granted and taken away through the services, so each change is audited (issue 10): a changed
        row is the old role taken away and the new one granted."""
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for assignment in formset.deleted_objects:
            role_revoke(actor=request.user, assignment=assignment)
        for assignment, _fields in formset.changed_objects:
            role_revoke(actor=request.user, assignment=RoleAssignment.objects.get(pk=assignment.pk))
            role_assign(
                actor=request.user,
                user=assignment.user,
                role=Role(assignment.role),
                organisation=assignment.organisation,
            )
        for assignment in formset.new_objects:
            role_assign(
                actor=request.user,
                user=assignment.user,
                role=Role(assignment.role),
                organisation=assignment.organisation,
            )
        return None
