"""Organisations, their aliases and departments in the admin: shared reference data.

Commission staff see every organisation (their pages pick hosts, partners and employers anywhere) but change none.
A reference-data editor sees and changes the organisations inside the jurisdiction of their commission (all of them
for a national commission) and can never give one a region outside it. Only superusers delete. Every change is
audited by `core.admin_audit`.
"""

from __future__ import annotations

from typing import cast

import rules
from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from medtalent.codes.models import Code
from medtalent.core.admin import (
    PersonalDataLookupsMixin,
    ReferenceDataAdmin,
    ReferenceDataInline,
    may_view_reference_data,
)
from medtalent.core.rules import (
    ORGANISATION_EDIT_PERMISSION,
    ORGANISATION_REGION_PERMISSION,
    ORGANISATIONS_VIEW_ALL_PERMISSION,
    REFERENCE_DATA_SCOPE,
    scope_q,
)
from medtalent.orgs.models import Department, Organisation, OrganisationAlias, Tag
from medtalent.orgs.rules import TAG_SCOPE, TAGS_EDIT_PERMISSION
from medtalent.orgs.selectors import organisation_match_q

# Translators: 中文：地区 %(value)s 不在您的管辖范围内：只能为辖区内的地区添加标签。
TAG_REGION_OUTSIDE_JURISDICTION = _(
    "The region %(value)s lies outside your jurisdiction: only regions inside it can be tagged."
)

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
    autocomplete_fields = ["region", "country", "parent", "tags"]
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


def may_edit_tags(request) -> bool:
    return request.user.is_superuser or rules.has_perm(TAGS_EDIT_PERMISSION, request.user)


def tag_scope_q(request, *, region_field: str, organisation_field: str = "") -> models.Q:
    """The rows inside the user's jurisdiction (everything for a superuser)."""
    if request.user.is_superuser:
        return models.Q()
    return scope_q(TAG_SCOPE, user=request.user, region_field=region_field, organisation_field=organisation_field)


class TagAdminForm(forms.ModelForm):
    """A tag with the organisations that carry it. The organisations offered (and changed) are those of the
    editor's jurisdiction; the tag's organisations outside it are kept as they are."""

    organisations = forms.ModelMultipleChoiceField(
        # Translators: 中文：带有此标签的机构
        label=_("organisations carrying the tag"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("organisations"), is_stacked=False),
        # Translators: 中文：所选地区（及其下级地区）的机构也都带有此标签，无需逐一选择。
        help_text=_("Organisations in the regions chosen (and the regions under them) carry the tag too."),
    )

    class Meta:
        model = Tag
        fields = ["code", "name_zh", "name_en", "description_zh", "description_en", "regions", "organisations"]

    request = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = tag_scope_q(self.request, region_field="region__code", organisation_field="pk")
        organisations = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        organisations.queryset = Organisation.objects.filter(scope).order_by("code")
        if self.instance.pk:
            self.initial["organisations"] = list(self.instance.organisations.filter(scope).values_list("pk", flat=True))

    def save_organisations(self) -> None:
        """The tag's organisations inside the jurisdiction become those chosen; those outside it stay."""
        scope = tag_scope_q(self.request, region_field="region__code", organisation_field="pk")
        inside = set(Organisation.objects.filter(scope).values_list("pk", flat=True))
        kept = set(self.instance.organisations.exclude(pk__in=inside).values_list("pk", flat=True))
        chosen = {org.pk for org in self.cleaned_data.get("organisations", [])}
        self.instance.organisations.set(kept | chosen)


@admin.register(Tag)
class TagAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Organisation tags, edited by commission staff (`TAGS_EDIT_PERMISSION`); seen by whoever sees reference data.
    Regions and organisations are chosen inside the editor's jurisdiction. Only superusers delete a tag (quotas
    and rules may name it). Audited by `core.admin_audit`."""

    form = TagAdminForm
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["regions"]
    fields = ["code", "name_zh", "name_en", "description_zh", "description_en", "regions", "organisations"]

    class Media:
        # The catalogue's admin styles (tags are part of a policy's configuration).
        css = {"all": ["css/admin-catalog.css"]}

    def has_module_permission(self, request):
        return may_view_reference_data(request) or may_edit_tags(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return may_edit_tags(request)

    def has_change_permission(self, request, obj=None):
        return may_edit_tags(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Read-only (a reference-data editor): the organisations are a form field, not one of the tag's own.
        return fields if may_edit_tags(request) else [f for f in fields if f != "organisations"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_organisations()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "regions" and not request.user.is_superuser:
            kwargs["queryset"] = Code.objects.filter(table__slug="region").filter(
                tag_scope_q(request, region_field="code")
            )
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            if field is not None:
                field.error_messages["invalid_choice"] = TAG_REGION_OUTSIDE_JURISDICTION
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)
