"""Administration of the yearly work's programme data: the key specialties and techniques of each year and the
evaluation's dimensions, edited by the commission managing the programme (scoped and audited like the catalogue).

Targets and reviews are shown read-only: they change through the pages and the API (services, audited).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.annual.models import AnnualReview, AnnualReviewScore, EvaluationDimension, YearFocus, YearlyTarget
from medtalent.catalog.admin import ProgrammeScopedAdmin


@admin.register(YearFocus)
class YearFocusAdmin(ProgrammeScopedAdmin):
    list_display = ["year", "text_zh", "text_en", "kind", "specialty", "programme", "sort"]
    list_filter = ["year", "kind"]
    search_fields = ["text_zh", "text_en"]
    list_select_related = ["programme", "specialty"]
    autocomplete_fields = ["specialty"]


@admin.register(EvaluationDimension)
class EvaluationDimensionAdmin(ProgrammeScopedAdmin):
    list_display = ["name_zh", "name_en", "code", "max_score", "programme", "sort"]
    search_fields = ["name_zh", "name_en", "code"]
    list_select_related = ["programme"]


class ReadOnlyPairingAdmin(ProgrammeScopedAdmin):
    programme_path = "pairing__programme"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if obj is None:
            return self.has_module_permission(request)
        return request.user.has_perm("catalog.change_programme", self._programme_of(obj))


@admin.register(YearlyTarget)
class YearlyTargetAdmin(ReadOnlyPairingAdmin):
    list_display = ["year", "title", "kind", "status", "pairing"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["title", "pairing__supporting__name_zh", "pairing__supported__name_zh"]
    list_select_related = ["pairing__supporting", "pairing__supported"]


class ScoreInline(admin.TabularInline):
    model = AnnualReviewScore
    extra = 0
    can_delete = False
    fields = ["dimension", "score", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReadOnlyPairingAdmin):
    list_display = ["year", "kind", "state", "conclusion", "pairing", "submitted_at"]
    list_filter = ["year", "kind", "state", "conclusion"]
    search_fields = ["pairing__supporting__name_zh", "pairing__supported__name_zh"]
    list_select_related = ["pairing__supporting", "pairing__supported"]
    inlines = [ScoreInline]

    def get_queryset(self, request):
        # A hospital's self-assessment is its own until submitted (annual.view_review): the commission sees its
        # evaluations and the submitted self-assessments, as on the pages (issue 10).
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(state=ReviewState.SUBMITTED) | Q(kind=ReviewKind.EVALUATION))
