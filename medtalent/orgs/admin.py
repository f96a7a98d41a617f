"""Organisations, their aliases and departments in the admin: shared reference data.

Commission staff see every organisation (their pages pick hosts, partners and employers anywhere) but change none.
A reference-data editor sees and changes the organisations inside the jurisdiction of their commission (all of them
for a national commission) and can never give one a region outside it. Only superusers delete. Every change is
audited by `core.admin_audit`.
"""

from __future__ import annotations

import rules
from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from medtalent.codes.models import Code
from medtalent.core.admin import ReferenceDataAdmin, ReferenceDataInline
from medtalent.core.rules import (
    ORGANISATION_EDIT_PERMISSION,
    ORGANISATION_REGION_PERMISSION,
    ORGANISATIONS_VIEW_ALL_PERMISSION,
    REFERENCE_DATA_SCOPE,
    scope_q,
)
from medtalent.orgs.models import Department, Organisation, OrganisationAlias
from medtalent.orgs.selectors import organisation_match_q

# Translators: 中文：该地区不在您的管辖范围内：机构只能设在您所在卫生健康委员会的辖区内。
REGION_OUTSIDE_JURISDICTION = _(
    "This region lies outside your jurisdiction: an organisation can only be placed inside your commission's region."
)


def sees_all_organisations(request) -> bool:
    return request.user.is_superuser or rules.has_perm(ORGANISATIONS_VIEW_ALL_PERMISSION, request.user)


class OrganisationScopedAdmin(ReferenceDataAdmin):
    """An admin of organisations or of rows of one (`organisation_path`), scoped by the editor's jurisdiction."""

    edit_permission = ORGANISATION_EDIT_PERMISSION
    organisation_path = "self"

    def edit_object(self, obj):
        return obj if self.organisation_path == "self" else getattr(obj, self.organisation_path)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if sees_all_organisations(request):
            return qs
        prefix = "" if self.organisation_path == "self" else f"{self.organisation_path}__"
        return qs.filter(
            scope_q(
                REFERENCE_DATA_SCOPE,
                user=request.user,
                region_field=f"{prefix}region__code",
                organisation_field=f"{prefix}pk",
            )
        )


class OrganisationInline(ReferenceDataInline):
    edit_permission = ORGANISATION_EDIT_PERMISSION

    def edit_object(self, obj):
        return obj


class AliasInline(OrganisationInline, admin.TabularInline):
    model = OrganisationAlias
    extra = 0


class DepartmentInline(OrganisationInline, admin.StackedInline):
    model = Department
    extra = 0
    filter_horizontal = ["specialties"]


class OrganisationAdminForm(forms.ModelForm):
    """Refuses a region outside the user's jurisdiction (`user` is set by `OrganisationAdmin.get_form`)."""

    user = None

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if self.user is not None and not rules.has_perm(ORGANISATION_REGION_PERMISSION, self.user, region):
            raise forms.ValidationError(REGION_OUTSIDE_JURISDICTION, code="outside_jurisdiction")
        return region


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    form = OrganisationAdminForm
    # A website typed without a scheme is https:// (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "name_zh", "name_en", "kind", "level", "region", "country"]
    list_filter = ["kind", "level", "hospital_type"]
    search_fields = ["code", "name_zh", "name_en", "name_local", "aliases__name"]
    autocomplete_fields = ["region", "country", "parent"]
    inlines = [AliasInline, DepartmentInline]

    def get_search_results(self, request, queryset, search_term):
        """The one organisation search (names, code, aliases, abbreviations), here and in every autocomplete."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(organisation_match_q(search_term[:100])), False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_superuser:
            # The choices (and the autocomplete, see `codes.admin.CodeAdmin`) are the jurisdiction's regions.
            kwargs["queryset"] = Code.objects.filter(table__slug="region").filter(
                scope_q(REFERENCE_DATA_SCOPE, user=request.user, region_field="code")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.error_messages["invalid_choice"] = REGION_OUTSIDE_JURISDICTION
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Department)
class DepartmentAdmin(OrganisationScopedAdmin):
    organisation_path = "organisation"
    list_display = ["code", "name_zh", "name_en", "organisation"]
    search_fields = ["code", "name_zh", "name_en", "name_local"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    filter_horizontal = ["specialties"]
    list_select_related = ["organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(
                scope_q(REFERENCE_DATA_SCOPE, user=request.user, organisation_field="pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
