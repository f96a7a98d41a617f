"""The national code tables and the specialty taxonomy in the admin: shared reference data, one list for the whole
country. Seen by commission staff and reference-data editors; changed only by superusers and the editors of a
national commission (`core.change_code_tables`); deleted only by superusers. Every change is audited by
`core.admin_audit`."""

from django.contrib import admin

from medtalent.codes.models import Code, CodeTable, Specialty, SpecialtySynonym
from medtalent.core.admin import ReferenceDataAdmin, ReferenceDataInline
from medtalent.core.rules import REFERENCE_DATA_SCOPE, scope_q


@admin.register(CodeTable)
class CodeTableAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_zh", "standard", "version"]


@admin.register(Code)
class CodeAdmin(ReferenceDataAdmin):
    list_display = ["table", "code", "name_zh", "name_en", "valid_from", "valid_to", "successor"]
    list_filter = ["table"]
    search_fields = ["code", "name_zh", "name_en"]
    raw_id_fields = ["parent", "successor"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if self._is_region_autocomplete(request) and not request.user.is_superuser:
            # An organisation's region is picked inside the editor's jurisdiction only (`orgs.admin` refuses others).
            queryset = queryset.filter(scope_q(REFERENCE_DATA_SCOPE, user=request.user, region_field="code"))
        return queryset, may_have_duplicates

    @staticmethod
    def _is_region_autocomplete(request) -> bool:
        params = request.GET
        return (
            request.resolver_match is not None
            and request.resolver_match.url_name == "autocomplete"
            and params.get("app_label") == "orgs"
            and params.get("model_name") == "organisation"
            and params.get("field_name") == "region"
        )


class SynonymInline(ReferenceDataInline, admin.TabularInline):
    model = SpecialtySynonym
    extra = 1


@admin.register(Specialty)
class SpecialtyAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_zh", "name_en", "parent"]
    search_fields = ["code", "name_zh", "name_en", "synonyms__term"]
    raw_id_fields = ["parent"]
    inlines = [SynonymInline]
