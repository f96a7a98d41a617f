"""The shared admin pieces: the reference-data admin and the lookups every admin allows.

`ReferenceDataAdmin` / `ReferenceDataInline`: code tables, specialties and organisations. core knows no role: the
permissions are asked by the names of `core.rules`, granted in `accounts.rules` (commission staff and
reference-data editors see; editors change what their jurisdiction and scope allow; only superusers delete).

`PersonalDataLookupsMixin`: a changelist filters only by its own list filters and date hierarchy, never through a
personal field (a `?phone__startswith=` narrowed down a full number one digit at a time). Every admin of the
project uses it; what an admin changes is audited once for all by `core.admin_audit`.
"""

from __future__ import annotations

import rules
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.filters import SimpleListFilter
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from medtalent.core.models import AuditEvent
from medtalent.core.rules import CODE_TABLES_EDIT_PERMISSION, REFERENCE_DATA_VIEW_PERMISSION

# Fields holding a person's data: no admin filters through them, whatever the path (person__phone, user__email).
PERSONAL_FIELD_NAMES = frozenset(
    {
        "id_number",
        "phone",
        "email",
        "birth_date",
        "health_status",
        "cv_text",
        "native_place",
        "teaching_note",
        "language_self_assessment",
        "password",
        "first_name",
        "last_name",
        "display_name",
    }
)
# What a list filter or the date hierarchy adds after its field path (`kind__exact`, `employer__id__exact`,
# `starts_on__gte`, `starts_on__year` …).
FILTER_LOOKUPS = frozenset(
    {"exact", "iexact", "isnull", "isempty", "in", "gt", "gte", "lt", "lte", "year", "month", "day", "id", "pk"}
)


def is_personal_field(name: str) -> bool:
    # Any derived ID-number field too (a keyed hash, an encrypted copy).
    return name in PERSONAL_FIELD_NAMES or name.startswith("id_number")


class PersonalDataLookupsMixin:
    """Changelist lookups (`?field__lookup=value`): only those of the admin's own `list_filter` and
    `date_hierarchy` (and the raw-id popups' `limit_choices_to`), never a path through a personal field. Anything
    else is a `DisallowedModelAdminLookup` (400)."""

    def lookup_allowed(self, lookup, value, request=None):
        parts = lookup.split(LOOKUP_SEP)
        if any(is_personal_field(part) for part in parts):
            return False
        if self._popup_lookup(lookup, value):
            return True
        for path in self._filter_paths(request):
            prefix = path.split(LOOKUP_SEP)
            if parts[: len(prefix)] == prefix and all(part in FILTER_LOOKUPS for part in parts[len(prefix) :]):
                return True
        return False

    def _popup_lookup(self, lookup, value) -> bool:
        # The raw-id popup of a foreign key with `limit_choices_to` filters this changelist by it (as Django does).
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False

    def _filter_paths(self, request) -> list[str]:
        paths = [self.date_hierarchy] if self.date_hierarchy else []
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                paths.append(item.parameter_name)
            elif isinstance(item, (list, tuple)):
                paths.append(item[0])
            else:
                paths.append(item)
        return paths


def may_view_reference_data(request) -> bool:
    # Asked of the rules registry alone: the model backend has nothing to add and would cost two queries.
    return request.user.is_superuser or rules.has_perm(REFERENCE_DATA_VIEW_PERMISSION, request.user)


class ReferenceDataAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Shared reference data (code tables, specialties, organisations).

    Seen by whoever holds `core.view_reference_data` (commission staff, whose pages point at it, and reference-data
    editors); added and changed by whoever holds `edit_permission` on `edit_object(obj)` (by default the national
    code tables: superusers and editors of a national commission); deleted by superusers only. A row outside the
    user's queryset answers 404, as a missing one."""

    edit_permission = CODE_TABLES_EDIT_PERMISSION

    def edit_object(self, obj):
        """The object `edit_permission` is asked about (None: the permission in general)."""
        return None

    def may_edit(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        return rules.has_perm(self.edit_permission, request.user, self.edit_object(obj) if obj is not None else None)

    def has_module_permission(self, request):
        return may_view_reference_data(request)

    def has_view_permission(self, request, obj=None):
        return may_view_reference_data(request) or self.may_edit(request, obj)

    def has_add_permission(self, request):
        return self.may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Outside the user's rows or missing: the same answer (Django's admin would redirect with a message).
            raise Http404
        return obj


class ReferenceDataInline:
    """The inlines of a `ReferenceDataAdmin`: whoever may change the parent row edits them (with `edit_permission`
    asked about `edit_object(parent)`); whoever may see the reference data sees them."""

    edit_permission = CODE_TABLES_EDIT_PERMISSION

    def edit_object(self, obj):
        return None

    def may_edit(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        return rules.has_perm(self.edit_permission, request.user, self.edit_object(obj) if obj is not None else None)

    def has_view_permission(self, request, obj=None):
        return may_view_reference_data(request) or self.may_edit(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.may_edit(request, obj)

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(AuditEvent)
class AuditEventAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """The audit trail, read-only, for superusers only (auditors read their jurisdiction's at /audit/). The
    actor is shown by the name kept in the event: the account may have been deleted since."""

    list_display = [
        "created_at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "from_state",
        "to_state",
        "region_code",
    ]
    search_fields = ["=object_id", "=actor_username", "=action"]
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
