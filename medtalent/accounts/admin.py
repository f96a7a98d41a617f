from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from medtalent.accounts.models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, (None, {"fields": ["display_name", "language"]})]
