"""Administration of the catalogue for commission staff, scoped to their jurisdiction.

A commission administrator sees and edits only the programmes owned inside their jurisdiction (and the
rounds, offerings, categories, quotas and rules of those); every save and delete leaves an audit row.
Eligibility rules are edited with typed fields (`admin_rules.EligibilityRuleForm`), never as JSON. The admin
history names the rows it records in the site's language (Chinese), whatever the editor's language. The
category page links to the eligibility preview (`eligibility:category_preview`, in the eligibility app, which
may judge; the catalogue only links to it by name).
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from medtalent.accounts.rules import is_commission_admin
from medtalent.accounts.selectors import jurisdiction_q
from medtalent.catalog import services
from medtalent.catalog.admin_base import ProgrammeScopedInline
from medtalent.catalog.admin_quotas import QuotaInline
from medtalent.catalog.admin_rules import EligibilityRuleForm
from medtalent.catalog.enums import GROUP_KINDS, ProgrammeStatus
from medtalent.catalog.models import (
    Category,
    EligibilityRule,
    Offering,
    Programme,
    ProgrammeSpecialty,
    Round,
)
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation

__all__ = [
    "EligibilityRuleForm",
    "LabelledInlineFormSet",
    "ProgrammeScopedAdmin",
    "ProgrammeScopedInline",
    "QuotaInline",
]


CATALOGUE_CSS = "css/admin-catalog.css"


def _in_site_language(objects) -> list[str]:
    """The rows' names as the history shows them: in the site's language, whatever the editor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return [str(obj) for obj in objects]


class ProgrammeScopedAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    """Scope and permissions for a model that belongs to a programme through `programme_path`. The admin history
    (LogEntry) names objects in the site's language (Chinese): Django renders the inline rows of a change message
    with translations off, so a quota was recorded as "Any staff: about 30"."""

    programme_path = "programme"
    # Saves and deletions (inline rows too) go through the catalogue's services, which audit them.
    audits_its_own_changes = True

    class Media:
        css = {"all": [CATALOGUE_CSS]}

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        objects: list = []
        for formset in formsets or []:
            objects += list(formset.new_objects)
            objects += [obj for obj, _fields in formset.changed_objects]
            objects += list(formset.deleted_objects)
        names = iter(_in_site_language(objects))
        for item in message:
            for value in item.values():
                detail = cast(dict[str, Any], value)
                if isinstance(detail, dict) and "object" in detail:
                    detail["object"] = next(names, detail["object"])
        return message

    def log_addition(self, request, obj, message):
        with translation.override(settings.LANGUAGE_CODE):
            return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        with translation.override(settings.LANGUAGE_CODE):
            return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        with translation.override(settings.LANGUAGE_CODE):
            return super().log_deletions(request, queryset)

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


class LabelledInlineFormSet(BaseInlineFormSet):
    """A table's cells have no <label> (the column header names them): each input is named by its field's label
    (aria-label), the "delete" box too, so that a screen reader says what it is (WCAG 1.3.1, 4.1.2)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class ProgrammeSpecialtyInline(ProgrammeScopedInline, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = ProgrammeSpecialty
    extra = 0
    autocomplete_fields = ["specialty"]


class RuleInline(ProgrammeScopedInline, admin.StackedInline):
    """The rules of a programme or a category, with typed parameters; a rule's group is one of the same owner's
    group rules (saved before)."""

    model = EligibilityRule
    form = EligibilityRuleForm
    fieldsets = [
        (None, {"fields": ["kind", "parent", "is_blocking", "sort"]}),
        (
            # Translators: 中文：条件参数
            _("Parameters"),
            {
                "fields": [
                    "years",
                    "education_code",
                    "grade",
                    "title_code",
                    "series",
                    "residency",
                    "equivalent_allowed",
                    "verified",
                    "language_test",
                    "min_score",
                    "min_level",
                    "valid_years",
                    "designations",
                    "employer_tags",
                    "relaxed_for_levels",
                ],
                # Translators: 中文：只需填写所选类型用到的参数，其余留空。
                "description": _("Fill in only the parameters of the kind chosen; leave the others empty."),
            },
        ),
        # Translators: 中文：政策原文
        (_("As published"), {"fields": ["text_zh", "text_en"]}),
    ]
    extra = 0
    classes = ["rule-inline"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            owner_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            groups = EligibilityRule.objects.filter(kind__in=GROUP_KINDS)
            kwargs["queryset"] = (
                groups.filter(**{f"{self.fk_name}_id": owner_id}) if owner_id else EligibilityRule.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProgrammeRuleInline(RuleInline):
    fk_name = "programme"
    # Translators: 中文：项目通用条件
    verbose_name_plural = _("general eligibility rules of the programme")


class RoundInline(ProgrammeScopedInline, admin.TabularInline):
    formset = LabelledInlineFormSet
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
        "reference_date",
        "starts_on",
        "ends_on",
    ]
    show_change_link = True


class CategoryInline(ProgrammeScopedInline, admin.TabularInline):
    formset = LabelledInlineFormSet
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
    autocomplete_fields = ["partners", "countries", "sending_regions", "sending_tags", "sending_units"]
    inlines = [ProgrammeSpecialtyInline, RoundInline, CategoryInline, QuotaInline, ProgrammeRuleInline]
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
        (
            # Translators: 中文：申请条件与推荐单位
            _("Eligibility and sending units"),
            {
                "fields": ["equivalent_level_allowed", "sending_regions", "sending_tags", "sending_units"],
                # Translators: 中文：地区、标签、单位三项都留空：任何单位均可推荐申请人。
                "description": _("Regions, tags and units all empty: any unit may send applicants."),
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
    formset = LabelledInlineFormSet
    model = Offering
    extra = 0
    autocomplete_fields = ["host", "department", "specialty"]


@admin.register(Round)
class RoundAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "name_zh", "programme", "application_opens", "application_closes"]
    list_filter = ["programme"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [OfferingInline]


class CategoryRuleInline(RuleInline):
    fk_name = "category"
    # Translators: 中文：本类别的条件
    verbose_name_plural = _("eligibility rules of the category")


@admin.register(Category)
class CategoryAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "name_zh", "programme", "duration_min", "duration_max", "duration_unit"]
    list_filter = ["programme"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [CategoryRuleInline]
    fieldsets = [
        (None, {"fields": ["programme", "code", "name_zh", "name_en", "sort"]}),
        (
            # Translators: 中文：时长
            _("Duration"),
            {"fields": ["duration_min", "duration_max", "duration_unit"]},
        ),
        (
            # Translators: 中文：报告
            _("Reports"),
            {
                "fields": [
                    "report_due_value",
                    "report_due_unit",
                    "report_due_roll",
                    "progress_every_value",
                    "progress_every_unit",
                ],
                # Translators: 中文：总结报告的期限从进修结束次日起算；进修期间每隔所填时间提交一次进展报告。
                "description": _(
                    "The summary report's deadline counts from the day after the stint ends; a progress report is "
                    "due every interval given during the stint."
                ),
            },
        ),
        (
            _("Texts"),
            {
                "fields": [
                    "target_zh",
                    "target_en",
                    "content_zh",
                    "content_en",
                    "requirements_zh",
                    "requirements_en",
                    "evaluation_focus_zh",
                    "evaluation_focus_en",
                ]
            },
        ),
    ]


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
