"""Administration of the catalogue for commission staff, scoped to their jurisdiction.

A commission administrator sees and edits only the programmes owned inside their jurisdiction (and the
rounds, offerings and categories of those); every save and delete leaves an audit row.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from medtalent.accounts.rules import is_commission_admin
from medtalent.accounts.selectors import jurisdiction_q
from medtalent.catalog import services
from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import (
    Category,
    EligibilityRule,
    Offering,
    Programme,
    ProgrammeSpecialty,
    Quota,
    Round,
)
from medtalent.catalog.rule_params import params_problems
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.codes.models import Code
from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation


class ProgrammeScopedAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Scope and permissions for a model that belongs to a programme through `programme_path`."""

    programme_path = "programme"
    # Saves and deletions (inline rows too) go through the catalogue's services, which audit them.
    audits_its_own_changes = True

    def _programme_of(self, obj) -> Programme | None:
        target = obj
        for part in self.programme_path.split("__"):
            if target is None:
                return None
            target = getattr(target, part) if part != "self" else target
        return target

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        allowed = programmes_manageable_by(user=request.user).values("pk")
        lookup = "pk__in" if self.programme_path == "self" else f"{self.programme_path}__in"
        return qs.filter(**{lookup: allowed})

    def has_module_permission(self, request):
        return request.user.is_superuser or is_commission_admin(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if obj is None:
            return is_commission_admin(request.user)
        return request.user.has_perm("catalog.change_programme", self._programme_of(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme" and not request.user.is_superuser:
            kwargs["queryset"] = programmes_manageable_by(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        programme = self._programme_of(obj)
        if programme is not None and programme.pk and not self.has_change_permission(request, obj):
            raise PermissionDenied
        services.catalogue_object_save(
            actor=request.user, obj=obj, created=not change, changed_fields=list(form.changed_data)
        )

    def delete_model(self, request, obj):
        services.catalogue_object_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        """The list's "delete selected" action: each row through the service, so each leaves an audit row."""
        for obj in queryset:
            services.catalogue_object_delete(actor=request.user, obj=obj)

    def save_formset(self, request, form, formset, change):
        """The inline rows (rounds, categories, quotas, rules …) through the services: each saved or deleted row
        is audited with the fields its form changed."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.catalogue_object_delete(actor=request.user, obj=obj)
        changed = {id(row.instance): list(row.changed_data) for row in formset.forms}
        for obj in instances:
            services.catalogue_object_save(
                actor=request.user, obj=obj, created=obj.pk is None, changed_fields=changed.get(id(obj), [])
            )
        formset.save_m2m()


class ProgrammeScopedInline:
    """Inlines follow their parent's rule: whoever may change the programme may edit what it holds."""

    def _allowed(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return is_commission_admin(request.user)
        programme = obj if isinstance(obj, Programme) else obj.programme
        return request.user.has_perm("catalog.change_programme", programme)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


class ProgrammeSpecialtyInline(ProgrammeScopedInline, admin.TabularInline):
    model = ProgrammeSpecialty
    extra = 0
    autocomplete_fields = ["specialty"]


class QuotaInline(ProgrammeScopedInline, admin.TabularInline):
    model = Quota
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "round":
            programme_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Round.objects.filter(programme_id=programme_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EligibilityRuleForm(forms.ModelForm):
    """Checks a rule's parameters before it is saved, so a typo cannot silently fail applicants."""

    class Meta:
        model = EligibilityRule
        fields = ["programme", "category", "kind", "params", "is_blocking", "text_zh", "text_en", "sort"]

    def clean(self):
        cleaned = super().clean()
        kind, params = cleaned.get("kind"), cleaned.get("params")
        if kind and params is not None:
            problems = params_problems(kind, params)
            if kind == "designation" and not problems:
                known = set(Code.objects.filter(table__slug="designation").values_list("code", flat=True))
                unknown = sorted(set(params["any_of"]) - known)
                if unknown:
                    problems.append(_("unknown designation codes: %(codes)s") % {"codes": ", ".join(unknown)})
            if problems:
                self.add_error("params", "; ".join(str(p) for p in problems))
        return cleaned


class ProgrammeRuleInline(ProgrammeScopedInline, admin.TabularInline):
    model = EligibilityRule
    form = EligibilityRuleForm
    fk_name = "programme"
    exclude = ["category"]
    extra = 0


class RoundInline(ProgrammeScopedInline, admin.TabularInline):
    model = Round
    extra = 0
    fields = [
        "code",
        "name_zh",
        "name_en",
        "year",
        "batch",
        "application_opens",
        "application_closes",
        "starts_on",
        "ends_on",
    ]
    show_change_link = True


class CategoryInline(ProgrammeScopedInline, admin.TabularInline):
    model = Category
    extra = 0
    fields = ["code", "name_zh", "name_en", "duration_min", "duration_max", "duration_unit", "sort"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = "self"
    list_display = ["code", "name_zh", "programme_type", "owner", "status", "sort"]
    list_filter = ["programme_type", "status"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["partners", "countries"]
    inlines = [ProgrammeSpecialtyInline, QuotaInline, ProgrammeRuleInline, CategoryInline, RoundInline]
    readonly_fields = ["status"]
    actions = ["publish", "unpublish", "archive"]
    fieldsets = [
        (None, {"fields": ["code", "name_zh", "name_en", "owner", "programme_type", "status", "sort"]}),
        (
            _("Where and how"),
            {"fields": ["countries", "partners", "training_mode_zh", "training_mode_en", "since_year"]},
        ),
        (
            _("Duration and cost"),
            {
                "fields": [
                    "duration_min",
                    "duration_max",
                    "duration_unit",
                    "cost_min",
                    "cost_max",
                    "cost_covers_zh",
                    "cost_covers_en",
                ]
            },
        ),
        (_("Texts"), {"fields": ["summary_zh", "summary_en", "notes_zh", "notes_en", "source_document"]}),
    ]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.has_perm("catalog.add_programme")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            qs = Organisation.objects.filter(kind=OrganisationKind.COMMISSION)
            if not request.user.is_superuser:
                qs = qs.filter(jurisdiction_q(user=request.user, organisation_field="pk"))
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _set_status(self, request, queryset, status):
        for programme in queryset:
            try:
                services.programme_set_status(actor=request.user, programme=programme, status=status)
            except Exception as exc:  # ApplicationError or PermissionDenied: report per programme
                self.message_user(request, f"{programme.code}: {exc}", level=messages.ERROR)

    @admin.action(description=_("Publish the selected programmes"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, ProgrammeStatus.PUBLISHED)

    @admin.action(description=_("Take the selected programmes back to draft"))
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, ProgrammeStatus.DRAFT)

    @admin.action(description=_("Archive the selected programmes"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, ProgrammeStatus.ARCHIVED)


class OfferingInline(ProgrammeScopedInline, admin.TabularInline):
    model = Offering
    extra = 0
    autocomplete_fields = ["host", "department", "specialty"]


@admin.register(Round)
class RoundAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "name_zh", "programme", "application_opens", "application_closes"]
    list_filter = ["programme"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [OfferingInline]


class CategoryRuleInline(ProgrammeScopedInline, admin.TabularInline):
    model = EligibilityRule
    form = EligibilityRuleForm
    fk_name = "category"
    exclude = ["programme"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "name_zh", "programme", "duration_min", "duration_max", "duration_unit"]
    list_filter = ["programme"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [CategoryRuleInline]


@admin.register(Offering)
class OfferingAdmin(ProgrammeScopedAdmin):
    programme_path = "round__programme"
    list_display = ["round", "host", "department", "specialty", "track", "capacity"]
    list_filter = ["track", "round__programme"]
    autocomplete_fields = ["host", "department", "specialty"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "round" and not request.user.is_superuser:
            kwargs["queryset"] = Round.objects.filter(programme__in=programmes_manageable_by(user=request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
