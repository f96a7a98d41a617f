from django.contrib import admin
from django.db import models

from medtalent.core.admin import ReferenceDataAdmin, ReferenceDataInline
from medtalent.orgs.models import Department, Organisation, OrganisationAlias


class AliasInline(ReferenceDataInline, admin.TabularInline):
    model = OrganisationAlias
    extra = 0


class DepartmentInline(ReferenceDataInline, admin.StackedInline):
    model = Department
    extra = 0
    filter_horizontal = ["specialties"]


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    # A website typed without a scheme is https:// (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
