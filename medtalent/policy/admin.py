"""Administration of the money, service and grading policy, for commission staff, scoped to the programmes they
manage (the catalogue's `ProgrammeScopedAdmin` / `ProgrammeScopedInline`).

Each page checks what an administrator can get wrong and says so in plain words: ratios that do not add up to
100 %, a cap without someone to pay above it, a category of another programme, a second rule for the same scope,
a fixed-percentage refund without its percentage, a grading scale where nobody passes or two levels share a code.
Every save and delete goes through `policy.services`, which audit it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from medtalent.catalog.admin import LabelledInlineFormSet, ProgrammeScopedAdmin, ProgrammeScopedInline
from medtalent.catalog.models import Category
from medtalent.catalog.selectors import programmes_manageable_by
from medtalent.policy import services
from medtalent.policy.enums import ClawbackMethod
from medtalent.policy.funding import percent
from medtalent.policy.models import ClawbackRule, CostShare, CostShareRule, GradeLevel, GradingScale, ServiceTerms

HUNDRED = Decimal(100)


class PolicyScopedAdmin(ProgrammeScopedAdmin):
    """The catalogue's scope and permissions; saves and deletions through the policy's audited services."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = self._categories(request)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda c: f"{c.programme.code} · {c}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _categories(self, request):
        """The categories the select offers: the edited row's programme's; on an add page, those of the
        programmes the user manages (the form checks that the category belongs to the programme chosen)."""
        qs = Category.objects.select_related("programme").order_by("programme__code", "sort", "code")
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        programme_id = None
        if object_id and str(object_id).isdigit():
            programme_id = self.model.objects.filter(pk=object_id).values_list("programme_id", flat=True).first()
        if programme_id is not None:
            return qs.filter(programme_id=programme_id)
        if request.user.is_superuser:
            return qs
        return qs.filter(programme__in=programmes_manageable_by(user=request.user))

    def save_model(self, request, obj, form, change):
        programme = self._programme_of(obj)
        if programme is not None and programme.pk and not self.has_change_permission(request, obj):
            raise PermissionDenied
        services.policy_object_save(actor=request.user, obj=obj, created=not change, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        services.policy_object_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.policy_object_delete(actor=request.user, obj=obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.policy_object_delete(actor=request.user, obj=obj)
        changed = {id(row.instance): list(row.changed_data) for row in formset.forms}
        for obj in instances:
            services.policy_object_save(
                actor=request.user, obj=obj, created=obj.pk is None, changed_fields=changed.get(id(obj), [])
            )
        formset.save_m2m()


class ScopedRowForm(forms.ModelForm):
    """A row that belongs to a programme and, optionally, one of its categories: the category must be the
    programme's, and the scope (`scope_fields`) may hold only one row."""

    scope_fields: tuple[str, ...] = ("programme", "category")
    duplicate_message: Any = ""  # each form says, in plain words, which row already holds the scope

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        programme, category = cleaned.get("programme"), cleaned.get("category")
        if programme is not None and category is not None and category.programme_id != programme.pk:
            # Translators: 中文：人才类别“%(category)s”不属于项目“%(programme)s”，请选择该项目的类别或留空。
            message = _(
                "The category “%(category)s” is not one of the programme “%(programme)s”: choose one of its "
                "categories, or none."
            )
            self.add_error("category", message % {"category": category, "programme": programme})
            return cleaned
        if programme is None or any(name not in cleaned for name in self.scope_fields):
            return cleaned
        scope = {name: cleaned.get(name) for name in self.scope_fields}
        if type(self.instance).objects.filter(**scope).exclude(pk=self.instance.pk).exists():
            self.add_error("category", self.duplicate_message)
        return cleaned


# ------------------------------------------------------------------------------------------------- cost shares


class CostShareRuleForm(ScopedRowForm):
    scope_fields = ("programme", "category", "year")

    class Meta:
        model = CostShareRule
        fields = ["programme", "category", "year", "rounding", "note_zh", "note_en"]

    # Translators: 中文：该项目已有适用于此类别和年度的费用分担规则，请修改那一条。
    duplicate_message = _("This programme already has a cost-share rule for this category and year: change that one.")


class CostShareForm(forms.ModelForm):
    class Meta:
        model = CostShare
        fields = ["payer", "ratio", "cap", "cap_per", "excess_payer", "sort"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        payer, cap, excess_payer = cleaned.get("payer"), cleaned.get("cap"), cleaned.get("excess_payer")
        if cap is not None and not excess_payer:
            # Translators: 中文：设有封顶金额时，请选择由哪一方承担超出封顶的部分。
            self.add_error("excess_payer", _("A capped share needs the payer who pays above the cap."))
        elif cap is not None and excess_payer == payer:
            # Translators: 中文：超出封顶的部分须由另一方承担，不能是本方。
            self.add_error("excess_payer", _("Above the cap, another payer pays: not the capped payer itself."))
        elif cap is None and excess_payer:
            # Translators: 中文：未设封顶金额时，无需选择超出部分的承担方（请填写封顶金额或清空此项）。
            self.add_error("excess_payer", _("There is no cap: give one, or leave who pays above it empty."))
        return cleaned


class CostShareFormSet(LabelledInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows:
            # Translators: 中文：请至少填写一个承担方及其比例。
            raise ValidationError(_("Give at least one payer and their ratio."))
        total = sum((row.get("ratio") or Decimal(0) for row in rows), Decimal(0))
        if total != HUNDRED:
            # Translators: 中文：各方承担比例之和应为 100%%，现为 %(total)s%%。
            message = _("The ratios add up to %(total)s %%; together they must make 100 %%.")
            raise ValidationError(message % {"total": percent(total)})


class CostShareInline(ProgrammeScopedInline, admin.TabularInline):
    model = CostShare
    form = CostShareForm
    formset = CostShareFormSet
    fields = ["payer", "ratio", "cap", "cap_per", "excess_payer", "sort"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0


@admin.register(CostShareRule)
class CostShareRuleAdmin(PolicyScopedAdmin):
    form = CostShareRuleForm
    inlines = [CostShareInline]
    list_display = ["__str__", "programme", "category", "year", "shares_summary", "rounding"]
    list_filter = ["programme"]
    list_select_related = ["programme", "category"]
    fields = ["programme", "category", "year", "rounding", "note_zh", "note_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("shares")

    # Translators: 中文：承担方式
    @admin.display(description=_("shares"))
    def shares_summary(self, obj):
        return " · ".join(str(share) for share in obj.shares.all())


# ------------------------------------------------------------------------------------------------- service


class ServiceTermsForm(ScopedRowForm):
    class Meta:
        model = ServiceTerms
        fields = ["programme", "category", "service_years"]

    # Translators: 中文：该项目已有适用于此类别的服务期，请修改那一条。
    duplicate_message = _("This programme already has a service period for this category: change that one.")


@admin.register(ServiceTerms)
class ServiceTermsAdmin(PolicyScopedAdmin):
    form = ServiceTermsForm
    list_display = ["__str__", "programme", "category", "service_years"]
    list_filter = ["programme"]
    list_select_related = ["programme", "category"]


class ClawbackRuleForm(ScopedRowForm):
    scope_fields = ("programme", "category", "trigger", "payer")

    class Meta:
        model = ClawbackRule
        fields = ["programme", "category", "trigger", "payer", "method", "percentage"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        method, percentage = cleaned.get("method"), cleaned.get("percentage")
        if method == ClawbackMethod.PERCENTAGE and percentage is None:
            # Translators: 中文：按固定比例退还时，请填写百分比（0 到 100）。
            self.add_error("percentage", _("A fixed-percentage refund needs its percentage (0 to 100)."))
        elif percentage is not None and not Decimal(0) <= percentage <= HUNDRED:
            # Translators: 中文：百分比应在 0 到 100 之间。
            self.add_error("percentage", _("A percentage is between 0 and 100."))
        elif method and method != ClawbackMethod.PERCENTAGE:
            cleaned["percentage"] = None  # only a fixed-percentage refund uses it
            self.instance.percentage = None
        return cleaned

    # Translators: 中文：该触发情形已规定退还这一方承担的费用，请修改那一条。
    duplicate_message = _("This trigger already refunds that payer's share for this category: change that rule.")


@admin.register(ClawbackRule)
class ClawbackRuleAdmin(PolicyScopedAdmin):
    form = ClawbackRuleForm
    list_display = ["__str__", "programme", "category", "trigger", "payer", "method", "percentage"]
    list_filter = ["programme", "trigger"]
    list_select_related = ["programme", "category"]


# ------------------------------------------------------------------------------------------------- grading


class GradingScaleForm(ScopedRowForm):
    class Meta:
        model = GradingScale
        fields = ["programme", "category", "name_zh", "name_en"]

    # Translators: 中文：该项目已有适用于此类别的考核等次，请修改那一套。
    duplicate_message = _("This programme already has a grading scale for this category: change that one.")


class GradeLevelFormSet(LabelledInlineFormSet):
    def clean(self):
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        codes = [str(row["code"]) for row in rows if row.get("code")]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            # Translators: 中文：等次代码不能重复：%(codes)s。
            raise ValidationError(_("Two levels have the same code: %(codes)s.") % {"codes": ", ".join(repeated)})
        super().clean()
        if any(self.errors):
            return
        if not any(row.get("passes") for row in rows):
            # Translators: 中文：至少要有一个等次为“通过”。
            raise ValidationError(_("At least one level must pass."))


class GradeLevelInline(ProgrammeScopedInline, admin.TabularInline):
    model = GradeLevel
    formset = GradeLevelFormSet
    fields = ["code", "name_zh", "name_en", "passes", "certificate", "triggers_clawback", "sort"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0


@admin.register(GradingScale)
class GradingScaleAdmin(PolicyScopedAdmin):
    form = GradingScaleForm
    inlines = [GradeLevelInline]
    list_display = ["__str__", "programme", "category", "levels_summary"]
    list_filter = ["programme"]
    list_select_related = ["programme", "category"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    # Translators: 中文：等次
    @admin.display(description=_("levels"))
    def levels_summary(self, obj):
        return " · ".join(level.name for level in obj.levels.all())
