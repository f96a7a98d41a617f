"""The administration pages of the alliance's records: members and partners, committees, events.

Scoped by `alliance.manage` (rules.py): a superuser sees every alliance's rows; a staff user holding the
alliance-secretariat role sees and edits only the rows of their alliance, and may file new rows only under it.
Every save and delete leaves an audit row.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from medtalent.alliance import services
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.alliance.rules import secretariat_alliance_ids
from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.orgs.models import Organisation
from medtalent.orgs.selectors import organisation_match_q


class AllianceAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    # Saves and deletions go through the alliance's services, which audit them.
    audits_its_own_changes = True

    def has_module_permission(self, request):
        return request.user.has_perm("alliance.manage")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.has_perm("alliance.manage", obj)

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(alliance_id__in=secretariat_alliance_ids(request.user))

    def get_autocomplete_fields(self, request):
        # The organisation and code searches are other admins' pages, open to superusers (and commission staff):
        # a secretariat user gets plain lists instead.
        return self.autocomplete_fields if request.user.is_superuser else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "alliance" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=secretariat_alliance_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.alliance_object_saved(
            actor=request.user, obj=obj, created=not change, changed_fields=list(form.changed_data)
        )

    def delete_model(self, request, obj):
        services.alliance_object_deleted(actor=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.alliance_object_deleted(actor=request.user, obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(Membership)
class MembershipAdmin(AllianceAdmin):
    list_display = ["organisation", "kind", "country", "joined_on", "alliance"]
    list_filter = ["kind", "organisation__country"]
    search_fields = ["organisation__name_zh", "organisation__name_en", "organisation__code"]
    autocomplete_fields = ["alliance", "organisation"]
    list_select_related = ["organisation", "organisation__country", "alliance"]

    def get_search_results(self, request, queryset, search_term):
        """The one organisation search: any name, code, alias or abbreviation of the institution."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(organisation_match_q(search_term[:100], field="organisation")), False

    @admin.display(description=_("country"))
    def country(self, obj):
        return obj.organisation.country or ""


@admin.register(Committee)
class CommitteeAdmin(AllianceAdmin):
    list_display = ["code", "name_zh", "name_en", "chair"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["alliance", "chair", "members"]
    list_select_related = ["chair"]


@admin.register(Event)
class EventAdmin(AllianceAdmin):
    list_display = ["code", "name_zh", "kind", "starts_on", "date_note_zh", "participants"]
    list_filter = ["kind", "countries"]
    search_fields = ["code", "name_zh", "name_en", "place_zh", "place_en"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["alliance", "countries", "organisers", "committee"]
    fieldsets = [
        (None, {"fields": ["alliance", "code", "kind", "name_zh", "name_en", "committee"]}),
        (_("Dates"), {"fields": ["starts_on", "ends_on", "date_note_zh", "date_note_en"]}),
        (_("Place and people"), {"fields": ["place_zh", "place_en", "countries", "organisers", "participants"]}),
        (_("Description"), {"fields": ["description_zh", "description_en"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee" and not request.user.is_superuser:
            kwargs["queryset"] = Committee.objects.filter(alliance_id__in=secretariat_alliance_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
