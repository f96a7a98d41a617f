from django.contrib import admin

from medtalent.catalog.rules import is_commission_admin
from medtalent.orgs.models import Department, Organisation, OrganisationAlias


class ReferenceDataAdmin(admin.ModelAdmin):
    """Organisations are shared reference data: commission staff may view and edit them."""

    def has_module_permission(self, request):
        return request.user.is_superuser or is_commission_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReferenceDataInline:
    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or is_commission_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class AliasInline(ReferenceDataInline, admin.TabularInline):
    model = OrganisationAlias
    extra = 0


class DepartmentInline(ReferenceDataInline, admin.StackedInline):
    model = Department
    extra = 0
    filter_horizontal = ["specialties"]


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "level", "region", "country"]
    list_filter = ["kind", "level", "hospital_type"]
    search_fields = ["code", "name_zh", "name_en", "name_local", "aliases__name"]
    autocomplete_fields = ["region", "country", "parent"]
    inlines = [AliasInline, DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_zh", "name_en", "organisation"]
    search_fields = ["code", "name_zh", "name_en", "name_local"]
    list_filter = ["organisation"]
    filter_horizontal = ["specialties"]
