from django.contrib import admin

from medtalent.codes.models import Code, CodeTable, Specialty, SpecialtySynonym
from medtalent.core.admin import ReferenceDataAdmin, ReferenceDataInline


@admin.register(CodeTable)
class CodeTableAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_zh", "standard", "version"]


@admin.register(Code)
class CodeAdmin(ReferenceDataAdmin):
    list_display = ["table", "code", "name_zh", "name_en", "valid_from", "valid_to", "successor"]
    list_filter = ["table"]
    search_fields = ["code", "name_zh", "name_en"]
    raw_id_fields = ["parent", "successor"]


class SynonymInline(ReferenceDataInline, admin.TabularInline):
    model = SpecialtySynonym
    extra = 1


@admin.register(Specialty)
class SpecialtyAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_zh", "name_en", "parent"]
    search_fields = ["code", "name_zh", "name_en", "synonyms__term"]
    raw_id_fields = ["parent"]
    inlines = [SynonymInline]
