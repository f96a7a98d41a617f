"""Administration of people for commission staff and superusers, scoped by `people_visible_to`.

Personal data stays masked here too: the ID number and phone are shown masked and cannot be edited in the
admin (the person corrects them in their profile, where the change is checked). Commission administrators
only view; superusers may correct the other fields, and each change leaves an audit row. Documents and
consents are read-only for everybody.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from medtalent.accounts.rules import is_commission_admin
from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.core.services import audit_log
from medtalent.people.forms import PersonProfileForm
from medtalent.people.masking import mask_id_number, mask_phone
from medtalent.people.models import (
    Consent,
    Document,
    FactVerification,
    LanguageCertificate,
    Person,
    PrivacyNotice,
    TitleRecord,
)
from medtalent.people.selectors import people_visible_to


def _may_view(request) -> bool:
    return request.user.is_superuser or is_commission_admin(request.user)


class PeopleScopedAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Commission administrators and superusers see; only superusers change; nobody deletes here."""

    person_path = "person"

    def has_module_permission(self, request):
        return _may_view(request)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        visible = people_visible_to(user=request.user).values("pk")
        lookup = "pk__in" if self.person_path == "self" else f"{self.person_path}__in"
        return qs.filter(**{lookup: visible})


class LanguageCertificateInline(admin.TabularInline):
    model = LanguageCertificate
    extra = 0
    fields = ["test", "score", "level", "taken_on"]

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    has_change_permission = has_delete_permission = has_add_permission


class TitleRecordInline(LanguageCertificateInline):
    model = TitleRecord  # type: ignore[assignment]
    fields = ["title", "obtained_on"]


class FactVerificationInline(admin.TabularInline):
    """The facts the person's unit verified (read only: the unit verifies on the person's page)."""

    model = FactVerification
    extra = 0
    fields = ["fact", "value", "verified_by", "verified_at"]
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Shown masked in the admin, never editable there.
ADMIN_FIELDS = {"id_number": "masked_id_number", "phone": "masked_phone"}


@admin.register(Person)
class PersonAdmin(PeopleScopedAdmin):
    person_path = "self"
    list_display = ["name", "masked_id_number", "employer", "department", "title", "serious_incident_confirmed"]
    list_filter = ["serious_incident_declared", "serious_incident_confirmed"]
    # Not by ID number: a search would tell which full numbers exist.
    search_fields = ["name", "department"]
    list_select_related = ["employer", "title"]
    autocomplete_fields = ["employer"]
    readonly_fields = ["user", "masked_id_number", "masked_phone", "serious_incident_confirmed", "created_at"]
    # The sections of the profile page, with the masked fields shown masked and the admin-only ones added.
    fieldsets = [
        (
            label,
            {
                "fields": [
                    *(["user"] if key == "basic" else []),
                    *(ADMIN_FIELDS.get(name, name) for name in names),
                    *(["serious_incident_confirmed"] if key == "incident" else []),
                ]
            },
        )
        for key, label, names in PersonProfileForm.SECTIONS
    ]
    filter_horizontal = ["designations"]
    inlines = [LanguageCertificateInline, TitleRecordInline, FactVerificationInline, DocumentInline]

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number or "")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone or "")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, action="person.admin_change", obj=obj, data={"fields": form.changed_data})


@admin.register(Document)
class DocumentAdmin(PeopleScopedAdmin):
    list_display = ["original_name", "person", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "person__name"]
    list_select_related = ["person"]
    fields = ["person", "kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(PeopleScopedAdmin):
    list_display = ["person", "notice", "agreed_at", "withdrawn_at"]
    list_filter = ["notice"]
    search_fields = ["person__name"]
    list_select_related = ["person", "notice"]
    fields = ["person", "notice", "agreed_at", "withdrawn_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Commission staff publish a new version (never edit a published one: consents point at it)."""

    list_display = ["kind", "version", "published_at"]
    list_filter = ["kind"]
    fields = ["kind", "version", "published_at", "text_zh", "text_en"]

    def has_module_permission(self, request):
        return _may_view(request)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request):
        return _may_view(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or not obj.consents.exists())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user, action="privacy_notice.save", obj=obj, data={"version": obj.version, "kind": obj.kind}
        )
